"""Check-in in the database, as a real front-desk login over TCP: idempotent under
double presses, retries and two desks; scoped to the desk's locations; undo; close-out."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from desk_fixtures import Desk, now_utc, rush_hour, seed_desk


@pytest.fixture
def desk(migrated_db_url: str) -> Iterator[Desk]:
    d = seed_desk(migrated_db_url)
    rush_hour(d)
    yield d
    d.close()


@pytest.fixture
def clerk(desk: Desk, login_role):  # type: ignore[no-untyped-def]
    return login_role("front_desk", locations=[desk.location_id])


def check_in(
    url: str,
    desk: Desk,
    session: str,
    student: str,
    status: str = "present",
    request: uuid.UUID | None = None,
) -> tuple[object, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "select * from academy.check_in(%s, %s, %s, %s)",
            (desk.sessions[session], desk.students[student], status, request or uuid.uuid4()),
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_double_press_and_retry_record_one_row(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    request = uuid.uuid4()
    first = check_in(clerk.url, desk, "Tadpoles", "Mia", request=request)
    again = check_in(clerk.url, desk, "Tadpoles", "Mia", request=request)
    assert first[1] == "recorded" and again == (first[0], "already_recorded")
    assert desk.attendance() == [("Mia", "present")]


def test_two_desks_same_child_one_row(desk: Desk, clerk, login_role) -> None:  # type: ignore[no-untyped-def]
    other = login_role("front_desk", locations=[desk.location_id])
    results: list[tuple[object, str]] = []
    barrier = threading.Barrier(2)

    def press(url: str) -> None:
        barrier.wait()
        results.append(check_in(url, desk, "Tadpoles", "Leo"))

    threads = [threading.Thread(target=press, args=(u,)) for u in (clerk.url, other.url)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[1] for r in results) == ["already_recorded", "recorded"]
    assert results[0][0] == results[1][0]
    assert desk.attendance() == [("Leo", "present")]


def test_status_change_then_undo_restores(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    check_in(clerk.url, desk, "Tadpoles", "Noah")
    assert check_in(clerk.url, desk, "Tadpoles", "Noah", "late")[1] == "updated"
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        undone = conn.execute(
            "select outcome, restored_status from academy.undo_check_in()"
        ).fetchone()
        assert undone == ("undone", "present")
        assert desk.attendance() == [("Noah", "present")]
        assert conn.execute("select outcome from academy.undo_check_in()").fetchone() == ("undone",)
        assert desk.attendance() == []
        assert conn.execute("select outcome from academy.undo_check_in()").fetchone() == (
            "nothing_to_undo",
        )


def test_other_location_and_unbooked_refused(desk: Desk, login_role) -> None:  # type: ignore[no-untyped-def]
    elsewhere = seed_desk(desk.url, code="FAR")
    stranger = login_role("front_desk", locations=[elsewhere.location_id])
    with pytest.raises(psycopg.errors.RaiseException, match="academy:not_found"):
        check_in(stranger.url, desk, "Tadpoles", "Mia")
    clerk = login_role("front_desk", locations=[desk.location_id])
    with pytest.raises(psycopg.errors.RaiseException, match="academy:invalid_input") as err:
        check_in(clerk.url, desk, "Dolphins", "Mia")
    assert "not booked" in (err.value.diag.message_detail or "")
    with pytest.raises(psycopg.errors.RaiseException, match="academy:invalid_input"):
        check_in(clerk.url, desk, "Tadpoles", "Mia", "asleep")
    assert desk.attendance() == []


def test_close_session_marks_absent(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    check_in(clerk.url, desk, "Tadpoles", "Mia")
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        count = conn.execute(
            "select academy.close_session_attendance(%s)", (desk.sessions["Tadpoles"],)
        ).fetchone()
        assert count == (3,)
        again = conn.execute(
            "select academy.close_session_attendance(%s)", (desk.sessions["Tadpoles"],)
        ).fetchone()
        assert again == (0,)
    assert desk.attendance("Tadpoles") == [
        ("Emma", "absent"),
        ("Leo", "absent"),
        ("Mia", "present"),
        ("Noah", "absent"),
    ]


def test_desk_roster_returns_what_rls_would(desk: Desk, clerk, login_role) -> None:  # type: ignore[no-untyped-def]
    from academy_desktop.db.queries.checkin import RLS_ROSTER_SQL

    elsewhere = seed_desk(desk.url, code="FAR")
    far_kid = elsewhere.add_student("Zed", "Far")
    far_session = elsewhere.add_session("Far class", now_utc() - dt.timedelta(minutes=5))
    elsewhere.students["Zed"] = far_kid
    elsewhere.book("Far class", "Zed")
    check_in(clerk.url, desk, "Tadpoles", "Mia")
    day = desk.execute(
        "select session_date from academy.sessions where id = %s", (desk.sessions["Tadpoles"],)
    )[0][0]
    every = [*desk.sessions.values(), far_session]
    stranger = login_role("front_desk", locations=[elsewhere.location_id])
    for who in (clerk, stranger):
        with psycopg.connect(who.url) as conn:
            fast = conn.execute(
                "select session_id, student_id, status from academy.desk_roster(%s, %s)",
                (every, day),
            ).fetchall()
            rls = conn.execute(RLS_ROSTER_SQL, {"day": day, "ids": every}).fetchall()
        assert fast == rls
    assert len(fast) == 1 and fast[0][1] == far_kid  # the stranger: only their own location
    with psycopg.connect(clerk.url) as conn:
        mine = conn.execute(
            "select student_id, status from academy.desk_roster(%s, %s)", (every, day)
        ).fetchall()
    assert (desk.students["Mia"], "present") in mine and far_kid not in {m[0] for m in mine}
    assert len(mine) == 5
    # the roster's balance and family are those the ledger and relationships give
    desk.charge("Mia", "12.50")
    with psycopg.connect(clerk.url) as conn:
        fast = dict(conn.execute(
            "select student_id, balance from academy.desk_roster(%s, %s)", (every, day)
        ).fetchall())
        ledger = dict(conn.execute(  # the ledger itself (0014's table is what the roster reads)
            "select f.student_id, sum(academy.ledger_sign(f.entry_type, t.entry_type) * f.amount)"
            " from academy.student_financial_records f left join"
            " academy.student_financial_records t on f.entry_type = 'void' and t.id = f.reverses_id"
            " where f.student_id = any(%s) group by 1",
            (list(fast),),
        ).fetchall())
        family = conn.execute(
            "select family from academy.desk_roster(%s, %s) where student_id = %s",
            (every, day, desk.students["Leo"]),
        ).fetchone()
    assert fast == {k: ledger.get(k, 0) for k in fast} and fast[desk.students["Mia"]] == 12.5
    assert family == ([desk.parents["Ana"]],)
