"""Changing sessions that exist: edit or cancel one occurrence, this and the following
ones, or all of a pattern's; give one to a substitute; and the soft conflicts those
changes record (listed for a person to resolve with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries.calendar_patterns import check_occurrences, end_pattern
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.schedule import Conflict, Occurrence, localize


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
    ``minutes`` with ``capacity``; one occurrence edited on its own becomes an exception
    that later pattern edits keep (calendar_pattern_edits). All or nothing: a double
    booking (exclusion constraint) or a capacity below the seats taken refuses it; raising
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
                "update academy.sessions set starts_at = :s, ends_at = :e, capacity = :c,"
                " pattern_exception = pattern_exception"
                " or (:one and recurring_pattern_id is not null) where id = :id"
            ),
            {"s": starts, "e": ends, "c": capacity, "id": sid, "one": scope == "one"},
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


@dataclass(frozen=True)
class CancelPreview:
    """What cancelling would take away, shown before the desk confirms."""

    sessions: int  # scheduled sessions the scope reaches
    booked: tuple[str, ...]  # students booked into them (distinct names)
    waiting: int  # live waitlist entries that will be cleared


async def cancel_preview(session: AsyncSession, session_id: UUID, scope: str) -> CancelPreview:
    """Who is booked / waiting in the sessions a cancel of ``scope`` would reach."""
    ids = await scope_ids(session, session_id, scope)
    row = (
        await session.execute(
            text(
                "select count(*) filter (where s.status = 'scheduled'),"
                " (select count(*) from academy.session_waitlists w where w.session_id = any(:ids)"
                "   and w.status in ('waiting', 'offered')),"
                " array(select distinct coalesce(st.first_name || ' ' || st.last_name, '?')"
                "   from academy.session_bookings b join academy.sessions x"
                "     on x.id = b.session_id and x.session_date = b.session_date"
                "   left join academy.students st on st.id = b.student_id"
                "  where x.id = any(:ids) and x.status = 'scheduled' and b.status = 'booked'"
                "  order by 1)"
                " from academy.sessions s where s.id = any(:ids)"
            ),
            {"ids": list(ids)},
        )
    ).one()
    return CancelPreview(int(row[0]), tuple(row[2] or ()), int(row[1]))


async def cancel_sessions(
    session: AsyncSession, session_id: UUID, scope: str, reason: str
) -> list[str]:
    """Cancel one occurrence (``one``), it and the pattern's later ones (``following``)
    or every future occurrence of its pattern (``all``), in the caller's transaction:
    academy.cancel_sessions cancels their bookings with the reason, clears their
    waitlists and posts the makeup credits. Returns who was booked. A cancelled
    session is never reinstated (the database refuses it)."""
    if not reason.strip():
        raise UserFacingError(ErrorKind.INVALID_INPUT, "reason_required")
    ids = await scope_ids(session, session_id, scope)
    rows = (
        await session.execute(
            text(
                "select distinct coalesce(st.first_name || ' ' || st.last_name, '?')"
                " from academy.cancel_sessions(cast(:ids as uuid[]), :r) c"
                " left join academy.students st on st.id = c.student_id order by 1"
            ),
            {"ids": list(ids), "r": reason.strip()},
        )
    ).scalars()
    booked = list(rows.all())
    if scope == "following":
        me = (
            await session.execute(
                text("select recurring_pattern_id, session_date from academy.sessions"
                     " where id = :id"),
                {"id": session_id},
            )
        ).first()
        if me is not None and me[0] is not None:
            await end_pattern(session, me[0], me[1] - timedelta(days=1))
    elif scope == "all":
        await session.execute(
            text(
                "update academy.recurring_patterns p set is_active = false"
                " from academy.sessions s where s.id = :id and p.id = s.recurring_pattern_id"
            ),
            {"id": session_id},
        )
    return booked


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
            " pattern_exception = recurring_pattern_id is not null,"
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
