"""Student queries: search, the paged list, one student's whole picture, edits.

Search goes through ``academy.search_people`` (SECURITY DEFINER, same scope as RLS) so
trigram/prefix indexes are used; everything else is plain SQL under the caller's RLS.
Edits carry ``row_version``: a stale save changes no row and raises CONFLICT_STALE.
"""

from __future__ import annotations

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


_ORDER = {
    SortKey.NAME: "s.last_name {d}, s.first_name {d}, s.id",
    SortKey.NUMBER: "s.student_number {d}, s.id",
    SortKey.BIRTH: "s.date_of_birth {d} nulls last, s.last_name, s.id",
    SortKey.LOCATION: "l.name {d}, s.last_name, s.first_name, s.id",
    SortKey.PROGRAM: "p.name {d} nulls last, s.last_name, s.first_name, s.id",
}

_LIST = """
    select 'student' as kind, s.id, s.student_number, s.first_name, s.last_name,
           s.preferred_name, s.date_of_birth, l.name as location_name, p.name as program_name,
           (select lv.name from academy.student_enrollments e
              join academy.levels lv on lv.id = e.level_id
             where e.student_id = s.id and e.status = 'active'
             order by e.enrolled_on desc limit 1) as level_name,
           (select string_agg(pa.first_name || ' ' || pa.last_name, ', '
                              order by r.is_primary_contact desc, pa.last_name)
              from academy.student_parent_relationships r
              join academy.parents pa on pa.id = r.parent_id
             where r.student_id = s.id) as family,
           s.is_active
      from academy.students s
      join academy.locations l on l.id = s.location_id
      left join academy.programs p on p.id = s.program_id
     where (cast(:location_id as uuid) is null or s.location_id = :location_id)
       and (cast(:program_id as uuid) is null or s.program_id = :program_id)
       and (cast(:active as boolean) is null or s.is_active = :active)
       and (cast(:level_id as uuid) is null or exists (
            select 1 from academy.student_enrollments e
             where e.student_id = s.id and e.level_id = :level_id and e.status = 'active'))
     order by {order}
     limit :limit offset :offset"""


async def list_students(session: AsyncSession, filters: StudentFilter,
                        sort: SortKey = SortKey.NAME, descending: bool = False,
                        offset: int = 0, limit: int = PAGE_SIZE) -> StudentPage:
    """One page of the students list, sorted and filtered by the server, in RLS scope."""
    order = _ORDER[SortKey(sort)].format(d="desc" if descending else "asc")
    statement = text(_LIST.format(order=order))  # order comes from a fixed table only
    result = await session.execute(statement, {
        "location_id": filters.location_id, "program_id": filters.program_id,
        "level_id": filters.level_id, "active": filters.active,
        "limit": limit + 1, "offset": offset})
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


_PROFILE = text("""
    select s.id, s.student_number, s.first_name, s.last_name, s.preferred_name, s.date_of_birth,
           s.gender, s.location_id, l.name as location_name, p.name as program_name, s.school,
           s.medical_notes, s.allergies, s.notes, s.joined_on, s.is_active, s.row_version
      from academy.students s
      join academy.locations l on l.id = s.location_id
      left join academy.programs p on p.id = s.program_id
     where s.id = :id""")

_FAMILY = text("""
    select pa.id as parent_id, pa.first_name, pa.last_name, r.relationship::text as relationship,
           pa.phone, pa.email::text as email, r.is_primary_contact, r.is_emergency_contact,
           r.can_pickup
      from academy.student_parent_relationships r
      join academy.parents pa on pa.id = r.parent_id
     where r.student_id = :id
     order by r.is_primary_contact desc, pa.last_name, pa.first_name""")

_ENROLLMENTS = text("""
    select p.name as program, c.name as curriculum, lv.name as level, e.status::text as status,
           e.enrolled_on
      from academy.student_enrollments e
      join academy.programs p on p.id = e.program_id
      join academy.curriculums c on c.id = e.curriculum_id
      left join academy.levels lv on lv.id = e.level_id
     where e.student_id = :id
     order by (e.status = 'active') desc, e.enrolled_on desc""")

_UPCOMING = text("""
    select se.starts_at, coalesce(se.title, p.name) as title, l.name as location,
           b.status::text as status
      from academy.session_bookings b
      join academy.sessions se on se.id = b.session_id and se.session_date = b.session_date
      join academy.programs p on p.id = se.program_id
      join academy.locations l on l.id = se.location_id
     where b.student_id = :id and b.session_date >= :today and se.starts_at >= :now
     order by se.starts_at limit 10""")

_ATTENDANCE = text("""
    select a.attendance_date as day, coalesce(se.title, p.name) as title, a.status::text as status
      from academy.student_attendance a
      join academy.sessions se on se.id = a.session_id and se.session_date = a.attendance_date
      join academy.programs p on p.id = a.program_id
     where a.student_id = :id and a.attendance_date >= :since
     order by a.attendance_date desc limit 20""")

_PROGRESS = text("""
    select distinct on (sp.criterion_id) lv.name as level, cr.name as criterion, sp.stars,
           sp.assessed_at, cr.position, lv.position as level_position
      from academy.student_progress sp
      join academy.levels lv on lv.id = sp.level_id
      join academy.assessment_rubric_criteria cr on cr.id = sp.criterion_id
     where sp.student_id = :id
     order by sp.criterion_id, sp.assessed_at desc""")

_LEDGER = text("""
    select f.transaction_date as day, f.entry_type::text as entry_type, f.amount, f.currency,
           coalesce(f.description, f.reason) as description, v.entry_type::text as reversed_type,
           f.created_at
      from academy.student_financial_records f
      left join academy.student_financial_records v on v.id = f.reverses_id
     where f.student_id = :id
     order by f.transaction_date desc, f.created_at desc""")


async def student_detail(session: AsyncSession, student_id: UUID,
                         today: date | None = None) -> StudentDetail:
    """Everything the student view shows, in one unit of work (RLS decides each part)."""
    today = today or date.today()
    params: dict[str, Any] = {"id": student_id}
    row = (await session.execute(_PROFILE, params)).mappings().first()
    if row is None:
        raise UserFacingError(ErrorKind.NOT_FOUND)
    profile = StudentProfile(**row)
    family = tuple(FamilyLink(**r) for r in (await session.execute(_FAMILY, params)).mappings())
    enrollments = tuple(EnrollmentLine(**r)
                        for r in (await session.execute(_ENROLLMENTS, params)).mappings())
    now = datetime.now(UTC)
    upcoming = tuple(SessionLine(**r) for r in (await session.execute(
        _UPCOMING, {**params, "today": today, "now": now})).mappings())
    since = date(today.year - 1, today.month, 1)
    attendance = tuple(AttendanceLine(**r) for r in (await session.execute(
        _ATTENDANCE, {**params, "since": since})).mappings())
    progress_rows = sorted((await session.execute(_PROGRESS, params)).mappings(),
                           key=lambda r: (r["level_position"], r["position"]))
    progress = tuple(ProgressLine(r["level"], r["criterion"], r["stars"], r["assessed_at"])
                     for r in progress_rows)
    ledger = list((await session.execute(_LEDGER, params)).mappings())
    lines = tuple(LedgerLine(r["day"], r["entry_type"],
                             signed_amount(r["entry_type"], r["amount"], r["reversed_type"]),
                             r["currency"], r["description"]) for r in ledger)
    balance = sum((line.signed_amount for line in lines), Decimal("0"))
    currency = lines[0].currency if lines else "USD"
    return StudentDetail(profile, family, enrollments, upcoming, attendance, progress,
                         balance, currency, lines[:10])


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
