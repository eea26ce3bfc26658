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


# Per sort key: the order inside one location (walked on an index per location for name,
# number and birth) and the order of the merged page (location name first for LOCATION).
_ORDER = {
    SortKey.NAME: ("s.last_name {d}, s.first_name {d}, s.id {d}",
                   "x.last_name {d}, x.first_name {d}, x.id {d}"),
    SortKey.NUMBER: ("s.student_number {d}, s.id {d}", "x.student_number {d}, x.id {d}"),
    SortKey.BIRTH: ("s.date_of_birth {d} nulls last, s.last_name {d}, s.id {d}",
                    "x.date_of_birth {d} nulls last, x.last_name {d}, x.id {d}"),
    SortKey.LOCATION: ("s.last_name, s.first_name, s.id",
                       "x.location_name {d}, x.last_name, x.first_name, x.id"),
    SortKey.PROGRAM: ("(select p.name from academy.programs p where p.id = s.program_id)"
                      " {d} nulls last, s.last_name, s.first_name, s.id",
                      "x.program_name {d} nulls last, x.last_name, x.first_name, x.id"),
}

# The page's ids come from each visible location's first (offset + limit) rows in order,
# merged (RLS on locations gives the desk its own; equality on location_id is leakproof,
# so each location walks an index); only the page's rows are then decorated.
_LIST = """
    with page as (
        select x.id, row_number() over (order by {merged}) as pos
          from academy.locations l
         cross join lateral (
               select s.id, s.last_name, s.first_name, s.student_number, s.date_of_birth,
                      l.name as location_name,
                      (select p.name from academy.programs p where p.id = s.program_id)
                          as program_name
                 from academy.students s
                where s.location_id = l.id
                  and (cast(:program_id as uuid) is null or s.program_id = :program_id)
                  and (cast(:active as boolean) is null or s.is_active = :active)
                  and (cast(:level_id as uuid) is null or exists (
                       select 1 from academy.student_enrollments e
                        where e.student_id = s.id and e.level_id = :level_id
                          and e.status = 'active'))
                order by {inner}
                limit :window) x
         where cast(:location_id as uuid) is null or l.id = :location_id
         order by pos offset :offset limit :limit)
    select 'student' as kind, s.id, s.student_number, s.first_name, s.last_name,
           s.preferred_name, s.date_of_birth, l.name as location_name, p.name as program_name,
           lev.name as level_name, fam.names as family, s.is_active
      from page
      join academy.students s on s.id = page.id
      join academy.locations l on l.id = s.location_id
      left join academy.programs p on p.id = s.program_id
      -- per row, by index (a CTE joined here was rescanned per row under a generic plan)
      left join lateral (  -- the level in the primary program first (shown beside it)
           select lv.name from academy.student_enrollments e
            cross join lateral (  -- by key (joined, levels was hashed whole per row)
                  select lv.name from academy.levels lv where lv.id = e.level_id
                  limit 1) lv
            where e.student_id = s.id and e.status = 'active'
            order by (e.program_id = s.program_id) desc nulls last, e.enrolled_on desc
            limit 1) lev on true
      left join lateral (
           select string_agg(pa.first_name || ' ' || pa.last_name, ', '
                             order by r.is_primary_contact desc, pa.last_name) as names
             from academy.student_parent_relationships r
             join academy.parents pa on pa.id = r.parent_id
            where r.student_id = s.id) fam on true
     order by page.pos"""


async def list_students(session: AsyncSession, filters: StudentFilter,
                        sort: SortKey = SortKey.NAME, descending: bool = False,
                        offset: int = 0, limit: int = PAGE_SIZE) -> StudentPage:
    """One page of the students list, sorted and filtered by the server, in RLS scope."""
    inner, merged = (part.format(d="desc" if descending else "asc")
                     for part in _ORDER[SortKey(sort)])
    statement = text(_LIST.format(inner=inner, merged=merged))  # from the fixed table only
    result = await session.execute(statement, {
        "location_id": filters.location_id, "program_id": filters.program_id,
        "level_id": filters.level_id, "active": filters.active,
        "window": offset + limit + 1, "limit": limit + 1, "offset": offset})
    rows = [PersonRow(**row) for row in result.mappings()]
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
