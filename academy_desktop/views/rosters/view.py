"""Rosters: an instructor's sessions of one day (today unless they page to another) and,
for the selected session, the booked children with their attendance. P/L/A/E (or
Enter for present) mark the selected child with one key, "Mark all present" the rest;
0-3 rate the child on the criterion selected in the star panel beside the roster.
Every row says whether its write was saved. Reuses the desk's roster model, session
list and idempotent check-in; reads only what an instructor may see (no money)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.attendance import (
    STATUS_KEYS,
    AttendanceStatus,
    RosterEntry,
    SaveState,
    TodaySession,
)
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.models.roster import (
    ALERT_COLUMN,
    ENTRY_ROLE,
    SAVE_COLUMN,
    SESSION_COLUMN,
    RosterFilter,
    RosterModel,
)
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.dates import format_long_day
from academy_desktop.ui.icons import icon
from academy_desktop.views.checkin.presenter import explain
from academy_desktop.views.checkin.sessions import SESSION_ROLE, SessionList
from academy_desktop.views.checkin.staged import StagedRosters
from academy_desktop.views.rosters.presenter import RostersPresenter
from academy_desktop.views.rosters.stars import STAR_KEYS, StarsPanel
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec


class RostersWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.day = dt.date.today()
        self.model = RosterModel(self)
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.presenter = RostersPresenter(context.runner, self.model)
        self.sessions: list[TodaySession] = []
        # the shown session's roster comes with the day, any other when selected; a
        # load for a day left behind never lands (its generation)
        self.staged = StagedRosters(self.presenter, self.model, self, self._roster_arrived)
        self._build()
        context.location_changed.connect(lambda _loc: self._reload_soon())

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.tr("Rosters"), self)
        title.setObjectName("pageTitle")
        self.day_label = QLabel(self)
        self.day_label.setObjectName("rostersDay")
        self.prev_button = self._tool("", self.tr("Previous day (Alt+Left)"), "Alt+Left")
        self.prev_button.setIcon(icon("cal-prev"))
        self.next_button = self._tool("", self.tr("Next day (Alt+Right)"), "Alt+Right")
        self.next_button.setIcon(icon("cal-next"))
        self.today_button = self._tool(self.tr("Today"), self.tr("Today (Alt+Home)"), "Alt+Home")
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setAccessibleName(self.tr("Go to date"))
        self.prev_button.clicked.connect(lambda: self.go_to(self.day - dt.timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.go_to(self.day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.go_to(dt.date.today()))
        self.date_edit.dateChanged.connect(lambda d: self.go_to(d.toPython()))
        QShortcut(QKeySequence("Ctrl+G"), self, self.date_edit.setFocus)
        nav = QHBoxLayout()
        for widget in (title, self.prev_button, self.today_button, self.next_button,
                       self.date_edit, self.day_label):
            nav.addWidget(widget)
        nav.addStretch(1)
        self.status = QLabel(self.tr("Loading your sessions…"), self)
        self.status.setObjectName("rostersStatus")
        self.status.setWordWrap(True)
        self.session_list = SessionList(self)
        self.session_list.setAccessibleName(self.tr("Your sessions"))
        self.session_list.currentItemChanged.connect(self._on_session_changed)
        self.table = self._roster_table()
        self.stars = StarsPanel(self.presenter.criteria, self.presenter.rate, self)
        self.table.selectionModel().currentRowChanged.connect(self._on_child_changed)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.table, 1)
        rl.addLayout(self._buttons())
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.session_list)
        self.splitter.addWidget(right)
        self.splitter.addWidget(self.stars)
        self.session_list.setMinimumWidth(220)  # times and titles stay readable
        self.stars.setMinimumWidth(260)
        for pane, stretch in ((0, 0), (1, 1), (2, 0)):
            self.splitter.setStretchFactor(pane, stretch)
        self.splitter.setSizes([280, 760, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(nav)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self._undo)
        self.setFocusProxy(self.table)
        self._show_day()

    def _tool(self, text: str, tip: str, shortcut: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setShortcut(QKeySequence(shortcut))
        button.setAutoRaise(True)
        return button

    def _roster_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.proxy)
        table.setAccessibleName(self.tr("Roster"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(ALERT_COLUMN, QHeaderView.ResizeMode.Stretch)
        table.setAlternatingRowColors(True)
        table.setColumnHidden(SESSION_COLUMN, True)
        table.installEventFilter(self)
        return table

    def _buttons(self) -> QVBoxLayout:
        """Two rows: one key per state, then the whole-session actions."""
        rows = QVBoxLayout()
        marks, session = QHBoxLayout(), QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            ("present", self.tr("Present (P)"),
             lambda: self._mark_selected(AttendanceStatus.PRESENT)),
            ("late", self.tr("Late (L)"), lambda: self._mark_selected(AttendanceStatus.LATE)),
            ("absent", self.tr("Absent (A)"), lambda: self._mark_selected(AttendanceStatus.ABSENT)),
            ("excused", self.tr("Excused (E)"),
             lambda: self._mark_selected(AttendanceStatus.EXCUSED)),
            ("all", self.tr("Mark all present"), lambda: self._mark_all()),
            ("undo", self.tr("Undo last (Ctrl+Z)"), lambda: self._undo()),
            ("close", self.tr("Close session"), lambda: self._close()),
        ):
            button = QPushButton(label, self)
            button.clicked.connect(slot)
            (marks if key in ("present", "late", "absent", "excused") else session).addWidget(
                button)
            self.buttons[key] = button
        for row in (marks, session):
            row.addStretch(1)
            rows.addLayout(row)
        return rows

    # -- the day ---------------------------------------------------------------------
    def go_to(self, day: dt.date) -> None:
        if day == self.day:
            return
        self.day = day
        self.session_list.clear()  # a new day: select its running/first session afresh
        self.staged.begin()
        self.staged.loaded = set()
        self.model.clear()
        self.stars.clear()
        self.sessions = []
        self._show_day()
        self._reload_soon()

    def _show_day(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)
        self.day_label.setText(format_long_day(self.day))
        writable = self.may_take_attendance()
        for key in ("present", "late", "absent", "excused", "all", "close"):
            self.buttons[key].setEnabled(writable)
        self.stars.set_writable(writable)

    def may_take_attendance(self) -> bool:
        """Attendance is taken on the day or afterwards, never ahead of a session."""
        return self.day <= dt.date.today()

    # -- loading ---------------------------------------------------------------------
    def clear(self) -> None:
        self.staged.begin()
        self.staged.loaded = set()
        self.model.clear()
        self.stars.clear()
        self.session_list.clear()
        self.sessions = []
        self.status.setText("")

    def _reload_soon(self) -> None:
        QTimer.singleShot(0, self._reload_slot)

    @async_slot
    async def _reload_slot(self) -> None:
        await self.reload()

    def _scope(self) -> tuple[UUID, ...] | None:
        """A super admin's day is the chosen location's; an instructor's is their own."""
        if self.context.identity.kind is PersonKind.SUPER_ADMIN:
            return self.context.location_ids or None
        return None

    async def reload(self) -> None:
        generation, day = self.staged.begin(), self.day
        loaded = await self.presenter.load_day(day, self._scope(), self.session_list.session_id())
        if generation != self.staged.generation:
            return  # the person moved on to another day meanwhile
        self.staged.day, self.staged.loaded = day, set(loaded.loaded)
        self.sessions = loaded.sessions
        self.session_list.set_zone(loaded.timezone)
        titles = {s.session_id: self.session_list.short_label(s) for s in loaded.sessions}
        self.model.set_entries(loaded.entries, titles)
        self._fill_sessions()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(SAVE_COLUMN, max(self.table.columnWidth(SAVE_COLUMN), 120))
        self.table.setColumnHidden(SESSION_COLUMN, True)
        if not self.sessions:
            self.status.setText(self.tr("No sessions of yours on this day."))
        else:
            self.status.setText(self.tr("%n session(s) on this day.", "", len(self.sessions)))
        if self.proxy.rowCount():
            self.table.selectRow(0)
        await super().reload()

    def _fill_sessions(self) -> None:
        # the server's count until a session's roster is here, then the live one
        loaded = self.staged.loaded
        counts = {s.session_id: s.checked_in for s in self.sessions if s.session_id not in loaded}
        for e in self.model.entries():
            if e.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
                counts[e.session_id] = counts.get(e.session_id, 0) + 1
        wanted = self.session_list.show_sessions(self.sessions, counts, dt.datetime.now(dt.UTC))
        self.proxy.set_session(wanted)

    def _on_session_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        session_id = current.data(SESSION_ROLE) if current is not None else None
        self.proxy.set_session(session_id)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self.staged.ensure(session_id)

    def _roster_arrived(self) -> None:
        """A selected session's roster came in: show it, its first child selected."""
        self._fill_sessions()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _on_child_changed(self, *_args: object) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.stars.clear()
        elif self.stars.child != (entry.session_id, entry.student_id):
            self.stars.show_child(entry.session_id, entry.student_id, entry.display_name)

    def selected_session(self) -> UUID | None:
        return self.session_list.session_id()

    # -- keyboard --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key = event.text().lower()
            if key in STATUS_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
                self._mark_selected(STATUS_KEYS[key])
                return True
            if event.text() in STAR_KEYS:  # rates the criterion selected beside the roster
                self.stars.rate_selected(STAR_KEYS[event.text()])
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._mark_selected(AttendanceStatus.PRESENT)
                return True
        return super().eventFilter(watched, event)

    # -- actions ---------------------------------------------------------------------
    def selected_entry(self) -> RosterEntry | None:
        index = self.table.currentIndex()
        return self.proxy.data(index, ENTRY_ROLE) if index.isValid() else None

    def _mark_selected(self, status: AttendanceStatus) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._mark(entry, status)

    @async_slot
    async def _mark(self, entry: RosterEntry, status: AttendanceStatus) -> None:
        if not self.may_take_attendance():
            self.status.setText(self.tr("Attendance is taken on the day of the session."))
            return
        current = self.model.entry(entry.session_id, entry.student_id) or entry
        if current.save_state is SaveState.SAVING:
            return  # this child's last key is still on its way; its answer decides
        name = entry.display_name
        self.status.setText(self.tr("Saving %1…").replace("%1", name))
        try:
            result = await self.presenter.mark(current, status)
        except UserFacingError as error:
            self.status.setText(
                self.tr("NOT saved — %1: %2").replace("%1", name).replace("%2", explain(error))
            )
            raise
        text = self.tr("Saved ✓ %1 — %2").replace("%1", name).replace(
            "%2", self.tr(status.value.title()))
        if result.outcome == "already_recorded":
            text += self.tr(" — was already recorded")
        self.status.setText(text)
        self._fill_sessions()

    def _mark_all(self) -> None:
        """Once the selected session's roster is here (it may still be on its way)."""
        session_id = self.selected_session()
        chosen = [s for s in self.sessions if s.session_id == session_id]

        def mark_all() -> None:
            for e in self.model.entries():
                if e.session_id == session_id and e.status is None:
                    self._mark(e, AttendanceStatus.PRESENT)

        self.staged.when_all(chosen, mark_all)

    @async_slot
    async def _undo(self) -> None:
        result = await self.presenter.undo()
        texts = {
            "undone": self.tr("Undone ✓ — the last mark was taken back."),
            "already_undone": self.tr("That mark was already undone."),
            "nothing_to_undo": self.tr("Nothing to undo."),
        }
        self.status.setText(texts.get(result.outcome, result.outcome))
        self._fill_sessions()

    @async_slot
    async def _close(self) -> None:
        session_id = self.selected_session()
        if session_id is None or not self.may_take_attendance():
            return
        count = await self.presenter.close(session_id)
        await self.reload()
        self.status.setText(self.tr("Session closed: %n child(ren) marked absent.", "", count))


ROSTERS = WorkspaceSpec(
    key="rosters",
    title="Rosters",
    icon="roster",
    kinds=frozenset({PersonKind.INSTRUCTOR, PersonKind.SUPER_ADMIN}),
    factory=RostersWorkspace,
)
