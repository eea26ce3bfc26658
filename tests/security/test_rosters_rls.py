"""Instructors' rosters as real logins over TCP: an instructor reads the roster of the
sessions they teach and nothing of another instructor's, cannot mark attendance there,
and is never handed money (0016: roster_sessions / instructor_roster; desk_roster is
taken back from instructors)."""

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
from psycopg.errors import InsufficientPrivilege, RaiseException

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from desk_fixtures import Desk, rush_hour, seed_desk
from rosters_fixtures import add_rubric

ROSTER = "select session_id, student_id, status from academy.instructor_roster(%s, %s)"


@dataclass
class Coaches:
    desk: Desk
    day: dt.date
    mine: Any  # teaches Tadpoles (Mia, Leo, Noah, Emma)
    other: Any  # teaches Dolphins (Liam)


@pytest.fixture
def coaches(migrated_db_url: str, login_role: Any) -> Iterator[Coaches]:
    desk = seed_desk(migrated_db_url)
    rush_hour(desk)
    teacher = dict(desk.execute("select title, instructor_id from academy.sessions"))
    day = desk.execute("select session_date from academy.sessions where title = 'Tadpoles'")[0][0]
    mine = login_role("instructor", instructor_id=teacher["Tadpoles"],
                      locations=[desk.location_id])
    other = login_role("instructor", instructor_id=teacher["Dolphins"],
                       locations=[desk.location_id])
    yield Coaches(desk, day, mine, other)
    desk.close()


def rows(url: str, query: str, params: Any = None) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def check_in(url: str, session: uuid.UUID, student: uuid.UUID, request: uuid.UUID) -> Any:
    return rows(url, "select outcome from academy.check_in(%s, %s, 'present', %s)",
                (session, student, request))[0][0]


def test_instructor_reads_own_roster_only_and_what_rls_gives(coaches: Coaches) -> None:
    from academy_desktop.db.queries.checkin import RLS_ROSTER_SQL

    desk, day = coaches.desk, coaches.day
    every = list(desk.sessions.values())
    assert [r[0] for r in rows(coaches.mine.url, "select title from academy.roster_sessions(%s)",
                               (day,))] == ["Tadpoles"]
    assert [r[0] for r in rows(coaches.other.url, "select title from academy.roster_sessions(%s)",
                               (day,))] == ["Dolphins"]
    mine = rows(coaches.mine.url, ROSTER, (every, day))
    assert {r[1] for r in mine} == {desk.students[n] for n in ("Mia", "Leo", "Noah", "Emma")}
    assert mine == rows(coaches.mine.url, RLS_ROSTER_SQL, {"day": day, "ids": every})
    # asking for the other instructor's session by id: nothing
    assert rows(coaches.mine.url, ROSTER, ([desk.sessions["Dolphins"]], day)) == []
    assert rows(coaches.other.url, ROSTER, (every, day)) == [
        (desk.sessions["Dolphins"], desk.students["Liam"], None)
    ]


def test_instructor_marks_own_session_once_and_cannot_mark_another(coaches: Coaches) -> None:
    desk = coaches.desk
    request = uuid.uuid4()
    assert check_in(coaches.mine.url, desk.sessions["Tadpoles"], desk.students["Mia"],
                    request) == "recorded"
    assert check_in(coaches.mine.url, desk.sessions["Tadpoles"], desk.students["Mia"],
                    request) == "already_recorded"  # double press / retry: one row
    with pytest.raises(RaiseException, match="academy:not_found"):
        check_in(coaches.mine.url, desk.sessions["Dolphins"], desk.students["Liam"],
                 uuid.uuid4())
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rows(coaches.mine.url,
             "insert into academy.student_attendance (session_id, attendance_date, student_id,"
             " status) values (%s, %s, %s, 'present') returning id",
             (desk.sessions["Dolphins"], coaches.day, desk.students["Liam"]))
    with pytest.raises(RaiseException, match="academy:not_found"):
        rows(coaches.mine.url, "select academy.close_session_attendance(%s)",
             (desk.sessions["Dolphins"],))
    assert desk.attendance() == [("Mia", "present")]


def test_no_money_for_instructors_and_readers_for_them_only(
    coaches: Coaches, login_role: Any
) -> None:
    desk, day = coaches.desk, coaches.day
    every = list(desk.sessions.values())
    with psycopg.connect(coaches.mine.url) as conn:
        cur = conn.execute("select * from academy.instructor_roster(%s, %s)", (every, day))
        columns = {c.name for c in cur.description or ()}
    assert columns and not columns & {"balance", "can_pickup", "family"}
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rows(coaches.mine.url, "select balance from academy.desk_roster(%s, %s)", (every, day))
    clerk = login_role("front_desk", locations=[desk.location_id])
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rows(clerk.url, ROSTER, (every, day))
    admin = login_role("super_admin")
    assert len(rows(admin.url, "select * from academy.roster_sessions(%s, %s)",
                    (day, [desk.location_id]))) == 2
    assert len(rows(admin.url, ROSTER, (every, day))) == 5


def test_star_ratings_in_own_session_only_and_once_per_request(coaches: Coaches) -> None:
    desk = coaches.desk
    floats, _kicks = add_rubric(desk, "Mia")
    tadpoles, mia = desk.sessions["Tadpoles"], desk.students["Mia"]
    criteria = "select criterion, stars from academy.roster_criteria(%s, %s)"
    assert rows(coaches.mine.url, criteria, (tadpoles, mia)) == [
        ("Floats on back", None), ("Kicks", None)]
    rate = "select outcome from academy.rate_student(%s, %s, %s, %s, %s)"
    request = uuid.uuid4()
    assert rows(coaches.mine.url, rate, (tadpoles, mia, floats, 2, request)) == [("recorded",)]
    assert rows(coaches.mine.url, rate, (tadpoles, mia, floats, 2, request)) == [
        ("already_recorded",)]
    assert rows(coaches.mine.url, criteria, (tadpoles, mia))[0] == ("Floats on back", 2)
    # the other instructor: no criteria, no rating, not even through the table
    for query, params in ((criteria, (tadpoles, mia)),
                          (rate, (tadpoles, mia, floats, 3, uuid.uuid4()))):
        with pytest.raises(RaiseException, match="academy:not_found"):
            rows(coaches.other.url, query, params)
    with pytest.raises(RaiseException, match="academy:invalid_input"):  # stars out of range
        rows(coaches.mine.url, rate, (tadpoles, mia, floats, 4, uuid.uuid4()))
    assert desk.execute("select stars, assessed_by from academy.student_progress") == [
        (2, coaches.mine.role_name)]
