"""The check-in screen's one-statement first paint (0017: academy.desk_first_paint) as
real logins over TCP: it returns what the five statements under RLS return (sessions,
rosters, day, currency, zone) for a desk of one location, a float desk of two and a
super admin; its own choice of now/next rosters is the client's; a desk of another
location gets nothing of this one; instructors, parents and program admins are refused."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from db_sessions import run_as
from desk_fixtures import Desk, now_utc, rush_hour, seed_desk

from academy_desktop.db.queries import checkin as cq
from academy_desktop.db.queries.desk_ready import desk_first_paint


@dataclass
class Two:
    a: Desk
    b: Desk
    hidden: uuid.UUID  # a session at A of a program A's desk does not see


@pytest.fixture
def two(migrated_db_url: str) -> Iterator[Two]:
    a = seed_desk(migrated_db_url)
    rush_hour(a)
    b = seed_desk(migrated_db_url, code="FAR", currency="EUR")
    rush_hour(b)
    start = now_utc() - dt.timedelta(minutes=10)
    a.add_session("Seals", start, minutes=30)  # running now too, then cancelled
    a.execute("update academy.sessions set status = 'cancelled' where id = %s",
              (a.sessions["Seals"],))
    a.book("Dolphins", "Noah")
    a.execute("insert into academy.student_attendance (session_id, attendance_date, student_id,"
              " status) select id, session_date, %s, 'late' from academy.sessions where id = %s",
              (a.students["Mia"], a.sessions["Tadpoles"]))
    other = a.execute("insert into academy.programs (code, name) values ('OT', 'Other')"
                      " returning id")[0][0]
    hidden = a.execute(
        "insert into academy.sessions (location_id, program_id, instructor_id, starts_at,"
        " ends_at, capacity, title) values (%s, %s, %s, %s, %s, 5, 'Hidden') returning id",
        (a.location_id, other, a.instructor_id, start, start + dt.timedelta(hours=1)),
    )[0][0]
    yield Two(a, b, hidden)
    a.close()
    b.close()


def moments(desk: Desk) -> list[tuple[dt.datetime, uuid.UUID | None]]:
    """Rush hour, before the day, late evening, and each with a kept selection."""
    now = now_utc()
    keep = desk.sessions["Dolphins"]
    return [(now, None), (now, keep), (now - dt.timedelta(hours=3), None),
            (now + dt.timedelta(hours=6), None), (now + dt.timedelta(hours=6), keep)]


def same_as_rls(url: str, locations: list[uuid.UUID], now: dt.datetime,
                keep: uuid.UUID | None) -> Any:
    """first_paint == first_paint_rls; the server's own choice of rosters is
    first_sessions' (no fallback fetch); roster rows == plain RLS's. Returns the paint."""
    async def work(s: AsyncSession) -> tuple[Any, Any, Any]:
        return (await cq.first_paint(s, locations, now, keep),
                await cq.first_paint_rls(s, locations, now, keep),
                await desk_first_paint(s, locations, now, keep))

    new, old, server = run_as(url, work)
    assert new == old
    assert server == new  # nothing fetched on the side: the server chose the same rosters
    assert server[5] == frozenset(cq.first_sessions(new[1], now, keep))
    with psycopg.connect(url) as conn:
        rls = conn.execute(cq.RLS_ROSTER_SQL, {"day": new[0], "ids": list(new[5])}).fetchall()
    assert [(e.session_id, e.student_id, e.status and e.status.value) for e in new[2]] == rls
    return new


def test_desk_of_one_location_gets_what_rls_gives(two: Two, login_role: Any) -> None:
    a = two.a
    clerk = login_role("front_desk", locations=[a.location_id])
    for now, keep in moments(a):
        same_as_rls(clerk.url, [a.location_id], now, keep)
    _day, sessions, entries, currency, zone, loaded = same_as_rls(
        clerk.url, [a.location_id], now_utc(), None)
    assert {s.title for s in sessions} == {"Tadpoles", "Dolphins", "Seals"}  # not Hidden
    assert loaded == {a.sessions["Tadpoles"], a.sessions["Dolphins"]}  # Seals: cancelled
    assert (currency, zone) == ("USD", "UTC")
    mia = next(e for e in entries if e.student_id == a.students["Mia"])
    assert mia.status is not None and mia.status.value == "late"
    assert next(s for s in sessions if s.title == "Tadpoles").checked_in == 1
    emma = next(e for e in entries if e.student_id == a.students["Emma"])
    assert emma.balance_due == 45.0 and not emma.can_be_picked_up
    leo = next(e for e in entries if e.student_id == a.students["Leo"])
    assert leo.family_ids == (a.parents["Ana"],)


def test_float_desk_and_super_admin_get_what_rls_gives(two: Two, login_role: Any) -> None:
    a, b = two.a, two.b
    both = [a.location_id, b.location_id]
    floater = login_role("front_desk", locations=both)
    admin = login_role("super_admin")
    for now, keep in moments(a):
        same_as_rls(floater.url, both, now, keep)
        same_as_rls(admin.url, both, now, keep)
        same_as_rls(admin.url, [b.location_id], now, keep)
    floating = same_as_rls(floater.url, both, now_utc(), None)
    assert {s.location for s in floating[1]} == {"Riverside Desk", "Riverside Far"}
    everything = same_as_rls(admin.url, [a.location_id], now_utc(), None)
    assert two.hidden in {s.session_id for s in everything[1]}  # RLS shows admins all


def test_desk_of_another_location_gets_nothing_here(two: Two, login_role: Any) -> None:
    a, b = two.a, two.b
    stranger = login_role("front_desk", locations=[b.location_id])
    for now, keep in moments(a):
        _day, sessions, entries, currency, zone, loaded = run_as(
            stranger.url, lambda s, now=now, keep=keep: cq.first_paint(
                s, [a.location_id], now, keep))
        assert (sessions, entries, currency, zone, loaded) == ([], [], "", "", frozenset())
    # asking for both: B's only, never A's sessions or children
    mixed = run_as(stranger.url, lambda s: cq.first_paint(
        s, [a.location_id, b.location_id], now_utc(), a.sessions["Tadpoles"]))
    assert {s.session_id for s in mixed[1]} == set(b.sessions.values())
    assert {e.student_id for e in mixed[2]} <= set(b.students.values())
    assert mixed[2]


@pytest.mark.parametrize("kind", ["instructor", "parent", "program_admin"])
def test_other_people_are_refused(two: Two, login_role: Any, kind: str) -> None:
    a = two.a
    person = {
        "instructor": lambda: login_role("instructor", instructor_id=a.instructor_id,
                                         locations=[a.location_id]),
        "parent": lambda: login_role("parent", parent_id=a.parents["Ana"]),
        "program_admin": lambda: login_role("program_admin", locations=[a.location_id],
                                            programs=[a.program_id]),
    }[kind]()
    with psycopg.connect(person.url) as conn, pytest.raises(
        InsufficientPrivilege, match="permission denied"
    ):
        conn.execute("select academy.desk_first_paint(%s, %s, null)",
                     ([a.location_id], now_utc()))


def test_a_desk_account_switched_off_is_refused(two: Two, login_role: Any) -> None:
    """The grant alone is not enough: the person must still be an active desk."""
    clerk = login_role("front_desk", locations=[two.a.location_id])
    two.a.execute("update academy.users set is_active = false where role_name = %s",
                  (clerk.role_name,))
    with psycopg.connect(clerk.url) as conn, pytest.raises(
        psycopg.errors.RaiseException, match="academy:permission_denied"
    ):
        conn.execute("select academy.desk_first_paint(%s, %s, null)",
                     ([two.a.location_id], now_utc()))
