"""Calendar: a location's week for front desks, program admins and super admins,
filtered by program, level and instructor, with "New recurring class" and PDF export.
The location is the one chosen in the main window (or the person's first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QWidget

from academy_desktop.db.queries import calendar as q
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.schedule import AvailabilityWindow, Choice, WeekSession
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.icons import icon
from academy_desktop.views.calendar.base import WeekWorkspace
from academy_desktop.views.calendar.export import write_week_pdf
from academy_desktop.views.workspace import WorkspaceContext, WorkspaceSpec


class CalendarWorkspace(WeekWorkspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.location_label = QLabel(self)
        self.location_label.setProperty("muted", True)
        # a location picker for people the main window gives none (e.g. a program admin)
        self.location_combo = QComboBox(self)
        self.location_combo.setAccessibleName(self.tr("Location"))
        self.location_combo.setMinimumWidth(160)
        self.location_combo.hide()
        self.location_combo.currentIndexChanged.connect(lambda _i: self._reload_slot())
        self._locations: list[tuple[UUID, str]] | None = None
        self.program_filter = self._combo(self.tr("All programs"), self.tr("Program"))
        self.level_filter = self._combo(self.tr("All levels"), self.tr("Level"))
        self.instructor_filter = self._combo(self.tr("All instructors"), self.tr("Instructor"))
        self._levels: list[Choice] = []
        self.filters.addWidget(self.location_label)
        self.filters.addWidget(self.location_combo)
        self.filters.addStretch(1)
        for combo in (self.program_filter, self.level_filter, self.instructor_filter):
            self.filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._filters_changed)
        self.new_button = QPushButton(icon("calendar"), self.tr("New recurring class…"), self)
        self.new_button.clicked.connect(self.new_pattern)
        self.pdf_button = QPushButton(icon("cal-print"), self.tr("PDF…"), self)
        self.pdf_button.setToolTip(self.tr("Save this week as PDF"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.conflicts_button = QPushButton(self.tr("Conflicts…"), self)
        self.conflicts_button.setToolTip(self.tr("Soft conflicts waiting for a decision"))
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.tools.addWidget(self.conflicts_button)
        self.tools.addWidget(self.new_button)
        self.tools.addWidget(self.pdf_button)
        self._filters_location: UUID | None = None
        self._tz_cache: dict[UUID, ZoneInfo] = {}
        context.location_changed.connect(lambda _l: self._reload_slot())

    def _combo(self, everything: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(everything, None)
        combo.setAccessibleName(name)
        combo.setMinimumWidth(150)
        return combo

    def can_manage(self) -> bool:
        return self.context.identity.kind in (
            PersonKind.FRONT_DESK,
            PersonKind.PROGRAM_ADMIN,
            PersonKind.SUPER_ADMIN,
        )

    @property
    def location_id(self) -> UUID | None:
        if self.context.location_id is not None:
            return self.context.location_id
        if self.location_combo.count():
            return self.location_combo.currentData()
        ids = self.context.location_ids
        return ids[0] if ids else None

    async def _offer_locations(self) -> None:
        """Without a location from the main window (none assigned, or "all of mine"),
        offer every location the person may read."""
        if self._locations is not None or self.context.location_id is not None:
            return
        self._locations = await self.context.runner.run(q.visible_locations)
        if len(self.context.identity.location_ids) == 1 or not self._locations:
            return
        self.location_combo.blockSignals(True)
        for loc, name in self._locations:
            self.location_combo.addItem(name, loc)
        mine = self.context.identity.location_ids
        first = next((i for i, (loc, _n) in enumerate(self._locations) if loc in mine), 0)
        self.location_combo.setCurrentIndex(first)
        self.location_combo.blockSignals(False)
        self.location_combo.show()
        self.location_label.hide()

    async def resolve_timezone(self) -> ZoneInfo:
        await self._offer_locations()
        loc = self.location_id
        if loc is None:
            return self.tz
        if loc not in self._tz_cache:
            name = await self.context.runner.run(lambda s: q.location_timezone(s, loc))
            self._tz_cache[loc] = ZoneInfo(name)
        names = dict(self._locations or [])
        self.location_label.setText(names.get(loc) or self.context.identity.location_name(loc))
        return self._tz_cache[loc]

    async def fetch_week(
        self, start: datetime, end: datetime
    ) -> tuple[list[WeekSession], list[AvailabilityWindow]]:
        loc = self.location_id
        if loc is None:
            return [], []
        if self._filters_location != loc:
            await self._load_filters(loc)
        program, level, instructor = (
            c.currentData()
            for c in (self.program_filter, self.level_filter, self.instructor_filter)
        )
        sessions = await self.context.runner.run(
            lambda s: q.week_sessions(
                s,
                start,
                end,
                location_ids=[loc],
                program_id=program,
                level_id=level,
                instructor_id=instructor,
            )
        )
        windows: list[AvailabilityWindow] = []
        if instructor is not None:  # one instructor's week: shade their availability
            windows = await self.context.runner.run(
                lambda s: q.availability(s, [instructor], start.date())
            )
        return sessions, windows

    async def _load_filters(self, loc: UUID) -> None:
        choices = await self.context.runner.run(lambda s: q.filter_choices(s, loc))
        self._filters_location = loc
        self._levels = choices["levels"]
        for combo, key in (
            (self.program_filter, "programs"),
            (self.instructor_filter, "instructors"),
        ):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for c in choices[key]:
                combo.addItem(c.name, c.id)
            combo.blockSignals(False)
        self._fill_levels()

    def _fill_levels(self) -> None:
        program = self.program_filter.currentData()
        combo = self.level_filter
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for c in self._levels:
            if program is None or c.extra.get("program_id") == str(program):
                combo.addItem(c.name, c.id)
        combo.blockSignals(False)

    def _filters_changed(self) -> None:
        if self.sender() is self.program_filter:
            self._fill_levels()
        self._reload_slot()

    def set_filter(self, which: str, value: Any) -> None:
        combo = {
            "program": self.program_filter,
            "level": self.level_filter,
            "instructor": self.instructor_filter,
        }[which]
        found = next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)
        combo.setCurrentIndex(found)

    @async_slot
    async def new_pattern(self) -> None:
        from academy_desktop.views.calendar.pattern_dialog import PatternDialog

        loc = self.location_id
        if loc is None:
            return
        dialog = PatternDialog(self.context, loc, self.tz, parent=self)
        self.pattern_dialog = dialog
        dialog.finished.connect(lambda _c: self._reload_slot() if dialog.generated else None)
        dialog.open()
        await dialog.load_choices()

    @async_slot
    async def show_conflicts(self) -> None:
        from academy_desktop.views.calendar.conflicts import ConflictsDialog

        loc = self.location_id
        if loc is None:
            return
        dialog = ConflictsDialog(self.context, loc, parent=self)
        self.conflicts_dialog = dialog
        dialog.open()
        await dialog.load()

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save week as PDF"), f"week-{self.monday.isoformat()}.pdf", "PDF (*.pdf)"
        )
        if path:
            write_week_pdf(self.view, path, self.title.text() + " · " + self.location_label.text())


CALENDAR = WorkspaceSpec(
    key="calendar",
    title="Calendar",
    icon="calendar",
    kinds=frozenset({PersonKind.FRONT_DESK, PersonKind.PROGRAM_ADMIN, PersonKind.SUPER_ADMIN}),
    factory=CalendarWorkspace,
)
