"""The demo seed on a real PostgreSQL: reproducible for a seed, the sizes and shapes the
spec asks for, consistent derived data (no double-booked instructor, seats within
capacity, every child with a parent), and demo logins that really log in over TCP.

The small seed runs once per module into its own database (seeding takes seconds).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from psycopg import sql

from academy_desktop.db import migrate
from academy_desktop.db.demo_accounts import DEMO_ACCOUNTS, DEMO_LOCATIONS, DEMO_PROGRAMS
from academy_desktop.db.seed import seed_demo
from tests.conftest import admin_execute, database_url


def _fresh_database(server_url: str, template: str) -> str:
    name = f"academy_seed_{secrets.token_hex(4)}"
    admin_execute(server_url, sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY")
                  .format(sql.Identifier(name), sql.Identifier(template)))
    return name


@pytest.fixture(scope="module")
def seeded_url(pg_superuser_url: str, template_database: str) -> Iterator[str]:
    name = _fresh_database(pg_superuser_url, template_database)
    url = database_url(pg_superuser_url, name)
    try:
        seed_demo(url, seed=7)
        yield url
    finally:
        admin_execute(pg_superuser_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def db(seeded_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(seeded_url, autocommit=True) as conn:
        yield conn


def one(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


KEY_QUERY = """select string_agg(student_number || ' ' || first_name || ' ' || last_name
                                 || ' ' || date_of_birth, '|' order by student_number)
                 from academy.students"""


def test_same_seed_same_data_and_other_seed_differs(
        db: psycopg.Connection[Any], empty_db_url: str, migrated_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    seed_demo(empty_db_url, seed=7)
    seed_demo(migrated_db_url, seed=8)
    with psycopg.connect(empty_db_url) as again, psycopg.connect(migrated_db_url) as other:
        assert one(again, KEY_QUERY) == one(db, KEY_QUERY)
        assert one(other, KEY_QUERY) != one(db, KEY_QUERY)


def test_only_if_empty_skips_a_seeded_database(seeded_url: str, capsys: Any) -> None:
    assert seed_demo(seeded_url, only_if_empty=True) is None
    assert "Demo data already present" in capsys.readouterr().out


def test_sizes_meet_the_spec(db: psycopg.Connection[Any]) -> None:
    assert one(db, "select count(*) from academy.students") >= 150
    assert one(db, "select count(*) from academy.locations") >= 3
    assert set(one(db, "select array_agg(name) from academy.locations")) >= set(DEMO_LOCATIONS)
    assert sorted(one(db, "select array_agg(name) from academy.programs")) == sorted(DEMO_PROGRAMS)
    assert one(db, """select count(*) from academy.curriculums c where
                      (select count(*) from academy.levels l where l.curriculum_id = c.id) <> 7
                   """) == 0
    assert one(db, "select count(*) from academy.curriculums") >= 6
    assert one(db, """select count(*) from academy.levels l where not exists (
                        select from academy.assessment_rubrics r
                         where r.level_id = l.id and r.is_current
                           and (select count(*) from academy.assessment_rubric_criteria c
                                 where c.rubric_id = r.id) between 3 and 5)""") == 0
    assert one(db, "select count(*) from academy.lessons") > 500
    assert one(db, "select count(*) from academy.equipment_requirements") > 100
    span = one(db, "select max(session_date) - min(session_date) from academy.sessions")
    assert span >= 175
    assert one(db, "select count(*) from academy.instructors") >= 10
    for table in ("instructor_specializations", "instructor_availability",
                  "student_enrollments", "session_bookings", "session_waitlists",
                  "student_attendance", "student_progress", "student_financial_records",
                  "schedule_conflicts", "recurring_patterns"):
        assert one(db, sql.SQL("select count(*) from academy.{}").format(
            sql.Identifier(table))) > 0, table


def test_schedule_is_consistent(db: psycopg.Connection[Any]) -> None:
    assert one(db, """select count(*) from academy.sessions a join academy.sessions b
                        on a.instructor_id = b.instructor_id and a.id < b.id
                       and tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
                       and a.status <> 'cancelled' and b.status <> 'cancelled'""") == 0
    assert one(db, """select count(*) from academy.sessions s where s.booked_count <> (
                        select count(*) from academy.session_bookings b where b.session_id = s.id
                           and b.status in ('booked', 'attended', 'no_show'))""") == 0
    assert one(db, "select count(*) from academy.sessions where booked_count > capacity") == 0
    full = one(db, """select avg((booked_count >= 0.6 * capacity)::int) from academy.sessions
                       where status = 'scheduled'""")
    assert full > 0.6
    assert one(db, "select count(*) from academy.session_bookings_default") == 0
    assert one(db, "select count(*) from academy.student_attendance_default") == 0
    assert one(db, """select count(*) from academy.student_attendance a
                       where not exists (select from academy.sessions s
                                          where s.id = a.session_id
                                            and s.session_date = a.attendance_date
                                            and s.location_id = a.location_id)""") == 0
    assert one(db, "select count(*) from academy.student_attendance where status <> 'present'") > 0


def test_todays_sessions_at_riverside_have_rosters(db: psycopg.Connection[Any]) -> None:
    today = datetime.now(ZoneInfo("America/New_York")).date()
    booked = one(db, """select sum(s.booked_count) from academy.sessions s
                          join academy.locations l on l.id = s.location_id
                         where l.name = 'Riverside' and s.session_date = %s""", (today,))
    assert booked and booked > 0


def test_families(db: psycopg.Connection[Any]) -> None:
    assert one(db, """select count(*) from academy.students s
                       where s.date_of_birth > current_date - interval '18 years'
                         and not exists (select from academy.student_parent_relationships r
                                          where r.student_id = s.id)""") == 0
    siblings = one(db, """select count(*) from (select parent_id from
                            academy.student_parent_relationships group by parent_id
                            having count(*) > 1) x""")
    assert siblings > 5
    # siblings share both parents: each child of a family has the same set of parents
    assert one(db, """select count(*) from (
                        select student_id, array_agg(parent_id order by parent_id) ps
                          from academy.student_parent_relationships group by student_id) a
                        join academy.student_parent_relationships r on r.parent_id = any(a.ps)
                        join (select student_id, array_agg(parent_id order by parent_id) ps
                          from academy.student_parent_relationships group by student_id) b
                          on b.student_id = r.student_id
                       where a.ps <> b.ps""") == 0
    assert one(db, "select count(*) from academy.parents where phone !~ '^\\+1[0-9]{10}$'") == 0


def test_primary_program_agrees_with_the_latest_enrollment(db: psycopg.Connection[Any]) -> None:
    """The list shows the primary program beside the latest level: they must agree
    (no "Swimming · Level 2: Dribbling")."""
    assert one(db, "select count(*) from academy.students where program_id is not null") > 100
    assert one(db, """select count(*) from academy.students s
                       where exists (select from academy.student_enrollments e
                                      where e.student_id = s.id and e.status = 'active')
                         and s.program_id is distinct from (
                             select e.program_id from academy.student_enrollments e
                              where e.student_id = s.id and e.status = 'active'
                              order by e.enrolled_on desc, (e.program_id = s.program_id) desc
                              limit 1)""") == 0


def test_ledger_looks_real(db: psycopg.Connection[Any]) -> None:
    kinds = set(one(db, "select array_agg(distinct entry_type::text) "
                        "from academy.student_financial_records"))
    assert {"charge", "payment", "credit"} <= kinds
    assert one(db, """select count(*) from academy.student_financial_records
                       where entry_type = 'payment' and receipt_number is null""") == 0
    owing = one(db, """select count(*) from (select student_id, sum(case when entry_type in
                          ('charge') then amount else -amount end) bal
                          from academy.student_financial_records group by student_id) x
                        where bal > 0""")
    assert owing > 0


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.role_name)
def test_demo_logins_log_in_over_tcp(seeded_url: str, account: Any) -> None:
    url = database_url(seeded_url, psycopg.conninfo.conninfo_to_dict(seeded_url)["dbname"],
                       username=account.role_name, password=account.password)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert one(conn, "select session_user") == account.role_name
