"""Calendar reads and writes: a week of sessions (RLS decides whose), session details,
availability, filters, recurring patterns (checked with academy.check_occurrences and
generated in batches by academy.generate_pattern_sessions), cancelling occurrences and
substitutes, and an instructor's timetable for the iCalendar export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.schedule import (
    AvailabilityWindow,
    Choice,
    Conflict,
    ConflictKind,
    Occurrence,
    PatternSpec,
    RosterEntry,
    SessionDetails,
    WaitlistEntry,
    WeekSession,
    localize,
)

_WEEK_SQL = """
select s.id, coalesce(s.title, p.name) as title, s.location_id, s.program_id,
       p.name as program_name, p.color as program_color, lv.name as level_name,
       s.instructor_id, coalesce(i.first_name || ' ' || i.last_name, '?') as instructor_name,
       s.starts_at, s.ends_at, s.capacity, s.booked_count, s.status::text as status,
       s.recurring_pattern_id, s.room,
       (select count(*) from academy.session_waitlists w
         where w.session_id = s.id and w.status in ('waiting', 'offered')) as waiting,
       (select o.first_name || ' ' || o.last_name from academy.instructors o
         where o.id = s.substitute_for_instructor_id) as substitute_for
  from academy.sessions s
  left join academy.programs p on p.id = s.program_id
  left join academy.levels lv on lv.id = s.level_id
  left join academy.instructors i on i.id = s.instructor_id
 where s.starts_at < :end and s.ends_at > :start and s.is_active
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


# --- recurring patterns ---------------------------------------------------------------------


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


async def check_occurrences(
    session: AsyncSession,
    location_id: UUID,
    program_id: UUID,
    instructor_id: UUID,
    occurrences: Sequence[Occurrence],
    ignore_session_id: UUID | None = None,
) -> dict[int, list[Conflict]]:
    """Conflicts per occurrence index (0-based) as the server sees them."""
    rows = (
        await session.execute(
            text(
                "select idx, kind, detail from academy.check_occurrences(:l, :p, :i,"
                " cast(:s as timestamptz[]), cast(:e as timestamptz[]), :ignore)"
            ),
            {
                "l": location_id,
                "p": program_id,
                "i": instructor_id,
                "s": [o.starts_at for o in occurrences],
                "e": [o.ends_at for o in occurrences],
                "ignore": ignore_session_id,
            },
        )
    ).all()
    out: dict[int, list[Conflict]] = {}
    for idx, kind, detail in rows:
        out.setdefault(idx - 1, []).append(Conflict(ConflictKind(kind), detail or ""))
    return out


async def create_pattern(
    session: AsyncSession,
    *,
    location_id: UUID,
    program_id: UUID,
    level_id: UUID | None,
    instructor_id: UUID,
    title: str,
    spec: PatternSpec,
    capacity: int,
    room: str | None = None,
) -> UUID:
    return (
        await session.execute(
            text(
                "insert into academy.recurring_patterns (location_id, program_id, level_id,"
                " instructor_id,"
                " title, rrule, dtstart, duration_minutes, timezone, start_date, end_date,"
                " capacity,"
                " exdates, room) values (:l, :p, :lv, :i, :t, :r, :d, :m, :tz, :sd, :ed, :c, :x,"
                " :room)"
                " returning id"
            ),
            {
                "l": location_id,
                "p": program_id,
                "lv": level_id,
                "i": instructor_id,
                "t": title,
                "r": spec.rrule_text(),
                "d": spec.dtstart(),
                "m": spec.duration_minutes,
                "tz": spec.timezone,
                "sd": spec.start_date,
                "ed": spec.end_date,
                "c": capacity,
                "x": list(spec.exdates),
                "room": room,
            },
        )
    ).scalar_one()


async def generate_batch(
    session: AsyncSession, pattern_id: UUID, starts: Sequence[datetime]
) -> list[tuple[datetime, UUID | None]]:
    """Create one batch of occurrences; None ids were refused as hard conflicts."""
    rows = (
        await session.execute(
            text(
                "select starts_at, session_id from academy.generate_pattern_sessions(:p,"
                " cast(:s as timestamptz[]))"
            ),
            {"p": pattern_id, "s": list(starts)},
        )
    ).all()
    return [(r[0], r[1]) for r in rows]


