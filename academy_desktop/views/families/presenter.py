"""Async side of the families workspace: list or search families, and the "New family"
dialog's duplicate check and save (the only place on this screen that calls queries)."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QObject, QTimer

from academy_desktop.db.queries import families as queries
from academy_desktop.db.queries import students as student_queries
from academy_desktop.domain.students import FamilySummary, PersonRow
from academy_desktop.domain.validation import CleanFamily
from academy_desktop.models.family import FamiliesModel
from academy_desktop.ui.aio import LatestRequest, async_slot
from academy_desktop.views.workspace import WorkspaceContext

DEBOUNCE_MS = 150


class FamiliesPresenter(QObject):
    def __init__(self, context: WorkspaceContext, model: FamiliesModel, widget: QObject) -> None:
        super().__init__(widget)
        self.context = context
        self.model = model
        self.widget = widget
        self.query = ""
        self._latest = LatestRequest()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.load(self.query))

    def set_query(self, text: str) -> None:
        self.query = text
        self._debounce.start()

    @async_slot
    async def load(self, text: str) -> tuple[FamilySummary, ...]:
        """Families whose parent matches ``text`` (name, phone, email), or all in scope."""
        async def fetch() -> tuple[FamilySummary, ...]:
            if not text.strip():
                return await self.context.runner.run(lambda s: queries.list_families(s))
            hits = await self.context.runner.run(
                lambda s: student_queries.search_people(s, text, 100))
            ids = [h.id for h in hits if not h.is_student]
            if not ids:
                return ()
            found = await self.context.runner.run(lambda s: queries.list_families(s, ids))
            order = {pid: i for i, pid in enumerate(ids)}
            return tuple(sorted(found, key=lambda f: min(
                order.get(pid, len(order)) for pid in f.parent_ids or (f.parent_id,))))

        rows = await self._latest.run(fetch)
        self.model.reset_rows(rows)
        return rows

    async def find_duplicates(self, phones: list[str], emails: list[str]
                              ) -> tuple[PersonRow, ...]:
        return await self.context.runner.run(
            lambda s: queries.find_duplicate_parents(s, phones, emails))

    async def create_family(self, family: CleanFamily) -> tuple[UUID, ...]:
        return await self.context.runner.run(lambda s: queries.create_family(s, family))

    async def import_families(self, families: list[CleanFamily]) -> int:
        """Every family of a CSV import in one transaction (all or nothing)."""
        return await self.context.runner.run(
            lambda s: queries.import_families(s, families))

    def cancel_all(self) -> None:
        self._debounce.stop()
        self._latest.cancel()
