"""Check-in queries: today's sessions and rosters of a location (bound dates, so the
partitioned attendance/bookings tables prune), and the idempotent writes through
academy.check_in / undo_check_in / close_session_attendance (0008_desk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries.bookings import book_session
from academy_desktop.db.queries.desk_ready import Ready, desk_first_paint
from academy_desktop.domain.attendance import (
    AttendanceStatus,
    CheckInResult,
    RosterEntry,
    TodaySession,
    UndoResult,
    current_and_next,
)


async def location_today(session: AsyncSession, location_id: UUID) -> dt.date:
    """The local date at the location (the day its sessions are filed under)."""
    value = (
        await session.execute(text("select academy.location_today(:l)"), {"l": location_id})
    ).scalar_one()
    return value  # type: ignore[no-any-return]


async def location_settings(session: AsyncSession, location_id: UUID) -> tuple[str, str]:
    """(currency, time zone) of the location: balance alerts on the roster are in its
    currency, session times are shown on its clock (a desk may cover two time zones)."""
    row = (
        await session.execute(
            text("select currency::text, timezone from academy.locations where id = :l"),
            {"l": location_id},
        )
    ).one()
    return str(row[0]), str(row[1])


async def today_sessions(
    session: AsyncSession, location_ids: Sequence[UUID], day: dt.date
) -> list[TodaySession]:
    rows = (
        await session.execute(
            text("""
        select s.id, coalesce(s.title, p.name) as title, s.starts_at, s.ends_at, s.room,
               s.capacity, s.booked_count, s.status::text as status,
               (select count(*) from academy.student_attendance a
                 where a.session_id = s.id and a.attendance_date = :day
                   and a.status in ('present', 'late')) as checked_in,
               l.name as location
          from academy.sessions s
          join academy.programs p on p.id = s.program_id
          join academy.locations l on l.id = s.location_id
         where s.session_date = :day and s.location_id = any(:locs) and s.is_active
         order by s.starts_at, title, s.id"""),
            {"day": day, "locs": list(location_ids)},
        )
    ).all()
    return [
        TodaySession(
            r.id,
            r.title,
            r.starts_at,
            r.ends_at,
            r.room,
            r.capacity,
            r.booked_count,
            r.checked_in,
            r.status,
            r.location,
        )
        for r in rows
    ]


async def quiet_day(
    session: AsyncSession, location_ids: Sequence[UUID], day: dt.date, weeks: int = 2
) -> tuple[str, dt.date | None, int]:
    """For a day without sessions: why (the location's closure reason, or ""), and the
    next day with classes within ``weeks`` and how many (None, 0 when there is none).
    Under RLS: closures and sessions of the person's own locations only."""
    row = (
        await session.execute(
            text("""
        select (select string_agg(c.reason, '; ' order by c.reason)
                  from academy.location_closures c
                 where c.location_id = any(:locs) and c.closed_on = :day) as reason,
               n.session_date, coalesce(n.sessions, 0) as sessions
          from (select 1) one
          left join lateral (
                select s.session_date, count(*) as sessions
                  from academy.sessions s
                 where s.location_id = any(:locs) and s.is_active and s.status <> 'cancelled'
                   and s.session_date > :day and s.session_date <= :last
                 group by s.session_date order by s.session_date limit 1) n on true"""),
            {"locs": list(location_ids), "day": day, "last": day + dt.timedelta(weeks=weeks)},
        )
    ).one()
    return row.reason or "", row.session_date, int(row.sessions)


#: The same rows through plain RLS (slower: every policy re-evaluates the scope helpers);
#: tests compare it with academy.desk_roster.
RLS_ROSTER_SQL = """
    select b.session_id, st.id as student_id, a.status::text as status
      from academy.session_bookings b
      join academy.students st on st.id = b.student_id
      left join academy.student_attendance a
             on a.session_id = b.session_id and a.student_id = b.student_id
            and a.attendance_date = %(day)s
     where b.session_date = %(day)s and b.session_id = any(%(ids)s) and b.status <> 'cancelled'
     order by st.last_name, st.first_name, st.id"""


async def rosters(
    session: AsyncSession, session_ids: Sequence[UUID], day: dt.date
) -> list[RosterEntry]:
    """Booked children of the sessions with attendance and the desk's alerts.

    A busy day is ~900 rows: the balance comes as float8 (display only; a Decimal per
    row and its float() cost ~2 ms at 926 rows) and rows are unpacked positionally
    (attribute access per field cost more than the query)."""
    if not session_ids:
        return []
    rows = (
        await session.execute(
            text("""
        select session_id, student_id, student_number, first_name, last_name,
               preferred_name, status, medical, balance::float8, can_pickup, family
          from academy.desk_roster(:ids, :day)"""),
            {"day": day, "ids": list(session_ids)},
        )
    ).all()
    statuses = {s.value: s for s in AttendanceStatus}
    return [
        RosterEntry(sid, stid, number, first, last, preferred, statuses.get(status), medical,
                    balance, bool(pickup), tuple(family) if family else ())
        for sid, stid, number, first, last, preferred, status, medical, balance, pickup, family
        in rows
    ]


def first_sessions(
    sessions: list[TodaySession], now: dt.datetime, keep: UUID | None = None
) -> list[UUID]:
    """The sessions the desk acts on first, whose rosters come with the first paint:
    every one running now, the current and the next (what the list tags NOW/NEXT), the
    one the person had selected, else the first of the day (what the list selects)."""
    current, nxt = current_and_next(sessions, now)
    wanted = {
        s.session_id
        for s in sessions
        if s.status != "cancelled" and s.starts_at <= now < s.ends_at
    }
    today = {s.session_id for s in sessions}
    wanted.update(x for x in (current, nxt, keep) if x in today)  # keep: maybe another location's
    if not wanted and sessions:
        wanted.add(sessions[0].session_id)
    return [s.session_id for s in sessions if s.session_id in wanted]


async def first_paint(
    session: AsyncSession,
    location_ids: Sequence[UUID],
    now: dt.datetime,
    keep: UUID | None = None,
) -> Ready:
    """What the check-in screen needs before it can take input: the day, its sessions,
    the rosters of ``first_sessions`` only (a busy day's ~900 rows take 15-25 ms),
    the location's currency and zone, and which rosters are included. One statement
    (academy.desk_first_paint, 0017); should the server's choice of sessions miss one
    that ``first_sessions`` picks here (it mirrors it), that roster is fetched in the
    same unit of work. The screen and benchmarks/desk.py
    (``checkin_ready``) both call this."""
    if not location_ids:
        return dt.date.today(), [], [], "", "", frozenset()
    day, sessions, entries, currency, zone, loaded = await desk_first_paint(
        session, location_ids, now, keep
    )
    missing = [i for i in first_sessions(sessions, now, keep) if i not in loaded]
    if missing:
        entries += await rosters(session, missing, day)
        loaded = loaded | frozenset(missing)
    return day, sessions, entries, currency, zone, loaded


async def first_paint_rls(
    session: AsyncSession,
    location_ids: Sequence[UUID],
    now: dt.datetime,
    keep: UUID | None = None,
) -> Ready:
    """``first_paint`` as five statements under RLS (before 0017): the reference the
    tests compare the one-statement reader with, and the benchmark's "before" line."""
    day = await location_today(session, location_ids[0]) if location_ids else dt.date.today()
    sessions = await today_sessions(session, location_ids, day)
    first = first_sessions(sessions, now, keep)
    entries = await rosters(session, first, day)
    currency, zone = (
        await location_settings(session, location_ids[0]) if location_ids else ("", "")
    )
    return day, sessions, entries, currency, zone, frozenset(first)


async def check_in(
    session: AsyncSession,
    session_id: UUID,
    student_id: UUID,
    status: AttendanceStatus,
    client_request_id: UUID,
) -> CheckInResult:
    row = (
        await session.execute(
            text("select attendance_id, outcome from academy.check_in(:s, :st, :status, :r)"),
            {"s": session_id, "st": student_id, "status": status.value, "r": client_request_id},
        )
    ).one()
    return CheckInResult(row.attendance_id, row.outcome)


async def walk_in(
    session: AsyncSession, session_id: UUID, student_id: UUID, client_request_id: UUID
) -> CheckInResult:
    """Book the seat and check the child in, in one transaction: either both or
    neither, and book_session's row lock means two desks never fill the same seat."""
    await book_session(session, session_id, student_id, client_request_id=client_request_id)
    return await check_in(
        session, session_id, student_id, AttendanceStatus.PRESENT, client_request_id
    )


async def undo_check_in(session: AsyncSession, client_request_id: UUID | None = None) -> UndoResult:
    row = (
        await session.execute(
            text(
                "select session_id, student_id, restored_status, outcome"
                " from academy.undo_check_in(:r)"
            ),
            {"r": client_request_id},
        )
    ).one()
    restored = AttendanceStatus(row.restored_status) if row.restored_status else None
    return UndoResult(row.session_id, row.student_id, restored, row.outcome)


async def close_session(session: AsyncSession, session_id: UUID) -> int:
    return int(
        (
            await session.execute(
                text("select academy.close_session_attendance(:s)"), {"s": session_id}
            )
        ).scalar_one()
    )


async def search_walk_ins(
    session: AsyncSession, query: str, limit: int = 20
) -> list[tuple[UUID, str, str]]:
    """(id, name, student number) of students matching ``query`` (RLS-scoped search)."""
    rows = (
        await session.execute(
            text(
                "select id, first_name || ' ' || last_name as name, student_number"
                " from academy.search_students(:q, :n) where is_active"
            ),
            {"q": query, "n": limit},
        )
    ).all()
    return [(r.id, r.name, r.student_number) for r in rows]
