"""The booking core against a real server, acting as real front-desk logins over TCP:
the last seat goes to exactly one of two racing desks, replays are idempotent, the
waitlist is promoted in order and can never be jumped."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from calendar_fixtures import Academy, local, plain_url, seed_academy


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url)


@pytest.fixture
def desk(academy: Academy, login_role: Any) -> Any:
    return login_role("front_desk", locations=[academy.location_id])


def _session(academy: Academy, capacity: int) -> tuple[uuid.UUID, date]:
    day = date.today() + timedelta(days=3)
    sid = academy.add_session(academy.instructor_ids[0], local(academy, day, 17), capacity=capacity)
    with academy.connect() as conn:
        row = conn.execute(
            "select session_date from academy.sessions where id = %s", (sid,)
        ).fetchone()
    assert row
    return sid, row[0]


def _book(
    conn: psycopg.Connection[Any],
    sid: Any,
    student: Any,
    waitlist: bool = False,
    request: Any = None,
) -> tuple[Any, str]:
    row = conn.execute(
        "select * from academy.book_session(%s, %s, %s, %s)",
        (sid, student, request or uuid.uuid4(), waitlist),
    ).fetchone()
    assert row
    return row[0], row[1]


def test_two_desks_race_for_the_last_seat(academy: Academy, login_role: Any) -> None:
    sid, _ = _session(academy, capacity=1)
    a_student, b_student = academy.add_students(2)
    desk_a = login_role("front_desk", locations=[academy.location_id])
    desk_b = login_role("front_desk", locations=[academy.location_id])
    conn_a = psycopg.connect(plain_url(desk_a.url))
    conn_b = psycopg.connect(plain_url(desk_b.url), autocommit=True)
    outcome: dict[str, Any] = {}
    try:
        assert _book(conn_a, sid, a_student)[1] == "booked"  # A holds the seat, not yet committed
        b_pid = conn_b.info.backend_pid

        def desk_b_books() -> None:
            try:
                outcome["b"] = _book(conn_b, sid, b_student)
            except psycopg.Error as exc:
                outcome["error"] = exc

        thread = threading.Thread(target=desk_b_books)
        thread.start()
        with academy.connect() as su:  # wait until B is really queued behind A's lock
            for _ in range(500):
                waiting = su.execute(
                    "select wait_event_type = 'Lock' from pg_stat_activity where pid = %s", (b_pid,)
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.01)
            else:
                pytest.fail("desk B never waited for desk A's lock")
        conn_a.commit()
        thread.join(30)
        assert "b" not in outcome
        error = outcome["error"]
        assert error.sqlstate == "P0001"
        assert error.diag.message_primary.startswith("session_full:")
        assert "1 of 1 seats booked" in error.diag.message_primary
    finally:
        conn_a.close()
        conn_b.close()
    with academy.connect() as su:
        rows = su.execute(
            "select student_id from academy.session_bookings where session_id = %s"
            " and status = 'booked'",
            (sid,),
        ).fetchall()
        count = su.execute(
            "select booked_count from academy.sessions where id = %s", (sid,)
        ).fetchone()
    assert [r[0] for r in rows] == [a_student]
    assert count and count[0] == 1


def test_replayed_request_is_idempotent(academy: Academy, desk: Any) -> None:
    sid, _ = _session(academy, capacity=5)
    (student,) = academy.add_students(1)
    request = uuid.uuid4()
    with psycopg.connect(plain_url(desk.url), autocommit=True) as conn:
        first = _book(conn, sid, student, request=request)
        again = _book(conn, sid, student, request=request)
        other = _book(conn, sid, student)  # a new request for the same student
        assert first == again and first[1] == "booked"
        assert other == (first[0], "already_booked")
        (other_student,) = academy.add_students(1)
        with pytest.raises(psycopg.Error, match="request_reused"):
            _book(conn, sid, other_student, request=request)
        count = conn.execute(
            "select booked_count from academy.sessions where id = %s", (sid,)
        ).fetchone()
    assert count and count[0] == 1


def test_cancel_promotes_the_first_waiting_student(academy: Academy, desk: Any) -> None:
    sid, day = _session(academy, capacity=1)
    s1, s2, s3, s4 = academy.add_students(4)
    with psycopg.connect(plain_url(desk.url), autocommit=True) as conn:
        b1, outcome = _book(conn, sid, s1)
        assert outcome == "booked"
        with pytest.raises(psycopg.Error) as full:
            _book(conn, sid, s2)
        assert full.value.sqlstate == "P0001"
        assert full.value.diag.message_primary.startswith("session_full:")
        assert _book(conn, sid, s2, waitlist=True)[1] == "waitlisted"
        assert _book(conn, sid, s3, waitlist=True)[1] == "waitlisted"
        promoted = conn.execute(
            "select * from academy.cancel_booking(%s, %s, 'ill')", (b1, day)
        ).fetchall()
        assert promoted == [(s2,)]
        # the freed seat went to s2 in the same transaction: nobody else can take it
        with pytest.raises(psycopg.Error, match="session_full"):
            _book(conn, sid, s4)
        held = conn.execute(
            "select student_id, status::text from academy.session_bookings"
            " where session_id = %s order by booked_at",
            (sid,),
        ).fetchall()
        assert held == [(s1, "cancelled"), (s2, "booked")]
        waiting = conn.execute(
            "select student_id, status::text from academy.session_waitlists"
            " where session_id = %s order by position",
            (sid,),
        ).fetchall()
        assert waiting == [(s2, "promoted"), (s3, "waiting")]
        # already cancelled: nothing more happens
        assert (
            conn.execute(
                "select * from academy.cancel_booking(%s, %s, 'again')", (b1, day)
            ).fetchall()
            == []
        )


def test_free_seat_is_held_for_the_waitlist(academy: Academy, desk: Any) -> None:
    sid, day = _session(academy, capacity=1)
    s1, s2, s3 = academy.add_students(3)
    with academy.connect() as su:  # a seat free while s1 waits (e.g. left by an older client)
        su.execute(
            "insert into academy.session_waitlists (session_id, student_id, position)"
            " values (%s, %s, 1)",
            (sid, s1),
        )
    with psycopg.connect(plain_url(desk.url), autocommit=True) as conn:
        with pytest.raises(psycopg.Error, match="session_full"):
            _book(conn, sid, s2)
        with pytest.raises(psycopg.Error, match="session_full"):  # the direct path obeys too
            conn.execute(
                "insert into academy.session_bookings (session_id, session_date, student_id)"
                " values (%s, %s, %s)",
                (sid, day, s3),
            )
        assert _book(conn, sid, s1)[1] == "booked"
        state = conn.execute(
            "select status::text from academy.session_waitlists where session_id = %s", (sid,)
        ).fetchone()
    assert state == ("promoted",)


def test_raising_capacity_promotes_waiting_students(academy: Academy, desk: Any) -> None:
    sid, _ = _session(academy, capacity=1)
    s1, s2, s3 = academy.add_students(3)
    with psycopg.connect(plain_url(desk.url), autocommit=True) as conn:
        _book(conn, sid, s1)
        _book(conn, sid, s2, waitlist=True)
        _book(conn, sid, s3, waitlist=True)
        conn.execute("update academy.sessions set capacity = 2 where id = %s", (sid,))
        booked = conn.execute(
            "select student_id from academy.session_bookings where session_id = %s"
            " and status = 'booked'",
            (sid,),
        ).fetchall()
    assert {r[0] for r in booked} == {s1, s2}


def test_booking_is_scoped(academy: Academy, login_role: Any) -> None:
    sid, _ = _session(academy, capacity=3)
    (student,) = academy.add_students(1)
    other = seed_academy(academy.url, instructors=0, programs=1)
    elsewhere = login_role("front_desk", locations=[other.location_id])
    with psycopg.connect(plain_url(elsewhere.url), autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as denied:
            _book(conn, sid, student)
        assert denied.value.sqlstate == "42501"
        # the internals behind the functions are nobody's to call
        for internal in ("academy.promote_waitlist(%s)", "academy.calendar_may_manage(%s, null)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select {internal}", (sid,))
    instructor = login_role("instructor", instructor_id=academy.instructor_ids[0])
    with (
        psycopg.connect(plain_url(instructor.url), autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        _book(conn, sid, student)
    admin = login_role("program_admin", programs=[academy.program_ids[0]])
    with psycopg.connect(plain_url(admin.url), autocommit=True) as conn:
        assert _book(conn, sid, student)[1] == "booked"
