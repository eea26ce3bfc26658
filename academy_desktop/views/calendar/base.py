"""What "Calendar" and "My week" share: the week navigation bar (previous / today /
next / date picker), the painted week in a scroll area, a loading placeholder, stale
responses dropped when the person flips weeks quickly, and opening session details."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.schedule import AvailabilityWindow, WeekSession, week_bounds, week_start
from academy_desktop.models.week import WeekModel
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.icons import icon
from academy_desktop.views.calendar.week_view import WeekHeader, WeekView
from academy_desktop.views.workspace import Workspace, WorkspaceContext


class WeekWorkspace(Workspace):
    """Subclasses implement ``fetch_week`` and may add widgets to ``self.tools``."""

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.monday = week_start(date.today())
        self.tz = ZoneInfo("UTC")
        self.model = WeekModel(self)
        self.view = WeekView(self.model, self)
        self.view.activated.connect(self.open_details)
        self._generation = 0
        self.details_dialog: Any = None

        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.prev_button = self._tool("cal-prev", self.tr("Previous week (Alt+Left)"), "Alt+Left")
        self.today_button = QToolButton(self)
        self.today_button.setText(self.tr("Today"))
        self.today_button.setToolTip(self.tr("This week (Alt+Home)"))
        self.today_button.setShortcut(QKeySequence("Alt+Home"))
        self.next_button = self._tool("cal-next", self.tr("Next week (Alt+Right)"), "Alt+Right")
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setAccessibleName(self.tr("Go to date"))
        self.date_edit.setDate(QDate(self.monday.year, self.monday.month, self.monday.day))
        self.prev_button.clicked.connect(lambda: self.go_to(self.monday - timedelta(days=7)))
        self.next_button.clicked.connect(lambda: self.go_to(self.monday + timedelta(days=7)))
        self.today_button.clicked.connect(lambda: self.go_to(date.today()))
        self.date_edit.dateChanged.connect(lambda d: self.go_to(d.toPython()))

        self.status = QLabel(self)
        self.status.setProperty("muted", True)
        self.tools = QHBoxLayout()
        self.tools.setSpacing(6)
        nav = QHBoxLayout()
        nav.setSpacing(6)
        for w in (
            self.prev_button,
            self.today_button,
            self.next_button,
            self.date_edit,
            self.title,
        ):
            nav.addWidget(w)
        nav.addStretch(1)
        nav.addLayout(self.tools)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.view)
        self.placeholder = QLabel(self.tr("Loading the week…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setProperty("muted", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(nav)
        self.filters = QHBoxLayout()
        self.filters.setSpacing(8)
        layout.addLayout(self.filters)
        self.day_header = WeekHeader(self.view, self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.day_header)
        layout.addWidget(self.scroll, 1)
        layout.setSpacing(4)
        layout.addWidget(self.status)
        QShortcut(QKeySequence("Ctrl+G"), self, self.date_edit.setFocus)
        self._update_title()
        self.setFocusProxy(self.view)

    def _tool(self, name: str, tip: str, shortcut: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setShortcut(QKeySequence(shortcut))
        button.setAutoRaise(True)
        return button

    # -- loading ---------------------------------------------------------------------------
    async def fetch_week(
        self, start: Any, end: Any
    ) -> tuple[list[WeekSession], list[AvailabilityWindow]]:
        raise NotImplementedError

    async def resolve_timezone(self) -> ZoneInfo:
        return self.tz

    def go_to(self, day: date) -> None:
        monday = week_start(day)
        if monday != self.monday:
            self.monday = monday
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
            self.date_edit.blockSignals(False)
            self._update_title()
            self._reload_slot()

    @async_slot
    async def _reload_slot(self) -> None:
        await self.load_week()

    def _update_title(self) -> None:
        sunday = self.monday + timedelta(days=6)
        loc = self.locale()
        self.title.setText(
            self.tr("%1 – %2")
            .replace("%1", loc.toString(self.monday, "d MMM"))
            .replace("%2", loc.toString(sunday, "d MMM yyyy"))
        )

    async def load_week(self) -> None:
        self._generation += 1
        mine = self._generation
        self.placeholder.setVisible(self.model.rowCount() == 0)
        self.tz = await self.resolve_timezone()
        start, end = week_bounds(self.monday, self.tz)
        sessions, windows = await self.fetch_week(start, end)
        if mine != self._generation:  # a newer week was asked for meanwhile
            raise asyncio.CancelledError
        keep = self.model.session(self.view.current).id if self.view.current >= 0 else None
        self.model.set_week(self.monday, self.tz, sessions, windows)
        self.placeholder.setVisible(False)
        self.view.set_current(self.model.row_of(keep) if keep else -1)
        self.view.setMinimumWidth(0)
        self.day_header.update()
        booked = sum(s.booked for s in sessions if not s.cancelled)
        seats = sum(s.capacity for s in sessions if not s.cancelled)
        self.status.setText(
            self.tr("%1 sessions · %2 of %3 seats booked")
            .replace("%1", str(len(sessions)))
            .replace("%2", str(booked))
            .replace("%3", str(seats))
        )
        if self.view.current < 0 and sessions:
            self._scroll_to_first()

    def _scroll_to_first(self) -> None:
        """Show the earliest class of any day (rows sort by date, so not row 0's)."""
        earliest = min(self.view.block_rect(r).top() for r in range(self.model.rowCount()))
        self.scroll.verticalScrollBar().setValue(max(0, int(earliest) - 24))

    async def reload(self) -> None:
        await self.load_week()
        await super().reload()

    def clear(self) -> None:
        """Lock / switch user: forget the week and close any dialog showing names."""
        self._generation += 1
        self.model.clear()
        self.status.clear()
        self.placeholder.setVisible(True)
        for name in ("details_dialog", "pattern_dialog", "conflicts_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    dialog.finished.disconnect()  # no reload after the lock
                dialog.close()
                dialog.deleteLater()
                setattr(self, name, None)

    # -- details -----------------------------------------------------------------------------
    @async_slot
    async def open_details(self, row: int) -> None:
        from academy_desktop.views.calendar.details import SessionDetailsDialog

        session = self.model.session(row)
        dialog = SessionDetailsDialog(
            self.context, session.id, self.tz, manage=self.can_manage(), parent=self
        )
        self.details_dialog = dialog
        dialog.finished.connect(lambda _code: self._reload_slot() if dialog.changed else None)
        dialog.open()
        await dialog.load()

    def can_manage(self) -> bool:
        return False
