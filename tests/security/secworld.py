"""A small two-location, two-program academy for the security tests, seeded as the
superuser, plus helpers that talk to the server as a real login role over TCP."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest

_codes = itertools.count(1)

#: marks a test that may run on the module's shared world (reads / refused writes only;
#: see conftest.py)
shared = pytest.mark.shared_world


@dataclass
class World:
    loc_a: UUID
    loc_b: UUID
    prog_1: UUID
    prog_2: UUID
    course_1: UUID
    course_2: UUID
    level_1: UUID
    level_2: UUID
    criterion_1: UUID
    rubric_1: UUID
    instr_1: UUID
    instr_2: UUID
    session_1: UUID  # loc A, program 1, instructor 1
    session_2: UUID  # loc B, program 2, instructor 2
    session_date: date
    student_a1: UUID  # loc A, program 1, booked in session 1, child of parent A
    student_a2: UUID  # loc A, program 1, not booked
    student_b1: UUID  # loc B, program 2, booked in session 2, child of parent B
    parent_a: UUID
    parent_b: UUID
    payment_a1: UUID
    payment_b1: UUID
    attendance_a1: UUID
    attendance_b1: UUID
    extra: dict[str, Any] = field(default_factory=dict)


def one(conn: psycopg.Connection[Any], query: str, params: Any = ()) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def _curriculum(conn: psycopg.Connection[Any], program: UUID) -> tuple[UUID, UUID, UUID, UUID]:
    course = one(conn, "insert into academy.courses (program_id, name) values (%s, 'Course')"
                       " returning id", (program,))
    curriculum = one(conn, "insert into academy.curriculums (course_id, program_id, name)"
                           " values (%s, %s, 'Curriculum') returning id", (course, program))
    level = one(conn, "insert into academy.levels (curriculum_id, program_id, level_number, name)"
                      " values (%s, %s, 1, 'Level 1') returning id", (curriculum, program))
    rubric = one(conn, "insert into academy.assessment_rubrics (level_id, program_id, name,"
                       " is_current) values (%s, %s, 'Rubric', true) returning id",
                 (level, program))
    criterion = one(conn, "insert into academy.assessment_rubric_criteria (rubric_id, program_id,"
                          " name) values (%s, %s, 'Kick') returning id", (rubric, program))
    conn.execute("insert into academy.student_enrollments (student_id, curriculum_id, program_id,"
                 " location_id) select s.id, %s, s.program_id, s.location_id"
                 " from academy.students s where s.program_id = %s", (curriculum, program))
    return course, level, rubric, criterion


def add_location(conn: psycopg.Connection[Any], name: str) -> UUID:
    n = next(_codes)
    return one(conn, "insert into academy.locations (code, name) values (%s, %s) returning id",
               (f"L{n}", f"{name} {n}"))


def add_program(conn: psycopg.Connection[Any], name: str) -> UUID:
    n = next(_codes)
    return one(conn, "insert into academy.programs (code, name) values (%s, %s) returning id",
               (f"P{n}", f"{name} {n}"))


def add_student(conn: psycopg.Connection[Any], first: str, last: str, location: UUID,
                program: UUID | None) -> UUID:
    return one(conn, "insert into academy.students (first_name, last_name, location_id,"
                     " program_id) values (%s, %s, %s, %s) returning id",
               (first, last, location, program))


def add_instructor(conn: psycopg.Connection[Any], last: str) -> UUID:
    return one(conn, "insert into academy.instructors (first_name, last_name)"
                     " values ('Coach', %s) returning id", (last,))


def add_session(conn: psycopg.Connection[Any], location: UUID, program: UUID, instructor: UUID,
                starts: datetime) -> UUID:
    return one(conn, "insert into academy.sessions (location_id, program_id, instructor_id,"
                     " session_date, starts_at, ends_at, capacity)"
                     " values (%s, %s, %s, %s, %s, %s, 10) returning id",
               (location, program, instructor, starts.date(), starts, starts + timedelta(hours=1)))


def book(conn: psycopg.Connection[Any], session: UUID, student: UUID) -> None:
    conn.execute("insert into academy.session_bookings (session_id, session_date, student_id)"
                 " select id, session_date, %s from academy.sessions where id = %s",
                 (student, session))


def add_parent(conn: psycopg.Connection[Any], last: str, location: UUID, child: UUID) -> UUID:
    parent = one(conn, "insert into academy.parents (first_name, last_name, location_id)"
                       " values ('Pat', %s, %s) returning id", (last, location))
    conn.execute("insert into academy.student_parent_relationships (student_id, parent_id,"
                 " relationship) values (%s, %s, 'guardian')", (child, parent))
    return parent


def seed_world(url: str) -> World:
    with psycopg.connect(url, autocommit=True) as conn:
        loc_a, loc_b = add_location(conn, "Riverside"), add_location(conn, "Northgate")
        prog_1, prog_2 = add_program(conn, "Swimming"), add_program(conn, "Football")
        a1 = add_student(conn, "Ada", "Lovelace", loc_a, prog_1)
        a2 = add_student(conn, "Alan", "Turing", loc_a, prog_1)
        b1 = add_student(conn, "Grace", "Hopper", loc_b, prog_2)
        course_1, level_1, rubric_1, criterion_1 = _curriculum(conn, prog_1)
        course_2, level_2, _, _ = _curriculum(conn, prog_2)
        instr_1, instr_2 = add_instructor(conn, "One"), add_instructor(conn, "Two")
        conn.execute("insert into academy.instructor_location_assignments"
                     " (instructor_id, location_id) values (%s, %s), (%s, %s)",
                     (instr_1, loc_a, instr_2, loc_b))
        starts = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
        s1 = add_session(conn, loc_a, prog_1, instr_1, starts)
        s2 = add_session(conn, loc_b, prog_2, instr_2, starts)
        session_date = one(conn, "select session_date from academy.sessions where id = %s", (s1,))
        book(conn, s1, a1)
        book(conn, s2, b1)
        attendance = {}
        for session, student in ((s1, a1), (s2, b1)):
            attendance[student] = one(
                conn, "insert into academy.student_attendance (session_id, attendance_date,"
                      " student_id, status) select id, session_date, %s, 'present'"
                      " from academy.sessions where id = %s returning id", (student, session))
        payments = {}
        for student, location in ((a1, loc_a), (b1, loc_b)):
            payments[student] = one(
                conn, "insert into academy.student_financial_records (student_id, location_id,"
                      " entry_type, amount, method) values (%s, %s, 'payment', 25, 'cash')"
                      " returning id", (student, location))
        parent_a = add_parent(conn, "Lovelace", loc_a, a1)
        parent_b = add_parent(conn, "Hopper", loc_b, b1)
        return World(loc_a, loc_b, prog_1, prog_2, course_1, course_2, level_1, level_2,
                     criterion_1, rubric_1, instr_1, instr_2, s1, s2, session_date, a1, a2, b1,
                     parent_a, parent_b, payments[a1], payments[b1], attendance[a1],
                     attendance[b1])


def ids(url: str, query: str, params: Any = ()) -> set[Any]:
    """The first column of every row ``query`` returns when run by the role of ``url``."""
    with psycopg.connect(url, autocommit=True) as conn:
        return {r[0] for r in conn.execute(query, params).fetchall()}


def rowcount(url: str, statement: str, params: Any = ()) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(statement, params).rowcount


# --- logins on a module's shared database -------------------------------------------

_shared_numbers = itertools.count(1)


@dataclass(frozen=True)
class SharedLogin:
    role_name: str
    password: str
    url: str
    person_id: Any


def url_with(url: str, **parts: str) -> str:
    """``url`` with some parts (username, password, database) replaced."""
    from sqlalchemy.engine import make_url
    return make_url(url).set(**parts).render_as_string(hide_password=False)


def make_login(db_url: str, registry: list[str], kind: str, **scope: Any) -> SharedLogin:
    """A login on ``db_url`` (module-scoped counterpart of the ``login_role`` factory);
    its name goes into ``registry`` so the run drops it (roles are cluster-global)."""
    from academy_desktop.db.provisioning import provision_account

    run_id = url_with(db_url).split("/")[-1].split("_")[2]
    role_name = f"t_m{kind.replace('_', '')[:5]}_{run_id}_{next(_shared_numbers)}"
    password = "Pw-" + secrets.token_urlsafe(12)
    registry.append(role_name)
    with psycopg.connect(db_url, autocommit=True) as conn:
        person = provision_account(conn, role_name=role_name, kind=kind, password=password,
                                   display_name=f"Shared {role_name}", **scope)
    return SharedLogin(role_name, password, url_with(db_url, username=role_name,
                                                     password=password), person)


def fingerprint(url: str) -> dict[str, str]:
    """md5 of every academy table's rows (partitions through their parent): a shared
    world must come out of its read-only tests exactly as it went in."""
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "select c.relname from pg_class c where c.relnamespace = 'academy'::regnamespace"
            " and c.relkind in ('r', 'p') and not c.relispartition order by 1")]
        return {t: conn.execute(f"select md5(coalesce(string_agg(x::text, ',' order by"
                                f" x::text), '')) from academy.{t} x").fetchone()[0]
                for t in tables}
