"""Calendar reads: a week of sessions (RLS decides whose), session details,
availability, filter choices, a location's zone, closures and names, and an
instructor's timetable for the iCalendar export. Kept apart from the writers
(calendar_patterns, calendar_edits) so each file has one responsibility."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.schedule import (
    AvailabilityWindow,
    Choice,
    RosterEntry,
    SessionDetails,
    WaitlistEntry,
    WeekSession,
)

# A session lasts at most 24 hours (sessions_time_range_check), so "starts after start - 1
# day" loses nothing and bounds the (location|instructor, starts_at) index range scan:
# without it the scan read the whole history before the week. The waiting count is
# sessions.waiting_count (0013), not a per-row count through session_waitlists' RLS.
_WEEK_SQL = """
select s.id, coalesce(s.title, p.name) as title, s.location_id, s.program_id,
       p.name as program_name, p.color as program_color, lv.name as level_name,
       s.instructor_id, coalesce(i.first_name || ' ' || i.last_name, '?') as instructor_name,
       s.starts_at, s.ends_at, s.capacity, s.booked_count, s.status::text as status,
       s.recurring_pattern_id, s.room,
       s.waiting_count as waiting,
       case when s.substitute_for_instructor_id is not null then
         (select o.first_name || ' ' || o.last_name from academy.instructors o
           where o.id = s.substitute_for_instructor_id) end as substitute_for
  from academy.sessions s
  left join academy.programs p on p.id = s.program_id
  left join academy.levels lv on lv.id = s.level_id
  left join academy.instructors i on i.id = s.instructor_id
 where s.starts_at < :end and s.ends_at > :start and s.is_active
   and s.starts_at > cast(:start as timestamptz) - interval '1 day'
   and (cast(:locations as uuid[]) is null or s.location_id = any(cast(:locations as uuid[])))
   and (cast(:program as uuid) is null or s.program_id = cast(:program as uuid))
   and (cast(:level as uuid) is null or s.level_id = cast(:level as uuid))
   and (cast(:instructor as uuid) is null or s.instructor_id = cast(:instructor as uuid))
 order by s.starts_at, s.id
"""

_ALL_TIME: dict[str, Any] = {
    "start": datetime(1900, 1, 1, tzinfo=UTC),
    "end": datetime(9000, 1, 1, tzinfo=UTC),
    "locations": None,
    "program": None,
    "level": None,
    "instructor": None,
}


def _week_session(r: Any) -> WeekSession:
    return WeekSession(
        id=r.id,
        title=r.title or "",
        location_id=r.location_id,
        program_id=r.program_id,
        program_name=r.program_name or "",
        program_color=r.program_color,
        level_name=r.level_name,
        instructor_id=r.instructor_id,
        instructor_name=r.instructor_name,
        starts_at=r.starts_at,
        ends_at=r.ends_at,
        capacity=r.capacity,
        booked=r.booked_count,
        waiting=r.waiting,
        status=r.status,
        pattern_id=r.recurring_pattern_id,
        room=r.room,
        substitute_for=r.substitute_for,
    )


async def week_sessions(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    location_ids: Sequence[UUID] | None = None,
    program_id: UUID | None = None,
    level_id: UUID | None = None,
    instructor_id: UUID | None = None,
) -> list[WeekSession]:
    """Sessions overlapping [start, end) that the caller may see (RLS), narrowed by the
    filters; ``location_ids`` None means every location in the caller's scope."""
    rows = (
        await session.execute(
            text(_WEEK_SQL),
            {
                "start": start,
                "end": end,
                "locations": list(location_ids) if location_ids is not None else None,
                "program": program_id,
                "level": level_id,
                "instructor": instructor_id,
            },
        )
    ).all()
    return [_week_session(r) for r in rows]


async def my_instructor_id(session: AsyncSession) -> UUID | None:
    return (await session.execute(text("select academy.my_instructor_id()"))).scalar()


async def availability(
    session: AsyncSession, instructor_ids: Sequence[UUID], day: date
) -> list[AvailabilityWindow]:
    rows = (
        await session.execute(
            text(
                "select instructor_id, weekday, start_time, end_time, kind from"
                " academy.instructor_availability"
                " where instructor_id = any(:ids) and valid_from <= :day"
                " and (valid_to is null or valid_to >= :day) order by weekday, start_time"
            ),
            {"ids": list(instructor_ids), "day": day},
        )
    ).all()
    return [AvailabilityWindow(r[0], r[1], r[2], r[3], r[4] == "available") for r in rows]