async def pattern_sessions(session: AsyncSession, pattern_id: UUID) -> list[WeekSession]:
    rows = (
        await session.execute(
            text(
                _WEEK_SQL.replace(
                    "where s.starts_at < :end",
                    "where s.recurring_pattern_id = :pid and s.starts_at < :end",
                )
            ),
            {"pid": pattern_id, **_ALL_TIME},
        )
    ).all()
    return [_week_session(r) for r in rows]


async def scope_ids(session: AsyncSession, session_id: UUID, scope: str) -> list[UUID]:
    """The scheduled sessions an edit/cancel of ``session_id`` reaches: ``one``, it and
    its pattern's later ones (``following``), or the pattern's from now on (``all``)."""
    if scope not in ("one", "following", "all"):
        raise ValueError(scope)
    if scope == "one":
        return [session_id]
    rows = await session.execute(
        text(
            "select s.id from academy.sessions s, academy.sessions me where me.id = :id"
            " and s.status = 'scheduled' and (s.id = me.id or (me.recurring_pattern_id is not null"
            " and s.recurring_pattern_id = me.recurring_pattern_id and (:scope = 'all'"
            " and s.starts_at >= least(me.starts_at, now()) or :scope = 'following'"
            " and s.starts_at >= me.starts_at))) order by s.starts_at"
        ),
        {"id": session_id, "scope": scope},
    )
    return list(rows.scalars().all())


async def edit_sessions(
    session: AsyncSession,
    session_id: UUID,
    scope: str,
    *,
    start: time,
    minutes: int,
    capacity: int,
) -> list[Conflict]:
    """Move the sessions in ``scope`` to ``start`` (local wall clock, same dates) for
    ``minutes`` with ``capacity``. All or nothing: a double booking (exclusion
    constraint) or a capacity below the seats taken refuses the whole edit; raising
    capacity promotes the waitlist (trigger); availability problems are recorded."""
    ids = await scope_ids(session, session_id, scope)
    rows = (
        await session.execute(
            text(
                "select s.id, s.session_date, l.timezone, s.location_id, s.program_id,"
                " s.instructor_id from academy.sessions s join academy.locations l"
                " on l.id = s.location_id where s.id = any(:ids) order by s.starts_at"
            ),
            {"ids": ids},
        )
    ).all()
    found: list[Conflict] = []
    for sid, day, tz, loc, program, instructor in rows:
        starts = localize(datetime.combine(day, start), ZoneInfo(tz))
        ends = starts + timedelta(minutes=minutes)
        await session.execute(
            text(
                "update academy.sessions set starts_at = :s, ends_at = :e, capacity = :c"
                " where id = :id"
            ),
            {"s": starts, "e": ends, "c": capacity, "id": sid},
        )
        conflicts = (
            await check_occurrences(
                session, loc, program, instructor, [Occurrence(starts, ends)], sid
            )
        ).get(0, [])
        for c in conflicts:
            if not c.hard:
                await _record_conflict(session, sid, instructor, loc, day, c)
        found += conflicts
    return found


async def _record_conflict(
    session: AsyncSession,
    session_id: UUID,
    instructor_id: UUID,
    location_id: UUID,
    day: date,
    conflict: Conflict,
) -> None:
    await session.execute(
        text(
            "insert into academy.schedule_conflicts (session_id, instructor_id, location_id,"
            " conflict_date, kind, details) values (:s, :i, :l, :d,"
            " cast(:k as academy.conflict_kind), jsonb_build_object('detail', cast(:t as text)))"
        ),
        {
            "s": session_id,
            "i": instructor_id,
            "l": location_id,
            "d": day,
            "k": conflict.kind.value,
            "t": conflict.detail,
        },
    )


