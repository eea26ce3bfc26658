"""Student queries: search, the paged list, one student's whole picture, edits.

Search goes through ``academy.search_people`` (SECURITY DEFINER, same scope as RLS) so
trigram/prefix indexes are used; everything else is plain SQL under the caller's RLS.
Edits carry ``row_version``: a stale save changes no row and raises CONFLICT_STALE.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.students import (
    AttendanceLine,
    Choice,
    EnrollmentLine,
    FamilyLink,
    FilterChoices,
    LedgerLine,
    PersonRow,
    ProgressLine,
    SessionLine,
    SortKey,
    StudentChanges,
    StudentDetail,
    StudentFilter,
    StudentPage,
    StudentProfile,
    signed_amount,
)

PAGE_SIZE = 100  # a page is decorated per row (level, family): keep it small

_SEARCH = text("""
    select kind, id, student_number, first_name, last_name, preferred_name, date_of_birth,
           location_name, program_name, level_name, phone, email, is_active, match_rank,
           family
      from academy.search_people(:q, :limit)""")


async def search_people(session: AsyncSession, query: str,
                        limit: int = 50) -> tuple[PersonRow, ...]:
    """Students and parents matching ``query``, best first (exact, prefix, contains, typo)."""
    if not query.strip():
        return ()
    result = await session.execute(_SEARCH, {"q": query[:200], "limit": limit})
    return tuple(PersonRow(**row) for row in result.mappings())


# One page through 0018: front desk and super admin get ``academy.students_page``
# (SECURITY DEFINER: their RLS scope as arguments computed once, no policy subplans per
# decorated row, plans cached per session); anyone else gets the same body under RLS.
# The columns are PersonRow's, in its order (positional construction is the cheap one).
_PAGE_COLUMNS = """'student', id, first_name, last_name, student_number, preferred_name,
           date_of_birth, location_name, program_name, level_name, family, null, null,
           is_active, pos"""
_PAGE_ARGS = ":sort, :descending, :location_id, :program_id, :level_id, :active, :offset, :limit"
_PAGE = text(f"""
    select {_PAGE_COLUMNS} from academy.students_page({_PAGE_ARGS})
    union all
    select {_PAGE_COLUMNS} from academy.students_page_body({_PAGE_ARGS}, true, null, null)
     where not coalesce(academy.my_kind() in ('front_desk', 'super_admin'), false)
     order by pos""")


async def list_students(session: AsyncSession, filters: StudentFilter,
                        sort: SortKey = SortKey.NAME, descending: bool = False,
                        offset: int = 0, limit: int = PAGE_SIZE) -> StudentPage:
    """One page of the students list, sorted and filtered by the server, in RLS scope
    (``academy.students_page``: exactly what RLS shows, tested in
    tests/db/test_students_page.py)."""
    result = await session.execute(_PAGE, {
        "sort": SortKey(sort).value, "descending": bool(descending),
        "location_id": filters.location_id, "program_id": filters.program_id,
        "level_id": filters.level_id, "active": filters.active,
        "offset": offset, "limit": limit + 1})
    rows = [PersonRow(*row[:14]) for row in result]  # the last column (pos) only sorts
    return StudentPage(tuple(rows[:limit]), offset, len(rows) > limit)


async def filter_choices(session: AsyncSession) -> FilterChoices:
    """Locations, programs and levels the caller may see (for the filter bar)."""
    async def pairs(sql: str) -> tuple[Choice, ...]:
        return tuple(Choice(r.id, r.name) for r in await session.execute(text(sql)))

    return FilterChoices(
        await pairs("select id, name from academy.locations where is_active order by name"),
        await pairs("select id, name from academy.programs where is_active order by name"),
        await pairs("""select lv.id, c.name || ' · ' || lv.name as name from academy.levels lv
                        join academy.curriculums c on c.id = lv.curriculum_id
                       where lv.is_active order by c.name, lv.position, lv.level_number"""))


# front desk / super admin: the SECURITY DEFINER wrapper (their scope computed once);
# anyone else: the body under RLS
_PANELS = text("""
    select case when academy.my_kind() in ('front_desk', 'super_admin')
                then academy.student_panels(:id, :today, :now, :since)
                else academy.student_panels_body(:id, :today, :now, :since, true, null, null)
           end""")


async def student_detail(session: AsyncSession, student_id: UUID,
                         today: date | None = None) -> StudentDetail:
    """Everything the student view shows, in one round trip (``academy.student_panels``:
    exactly what RLS shows, tested in tests/db/test_queries_students.py)."""
    today = today or date.today()
    panels = (await session.execute(_PANELS, {
        "id": student_id, "today": today, "now": datetime.now(UTC),
        "since": date(today.year - 1, today.month, 1)})).scalar()
    if panels is None:
        raise UserFacingError(ErrorKind.NOT_FOUND)
    return _detail_from(panels)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _detail_from(panels: dict[str, Any]) -> StudentDetail:
    """The jsonb of ``academy.student_panels`` as domain objects (dates, Decimal money)."""
    raw = panels["profile"]
    profile = StudentProfile(**{
        **{k: raw[k] for k in _PROFILE_FIELDS}, "id": UUID(raw["id"]),
        "location_id": UUID(raw["location_id"]), "date_of_birth": _day(raw["date_of_birth"]),
        "joined_on": date.fromisoformat(raw["joined_on"])})
    family = tuple(FamilyLink(**{**f, "parent_id": UUID(f["parent_id"])})
                   for f in panels["family"])
    enrollments = tuple(EnrollmentLine(**{**e, "enrolled_on": date.fromisoformat(
        e["enrolled_on"])}) for e in panels["enrollments"])
    upcoming = tuple(SessionLine(datetime.fromisoformat(u["starts_at"]), u["title"],
                                 u["location"], u["status"]) for u in panels["upcoming"])
    attendance = tuple(AttendanceLine(date.fromisoformat(a["day"]), a["title"], a["status"])
                       for a in panels["attendance"])
    progress = tuple(ProgressLine(g["level"], g["criterion"], g["stars"],
                                  datetime.fromisoformat(g["assessed_at"]))
                     for g in panels["progress"])
    lines = tuple(LedgerLine(date.fromisoformat(t["day"]), t["entry_type"],
                             signed_amount(t["entry_type"], Decimal(t["amount"]),
                                           t["reversed_type"]),
                             t["currency"], t["description"]) for t in panels["ledger"])
    balance = sum((line.signed_amount for line in lines), Decimal("0"))
    currency = lines[0].currency if lines else "USD"
    photo = base64.b64decode(raw["photo"]) if raw.get("photo") else None
    return StudentDetail(profile, family, enrollments, upcoming, attendance, progress,
                         balance, currency, lines[:10], photo)


_PROFILE_FIELDS = ("student_number", "first_name", "last_name", "preferred_name", "gender",
                   "location_name", "program_name", "school", "medical_notes", "allergies",
                   "notes", "is_active", "row_version")


_UPDATE = text("""
    update academy.students
       set first_name = :first_name, last_name = :last_name, preferred_name = :preferred_name,
           date_of_birth = :date_of_birth, medical_notes = :medical_notes,
           allergies = :allergies, notes = :notes,
           location_id = coalesce(cast(:location_id as uuid), location_id)
     where id = :id and row_version = :row_version
    returning row_version""")


async def update_student(session: AsyncSession, student_id: UUID, row_version: int,
                         changes: StudentChanges) -> int:
    """Save ``changes`` if nobody saved since ``row_version``; returns the new version."""
    new_version = (await session.execute(_UPDATE, {
        "id": student_id, "row_version": row_version,
        "first_name": changes.first_name, "last_name": changes.last_name,
        "preferred_name": changes.preferred_name, "date_of_birth": changes.date_of_birth,
        "medical_notes": changes.medical_notes, "allergies": changes.allergies,
        "notes": changes.notes, "location_id": changes.location_id})).scalar()
    if new_version is None:
        raise UserFacingError(ErrorKind.CONFLICT_STALE, record="student")
    return int(new_version)


async def set_student_active(session: AsyncSession, student_id: UUID, row_version: int,
                             active: bool) -> int:
    """Archive (soft delete) or restore a student, with the same stale-edit guard."""
    new_version = (await session.execute(text(
        "update academy.students set is_active = :active"
        " where id = :id and row_version = :row_version returning row_version"),
        {"id": student_id, "row_version": row_version, "active": active})).scalar()
    if new_version is None:
        raise UserFacingError(ErrorKind.CONFLICT_STALE, record="student")
    return int(new_version)


async def set_student_photo(session: AsyncSession, student_id: UUID, row_version: int,
                            photo: bytes | None, mime_type: str | None) -> int:
    """Store (or clear, with None) the student's photo, already scaled by the caller; the
    same stale-edit guard as any edit. RLS decides who may (the student's desk)."""
    new_version = (await session.execute(text(
        "update academy.students set photo = :photo, photo_mime_type = :mime"
        " where id = :id and row_version = :row_version returning row_version"),
        {"id": student_id, "row_version": row_version, "photo": photo,
         "mime": mime_type if photo is not None else None})).scalar()
    if new_version is None:
        raise UserFacingError(ErrorKind.CONFLICT_STALE, record="student")
    return int(new_version)