async def filter_choices(
    session: AsyncSession, location_id: UUID | None
) -> dict[str, list[Choice]]:
    """Programs, levels and instructors to filter a location's week by."""
    programs = (
        await session.execute(
            text(
                "select p.id, p.name, coalesce(p.color, '') from academy.programs p where"
                " p.is_active"
                " and (cast(:loc as uuid) is null or exists (select 1 from"
                " academy.location_programs lp"
                " where lp.program_id = p.id and lp.location_id = cast(:loc as uuid))) order by"
                " p.name"
            ),
            {"loc": location_id},
        )
    ).all()
    levels = (
        await session.execute(
            text(
                "select l.id, l.name, l.program_id from academy.levels l where l.is_active"
                " order by l.program_id, l.position, l.level_number"
            )
        )
    ).all()
    instructors = (
        await session.execute(
            text(
                "select i.id, i.first_name || ' ' || i.last_name from academy.instructors i where"
                " i.is_active"
                " and (cast(:loc as uuid) is null or exists (select 1 from"
                " academy.instructor_location_assignments a where a.instructor_id = i.id"
                " and a.location_id = cast(:loc as uuid))) order by i.last_name, i.first_name"
            ),
            {"loc": location_id},
        )
    ).all()
    return {
        "programs": [Choice(r[0], r[1], {"color": r[2]}) for r in programs],
        "levels": [Choice(r[0], r[1], {"program_id": str(r[2])}) for r in levels],
        "instructors": [Choice(r[0], r[1]) for r in instructors],
    }


async def session_details(session: AsyncSession, session_id: UUID) -> SessionDetails:
    row = (
        await session.execute(
            text(
                _WEEK_SQL.replace(
                    "where s.starts_at < :end", "where s.id = :id and s.starts_at < :end"
                )
            ),
            {"id": session_id, **_ALL_TIME},
        )
    ).first()
    if row is None:
        raise UserFacingError(ErrorKind.NOT_FOUND)
    ws = _week_session(row)
    roster = (
        await session.execute(
            text(
                "select b.id, b.session_date, b.student_id,"
                " coalesce(st.first_name || ' ' || st.last_name, '(not visible)'), b.status::text"
                " from academy.session_bookings b left join academy.students st on st.id ="
                " b.student_id"
                " where b.session_id = :id order by b.status <> 'cancelled' desc, st.last_name,"
                " st.first_name"
            ),
            {"id": session_id},
        )
    ).all()
    waiting = (
        await session.execute(
            text(
                "select w.position, w.student_id, coalesce(st.first_name || ' ' || st.last_name,"
                " '(not visible)')"
                " from academy.session_waitlists w left join academy.students st on st.id ="
                " w.student_id"
                " where w.session_id = :id and w.status in ('waiting', 'offered')"
                " order by w.position, w.created_at"
            ),
            {"id": session_id},
        )
    ).all()
    pattern = None
    if ws.pattern_id is not None:
        pattern = (
            await session.execute(
                text(
                    "select rrule, title, start_date, end_date from academy.recurring_patterns"
                    " where id = :p"
                ),
                {"p": ws.pattern_id},
            )
        ).first()
    return SessionDetails(
        ws,
        tuple(RosterEntry(*r) for r in roster),
        tuple(WaitlistEntry(*r) for r in waiting),
        pattern[0] if pattern else None,
        pattern[1] if pattern else None,
        (pattern[2], pattern[3]) if pattern else None,
    )


async def location_timezone(session: AsyncSession, location_id: UUID) -> str:
    return str(
        (
            await session.execute(
                text("select timezone from academy.locations where id = :l"), {"l": location_id}
            )
        ).scalar_one()
    )


async def closures(session: AsyncSession, location_id: UUID, start: date, end: date) -> list[date]:
    rows = (
        await session.execute(
            text(
                "select closed_on from academy.location_closures where location_id = :l"
                " and closed_on between :s and :e order by closed_on"
            ),
            {"l": location_id, "s": start, "e": end},
        )
    ).all()
    return [r[0] for r in rows]


async def instructor_timetable(
    session: AsyncSession, instructor_id: UUID, start: datetime, end: datetime
) -> list[WeekSession]:
    return await week_sessions(session, start, end, instructor_id=instructor_id)


async def location_name(session: AsyncSession, location_id: UUID) -> str:
    return str(
        (
            await session.execute(
                text("select name from academy.locations where id = :l"), {"l": location_id}
            )
        ).scalar()
        or ""
    )


async def visible_locations(session: AsyncSession) -> list[tuple[UUID, str]]:
    """Active locations the caller may read (RLS), by name."""
    rows = await session.execute(
        text("select id, name from academy.locations where is_active order by name")
    )
    return [(r[0], r[1]) for r in rows.all()]
