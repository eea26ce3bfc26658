"""sessions.waiting_count (0013) replaces the week read's per-row count through
session_waitlists' RLS: it must equal what that count gave each staff login, through
waitlisting, leaving the list, promotion and cancelling — and a waitlist change must not
make an open edit of the session look stale (row_version)."""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries import bookings, calendar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from calendar_fixtures import Academy, local, seed_academy
from test_bookings_patterns import run_as


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url)


def _counts(url: str, sid: UUID, day: date, tz: Any) -> tuple[int, int]:
    """(waiting in the week read, live waitlist rows this login can count under RLS)."""

    async def work(s: AsyncSession) -> tuple[int, int]:
        start = local_day(day, tz)
        week = await calendar.week_sessions(s, start, start + timedelta(days=1))
        mine = next(w for w in week if w.id == sid)
        rls = (
            await s.execute(
                text(
                    "select count(*) from academy.session_waitlists where session_id = :s"
                    " and status in ('waiting', 'offered')"
                ),
                {"s": sid},
            )
        ).scalar_one()
        return mine.waiting, rls

    return run_as(url, work)


def local_day(day: date, tz: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def test_waiting_count_equals_the_rls_count(academy: Academy, login_role: Any) -> None:
    day = date.today() + timedelta(days=3)
    ana = academy.instructor_ids[0]
    sid = academy.add_session(ana, local(academy, day, 10), capacity=1, title="Full")
    first, second, third = academy.add_students(3)
    desk = login_role("front_desk", locations=[academy.location_id])
    coach = login_role("instructor", locations=[academy.location_id], instructor_id=ana)
    admin = login_role("program_admin", programs=[academy.program_ids[0]])
    logins = (desk, coach, admin)
    with academy.connect() as su:
        version = su.execute(
            "select row_version from academy.sessions where id = %s", (sid,)
        ).fetchone()
    run_as(desk.url, lambda s: bookings.book_session(s, sid, first))
    for kid in (second, third):
        run_as(desk.url, lambda s, k=kid: bookings.book_session(s, sid, k, waitlist_if_full=True))
    assert [_counts(x.url, sid, day, academy.tz) for x in logins] == [(2, 2)] * 3
    run_as(desk.url, lambda s: bookings.leave_waitlist(s, sid, third))
    assert [_counts(x.url, sid, day, academy.tz) for x in logins] == [(1, 1)] * 3
    with academy.connect() as su:
        booking = su.execute(
            "select id, session_date from academy.session_bookings where student_id = %s",
            (first,),
        ).fetchone()
    promoted = run_as(desk.url, lambda s: bookings.cancel_booking(s, booking[0], booking[1], ""))
    assert promoted == (second,)
    assert [_counts(x.url, sid, day, academy.tz) for x in logins] == [(0, 0)] * 3
    with academy.connect() as su:
        # waitlist traffic alone leaves row_version alone (booked_count too, as before)
        assert su.execute(
            "select row_version from academy.sessions where id = %s", (sid,)
        ).fetchone() == version
        # deleting a live entry (owner maintenance) keeps the count right as well
        su.execute(
            "insert into academy.session_waitlists (session_id, student_id, position)"
            " values (%s, %s, 9)",
            (sid, third),
        )
        su.execute("delete from academy.session_waitlists where student_id = %s", (third,))
        assert su.execute(
            "select waiting_count from academy.sessions where id = %s", (sid,)
        ).fetchone() == (0,)


def test_demo_seed_sets_waiting_count(migrated_db_url: str) -> None:
    """The seed bulk-loads waitlists without triggers; it must still set the counts."""
    import psycopg

    from academy_desktop.db.seed import seed_demo

    seed_demo(migrated_db_url, scale="small")
    with psycopg.connect(migrated_db_url.replace("+psycopg", "")) as conn:
        live, wrong = conn.execute(
            "select (select count(*) from academy.session_waitlists"
            "         where status in ('waiting', 'offered')),"
            " (select count(*) from academy.sessions s where s.waiting_count <> (select count(*)"
            "   from academy.session_waitlists w where w.session_id = s.id"
            "    and w.status in ('waiting', 'offered')))"
        ).fetchone()
    assert live > 0 and wrong == 0