async def cancel_sessions(
    session: AsyncSession, session_id: UUID, scope: str, reason: str
) -> list[str]:
    """Cancel one occurrence (``one``), it and the pattern's later ones (``following``)
    or every future occurrence of its pattern (``all``). Returns who was booked."""
    ids = await scope_ids(session, session_id, scope)
    booked = (
        (
            await session.execute(
                text(
                    "select distinct coalesce(st.first_name || ' ' || st.last_name, '?')"
                    " from academy.session_bookings b left join academy.students st on st.id ="
                    " b.student_id"
                    " where b.session_id = any(:ids) and b.status = 'booked' order by 1"
                ),
                {"ids": list(ids)},
            )
        )
        .scalars()
        .all()
    )
    await session.execute(
        text(
            "update academy.sessions set status = 'cancelled', cancelled_at = now(),"
            " cancelled_reason = :r where id = any(:ids) and status = 'scheduled'"
        ),
        {"ids": list(ids), "r": reason or None},
    )
    if scope == "following":
        await session.execute(
            text(
                "update academy.recurring_patterns p set end_date = greatest(p.start_date,"
                " s.session_date - 1)"
                " from academy.sessions s where s.id = :id and p.id = s.recurring_pattern_id"
            ),
            {"id": session_id},
        )
    elif scope == "all":
        await session.execute(
            text(
                "update academy.recurring_patterns p set is_active = false"
                " from academy.sessions s where s.id = :id and p.id = s.recurring_pattern_id"
            ),
            {"id": session_id},
        )
    return list(booked)


async def assign_substitute(
    session: AsyncSession, session_id: UUID, instructor_id: UUID
) -> list[Conflict]:
    """Give one occurrence to another instructor. A double booking is refused by the
    exclusion constraint (an error); availability problems are returned and recorded."""
    row = (
        await session.execute(
            text(
                "select location_id, program_id, starts_at, ends_at, session_date,"
                " coalesce(substitute_for_instructor_id, instructor_id) from academy.sessions"
                " where id = :id for update"
            ),
            {"id": session_id},
        )
    ).one()
    conflicts = (
        await check_occurrences(
            session,
            row[0],
            row[1],
            instructor_id,
            [Occurrence(row[2], row[3])],
            ignore_session_id=session_id,
        )
    ).get(0, [])
    original = row[5]
    await session.execute(
        text(
            "update academy.sessions set instructor_id = :i,"
            " substitute_for_instructor_id = case when :i = cast(:orig as uuid) then null else"
            " cast(:orig as uuid) end"
            " where id = :id"
        ),
        {"i": instructor_id, "orig": original, "id": session_id},
    )
    for c in conflicts:
        if not c.hard:
            await session.execute(
                text(
                    "insert into academy.schedule_conflicts (session_id, instructor_id,"
                    " location_id,"
                    " conflict_date, kind, details) values (:s, :i, :l, :d, cast(:k as"
                    " academy.conflict_kind),"
                    " jsonb_build_object('detail', cast(:detail as text)))"
                ),
                {
                    "s": session_id,
                    "i": instructor_id,
                    "l": row[0],
                    "d": row[4],
                    "k": c.kind.value,
                    "detail": c.detail,
                },
            )
    return list(conflicts)


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


async def open_conflicts(session: AsyncSession, location_id: UUID) -> list[dict[str, Any]]:
    """Soft conflicts of a location still waiting for someone to decide."""
    rows = (
        (
            await session.execute(
                text(
                    "select c.id, c.kind::text as kind, c.conflict_date, c.details ->> 'detail'"
                    " as detail,"
                    " coalesce(s.title, p.title, '') as title,"
                    " coalesce(i.first_name || ' ' || i.last_name, '') as instructor"
                    " from academy.schedule_conflicts c"
                    " left join academy.sessions s on s.id = c.session_id"
                    " left join academy.recurring_patterns p on p.id = c.recurring_pattern_id"
                    " left join academy.instructors i on i.id = c.instructor_id"
                    " where c.status = 'open' and c.location_id = :l"
                    " order by c.conflict_date, c.created_at"
                ),
                {"l": location_id},
            )
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


async def resolve_conflict(
    session: AsyncSession, conflict_id: UUID, reason: str, status: str = "resolved"
) -> None:
    """Close a soft conflict with the reason a person gave (resolved or ignored)."""
    if status not in ("resolved", "ignored") or not reason.strip():
        raise UserFacingError(ErrorKind.INVALID_INPUT, "reason_required")
    await session.execute(
        text(
            "update academy.schedule_conflicts set status = cast(:st as academy.conflict_status),"
            " resolution_reason = :r, resolved_at = now(), resolved_by = session_user"
            " where id = :id and status = 'open'"
        ),
        {"st": status, "r": reason.strip(), "id": conflict_id},
    )


async def visible_locations(session: AsyncSession) -> list[tuple[UUID, str]]:
    """Active locations the caller may read (RLS), by name."""
    rows = await session.execute(
        text("select id, name from academy.locations where is_active order by name")
    )
    return [(r[0], r[1]) for r in rows.all()]
