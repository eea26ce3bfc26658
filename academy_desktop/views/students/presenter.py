"""Async orchestration of the students workspace: list pages, search-as-you-type, opening,
editing and archiving a student, and the "New family" dialog's database calls.

The only place on this screen that calls queries. Search uses latest-request-wins after
a short debounce; a scanned student number followed by Enter opens that student.
"""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QObject, QTimer, Signal

from academy_desktop.db.queries import families as family_queries
from academy_desktop.db.queries import students as queries
from academy_desktop.domain.students import (
    FilterChoices,
    PersonRow,
    SortKey,
    StudentChanges,
    StudentDetail,
    StudentFilter,
)
from academy_desktop.domain.validation import CleanFamily
from academy_desktop.models.students import StudentsModel
from academy_desktop.ui.aio import LatestRequest, async_slot
from academy_desktop.views.workspace import WorkspaceContext

DEBOUNCE_MS = 150


class StudentsPresenter(QObject):
    detail_loaded = Signal(object)  # StudentDetail
    search_finished = Signal(str)
    choices_loaded = Signal(object)  # FilterChoices

    def __init__(self, context: WorkspaceContext, model: StudentsModel,
                 widget: QObject) -> None:
        super().__init__(widget)
        self.context = context
        self.model = model
        self.widget = widget  # errors from our slots go to its window's banner
        self.filters = StudentFilter()
        self.query = ""
        self._search = LatestRequest()
        self._detail = LatestRequest()
        self._generation = 0  # list reloads: a page for an older list is dropped
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)
        model.fetch_wanted.connect(self._fetch_page)
        model.sort_wanted.connect(lambda _key, _desc: self.reload_list())

    # -- list ----------------------------------------------------------------------------
    def set_filters(self, filters: StudentFilter) -> None:
        self.filters = filters
        if not self.query.strip():
            self.reload_list()

    def reload_list(self) -> None:
        if not self.query.strip():
            self._load_first_page()

    @async_slot
    async def _load_first_page(self) -> None:
        self._generation += 1
        mine = self._generation
        self._search.cancel()
        page = await self._page(0)
        if mine == self._generation and not self.query.strip():
            self.model.reset_rows(page.rows, page.has_more)

    @async_slot
    async def _fetch_page(self, offset: int) -> None:
        mine = self._generation
        try:
            page = await self._page(offset)
        except BaseException:
            self.model.page_failed()
            raise
        if mine == self._generation:
            self.model.append_page(page)
        else:
            self.model.page_failed()

    async def _page(self, offset: int):  # type: ignore[no-untyped-def]
        filters, key, desc = self.filters, self.model.sort_key, self.model.descending
        return await self.context.runner.run(
            lambda s: queries.list_students(s, filters, SortKey(key), desc, offset))

    async def load_choices(self) -> FilterChoices:
        choices = await self.context.runner.run(queries.filter_choices)
        self.choices_loaded.emit(choices)
        return choices

    # -- search --------------------------------------------------------------------------
    def set_query(self, text: str) -> None:
        self.query = text
        if text.strip():
            self._debounce.start()
        else:
            self._debounce.stop()
            self._search.cancel()
            self._load_first_page()

    def _search_now(self) -> None:
        self.search(self.query)

    @async_slot
    async def search(self, text: str) -> tuple[PersonRow, ...]:
        rows = await self._search.run(
            lambda: self.context.runner.run(lambda s: queries.search_people(s, text)))
        self._generation += 1  # pages of the plain list must not land on search results
        self.model.reset_rows(rows)
        self.search_finished.emit(text)
        return rows

    @async_slot
    async def open_best_match(self, text: str) -> None:
        """Enter in the search field: search now (no debounce) and open the best student.

        A scanned student number matches exactly and ranks first."""
        if not text.strip():
            return
        self._debounce.stop()
        rows = await self.search(text)
        students = [r for r in rows if r.is_student]
        exact = [r for r in students if (r.student_number or "") == text.strip().upper()]
        chosen = exact[0] if exact else (students[0] if students else None)
        if chosen is not None:
            await self.open_student(chosen.id)

    # -- one student -----------------------------------------------------------------------
    @async_slot
    async def open_student(self, student_id: UUID) -> StudentDetail:
        detail = await self._detail.run(
            lambda: self.context.runner.run(lambda s: queries.student_detail(s, student_id)))
        self.detail_loaded.emit(detail)
        return detail

    async def save_student(self, student_id: UUID, row_version: int,
                           changes: StudentChanges) -> int:
        return await self.context.runner.run(
            lambda s: queries.update_student(s, student_id, row_version, changes))

    async def set_photo(self, student_id: UUID, row_version: int, photo: bytes | None) -> int:
        return await self.context.runner.run(lambda s: queries.set_student_photo(
            s, student_id, row_version, photo, "image/jpeg" if photo else None))

    async def set_active(self, student_id: UUID, row_version: int, active: bool) -> int:
        return await self.context.runner.run(
            lambda s: queries.set_student_active(s, student_id, row_version, active))

    # -- families ----------------------------------------------------------------------------
    async def find_duplicates(self, phones: list[str], emails: list[str]
                              ) -> tuple[PersonRow, ...]:
        return await self.context.runner.run(
            lambda s: family_queries.find_duplicate_parents(s, phones, emails))

    async def create_family(self, family: CleanFamily) -> tuple[UUID, ...]:
        return await self.context.runner.run(lambda s: family_queries.create_family(s, family))

    async def link_parent(self, student_id: UUID, parent_id: UUID, relationship: str) -> None:
        await self.context.runner.run(
            lambda s: family_queries.link_parent(s, student_id, parent_id, relationship))

    async def unlink_parent(self, student_id: UUID, parent_id: UUID) -> None:
        await self.context.runner.run(
            lambda s: family_queries.unlink_parent(s, student_id, parent_id))

    def cancel_all(self) -> None:
        self._debounce.stop()
        self._search.cancel()
        self._detail.cancel()
        self._generation += 1
