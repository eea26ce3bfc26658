"""My week: an instructor's own timetable. The query asks for every session in view and
RLS returns only theirs; their weekly availability is shaded behind it. Exports the
coming term as an iCalendar file a phone imports, and the week as PDF."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from academy_desktop.db.queries import calendar as q
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.schedule import AvailabilityWindow, WeekSession
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.icons import icon
from academy_desktop.views.calendar.base import WeekWorkspace
from academy_desktop.views.calendar.export import write_ics, write_week_pdf
from academy_desktop.views.workspace import WorkspaceContext, WorkspaceSpec

EXPORT_WEEKS = 16


class MyWeekWorkspace(WeekWorkspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.instructor_id: UUID | None = None
        self.ics_button = QPushButton(icon("cal-export"), self.tr("Export to phone…"), self)
        self.ics_button.setToolTip(
            self.tr("Save the next %n weeks as an iCalendar (.ics) file").replace(
                "%n", str(EXPORT_WEEKS)
            )
        )
        self.ics_button.clicked.connect(self.export_ics)
        self.pdf_button = QPushButton(icon("cal-print"), self.tr("PDF…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.tools.addWidget(self.ics_button)
        self.tools.addWidget(self.pdf_button)

    async def resolve_timezone(self) -> ZoneInfo:
        ids = self.context.identity.location_ids
        if ids and self.tz.key == "UTC":
            loc = ids[0]
            self.tz = ZoneInfo(await self.context.runner.run(lambda s: q.location_timezone(s, loc)))
        return self.tz

    async def fetch_week(
        self, start: datetime, end: datetime
    ) -> tuple[list[WeekSession], list[AvailabilityWindow]]:
        if self.instructor_id is None:
            self.instructor_id = await self.context.runner.run(q.my_instructor_id)
        # no instructor filter on purpose: RLS alone decides what an instructor sees
        sessions = await self.context.runner.run(lambda s: q.week_sessions(s, start, end))
        me = self.instructor_id
        windows = (
            await self.context.runner.run(lambda s: q.availability(s, [me], start.date()))
            if me
            else []
        )
        return sessions, windows

    async def export_sessions(self) -> list[WeekSession]:
        start, _ = self.week_range()
        end = start + timedelta(weeks=EXPORT_WEEKS)
        return await self.context.runner.run(lambda s: q.week_sessions(s, start, end))

    def week_range(self) -> tuple[datetime, datetime]:
        from academy_desktop.domain.schedule import week_bounds

        return week_bounds(self.monday, self.tz)

    @async_slot
    async def export_ics(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export timetable"), "timetable.ics", self.tr("iCalendar (*.ics)")
            )
        if not path:
            return
        sessions = await self.export_sessions()
        names = {loc.location_id: loc.name for loc in self.context.identity.locations}
        write_ics(
            path, sessions, self.tr("Academy – %s") % self.context.identity.display_name, names
        )
        self.status.setText(
            self.tr("Saved %n sessions to %1").replace("%n", str(len(sessions))).replace("%1", path)
        )

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save week as PDF"),
            f"my-week-{self.monday.isoformat()}.pdf",
            "PDF (*.pdf)",
        )
        if path:
            write_week_pdf(
                self.view, path, self.title.text() + " · " + self.context.identity.display_name
            )


MY_WEEK = WorkspaceSpec(
    key="my_week",
    title="My week",
    icon="week",
    kinds=frozenset({PersonKind.INSTRUCTOR}),
    factory=MyWeekWorkspace,
)
