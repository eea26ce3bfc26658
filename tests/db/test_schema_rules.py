"""Behaviour of the schema on real rows: constraints refuse bad values (with the
constraint name the app maps), triggers keep derived columns, the ledger and audit logs
are append-only, partitions prune and catch stray dates, materialized views refresh.
"""

# SQL statements stay on one line each so a failing case reads like the statement it ran.
# ruff: noqa: E501

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import psycopg
import pytest
from psycopg import errors

TODAY = datetime.now(UTC).date()


@pytest.fixture
def conn(migrated_db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(migrated_db_url, autocommit=True) as connection:
        yield connection


def one(conn: psycopg.Connection, query: str, params: Any = None) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def at(day: date, hour: int, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minutes), tzinfo=UTC)


def add_session(conn: psycopg.Connection, ids: dict[str, Any], starts: datetime,
                minutes: int = 60, **extra: Any) -> Any:  # fmt: skip
    values = {
        "location_id": ids["location"], "program_id": ids["program"],
        "instructor_id": ids["instructor"], "level_id": ids["level"],
        "starts_at": starts, "ends_at": starts + timedelta(minutes=minutes),
        "capacity": 10, "session_date": starts.date(),
    } | extra  # fmt: skip
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    return one(
        conn,
        f"insert into academy.sessions ({columns}) values ({marks}) returning id",
        list(values.values()),
    )


@pytest.fixture
def ids(conn: psycopg.Connection) -> dict[str, Any]:
    """One of everything: location (UTC), program tree with a rubric, people, a session."""
    i: dict[str, Any] = {}
    i["location"] = one(
        conn, "insert into academy.locations (code, name) values ('HQ', 'Head Office') returning id"
    )
    i["program"] = one(
        conn, "insert into academy.programs (code, name) values ('SWIM', 'Swimming') returning id"
    )
    i["course"] = one(
        conn,
        "insert into academy.courses (program_id, name) values (%s, 'Club') returning id",
        [i["program"]],
    )
    i["curriculum"] = one(
        conn,
        "insert into academy.curriculums (course_id, name, min_age, max_age) values (%s, 'Kids', 5, 9) returning id",
        [i["course"]],
    )
    i["level"] = one(
        conn,
        "insert into academy.levels (curriculum_id, name, level_number) values (%s, 'Level 1', 1) returning id",
        [i["curriculum"]],
    )
    i["rubric"] = one(
        conn,
        "insert into academy.assessment_rubrics (level_id, name, is_current) values (%s, 'L1 v1', true) returning id",
        [i["level"]],
    )
    i["criterion"] = one(
        conn,
        "insert into academy.assessment_rubric_criteria (rubric_id, name) values (%s, 'Floats') returning id",
        [i["rubric"]],
    )
    i["student"] = one(
        conn,
        "insert into academy.students (first_name, last_name, location_id, program_id) values ('Zoë', 'Ångström', %s, %s) returning id",
        [i["location"], i["program"]],
    )
    i["parent"] = one(
        conn,
        "insert into academy.parents (first_name, last_name, location_id, phone) values ('Ann', 'Ångström', %s, '+15550100200') returning id",
        [i["location"]],
    )
    i["instructor"] = one(
        conn,
        "insert into academy.instructors (first_name, last_name) values ('Ian', 'Coach') returning id",
    )
    i["session"] = add_session(conn, i, at(TODAY, 9))
    i["today"] = TODAY
    return i  # fmt: skip


def refused(conn: psycopg.Connection, query: str, params: Any = None) -> psycopg.Error:
    """Run in a rolled-back transaction; return the database error it must raise."""
    with pytest.raises(psycopg.Error) as caught, conn.transaction():
        conn.execute(query, params)
    return caught.value


BAD_VALUES = [
    ("stars 4",
     "insert into academy.student_progress (student_id, level_id, rubric_id, criterion_id, stars)"
     " values ({student}, {level}, {rubric}, {criterion}, 4)",
     "student_progress_stars_check"),
    ("negative amount",
     "insert into academy.student_financial_records (student_id, entry_type, amount)"
     " values ({student}, 'charge', -5)",
     "student_financial_records_amount_check"),
    ("more than two decimals",
     "insert into academy.student_financial_records (student_id, entry_type, amount)"
     " values ({student}, 'charge', 10.005)",
     "student_financial_records_amount_check"),
    ("bad currency",
     "insert into academy.student_financial_records (student_id, entry_type, amount, currency)"
     " values ({student}, 'charge', 10, 'usd')",
     "student_financial_records_currency_check"),
    ("card number as reference",
     "insert into academy.student_financial_records (student_id, entry_type, amount, method, reference)"
     " values ({student}, 'payment', 10, 'card', '4111 1111 1111 1111')",
     "student_financial_records_reference_check"),
    ("payment without method",
     "insert into academy.student_financial_records (student_id, entry_type, amount)"
     " values ({student}, 'payment', 10)",
     "student_financial_records_method_check"),
    ("session ends before it starts",
     "insert into academy.sessions (location_id, program_id, instructor_id, starts_at, ends_at, capacity, session_date)"
     " values ({location}, {program}, {instructor}, now() + interval '2 hours', now() + interval '1 hour', 5, current_date)",
     "sessions_time_range_check"),
    ("negative capacity",
     "insert into academy.sessions (location_id, program_id, instructor_id, starts_at, ends_at, capacity, session_date)"
     " values ({location}, {program}, {instructor}, now() + interval '1 day', now() + interval '25 hours', -1, current_date)",
     "sessions_capacity_check"),
    ("availability ends before it starts",
     "insert into academy.instructor_availability (instructor_id, weekday, start_time, end_time)"
     " values ({instructor}, 1, '10:00', '09:00')",
     "instructor_availability_times_check"),
    ("weekday 0",
     "insert into academy.instructor_availability (instructor_id, weekday, start_time, end_time)"
     " values ({instructor}, 0, '09:00', '10:00')",
     "instructor_availability_weekday_check"),
    ("duplicate student-parent pair",
     "insert into academy.student_parent_relationships (student_id, parent_id, relationship)"
     " values ({student}, {parent}, 'mother'), ({student}, {parent}, 'guardian')",
     "student_parent_relationships_student_id_parent_id_key"),
    ("duplicate booking",
     "insert into academy.session_bookings (session_id, session_date, student_id)"
     " values ({session}, {today}, {student}), ({session}, {today}, {student})",
     "session_bookings_session_id_student_id_key"),
    ("10,000-character note",
     "update academy.students set notes = repeat('x', 10000) where id = {student}",
     "students_notes_length"),
    ("10,000-character medical note",
     "update academy.students set medical_notes = repeat('x', 10000) where id = {student}",
     "students_medical_notes_length"),
    ("blank name",
     "insert into academy.programs (code, name) values ('X', '   ')",
     "programs_name_length"),
    ("bad role name",
     "insert into academy.users (role_name, kind, full_name) values ('Robert; drop', 'front_desk', 'Bob')",
     "users_role_name_check"),
    ("phone not E.164",
     "update academy.parents set phone = '555-0100' where id = {parent}",
     "parents_phone_check"),
    ("curriculum ages reversed",
     "update academy.curriculums set min_age = 10, max_age = 6 where id = {curriculum}",
     "curriculums_age_range_check"),
    ("level of another curriculum",
     "insert into academy.student_enrollments (student_id, curriculum_id, level_id, location_id)"
     " values ({student}, (insert_other_curriculum), {level}, {location})",
     "student_enrollments_level_curriculum_fkey"),
]  # fmt: skip


def test_bad_values_are_refused_by_named_constraints(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    """Each case runs in its own rolled-back transaction on one database (clones are slow)."""
    values = {key: f"'{value}'" for key, value in ids.items()}
    values["insert_other_curriculum"] = "'{}'".format(one(
        conn,
        "insert into academy.curriculums (course_id, name, position) values (%s, 'Teens', 1) returning id",
        [ids["course"]],
    ))  # fmt: skip
    problems = []
    for case, statement, constraint in BAD_VALUES:
        query = statement.replace("(insert_other_curriculum)", "{insert_other_curriculum}")
        try:
            error = refused(conn, query.format(**values))
        except pytest.fail.Exception:
            problems.append(f"{case}: accepted")
            continue
        if constraint_base(error.diag.constraint_name) != constraint:
            problems.append(f"{case}: {type(error).__name__} {error.diag.constraint_name} {error}")
    assert not problems, "\n".join(problems)


def constraint_base(name: str | None) -> str | None:
    """A unique index of a partition is named <parent constraint>_yYYYYmMM / _default."""
    return re.sub(r"_(y\d{4}m\d{2}|default)$", "", name) if name else name


def test_instructor_double_booking_is_refused_unless_cancelled(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    first = add_session(conn, ids, at(TODAY, 14))
    overlapping = at(TODAY, 14, 30)
    error = refused(
        conn,
        "insert into academy.sessions (location_id, program_id, instructor_id, starts_at, ends_at, capacity, session_date)"
        " values (%s, %s, %s, %s, %s, 5, %s)",
        [ids["location"], ids["program"], ids["instructor"], overlapping,
         overlapping + timedelta(hours=1), TODAY],
    )  # fmt: skip
    assert isinstance(error, errors.ExclusionViolation)
    assert error.diag.constraint_name == "sessions_instructor_overlap_excl"
    # back-to-back is fine (half-open ranges)
    add_session(conn, ids, at(TODAY, 15))
    conn.execute("update academy.sessions set status = 'cancelled' where id = %s", [first])
    add_session(conn, ids, overlapping, minutes=30)


def test_updated_at_and_row_version_are_kept_by_the_database(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    before = conn.execute(
        "select created_at, updated_at, row_version from academy.students where id = %s",
        [ids["student"]],
    ).fetchone()
    assert before is not None and before[1] == before[0] and before[2] == 1
    # the client cannot choose either value
    after = conn.execute(
        """update academy.students set preferred_name = 'Zo', row_version = 42,
                  updated_at = '2000-01-01' where id = %s
           returning created_at, updated_at, row_version""",
        [ids["student"]],
    ).fetchone()
    assert after is not None
    assert after[0] == before[0] and after[1] > before[1] and after[2] == 2
    # curriculum nodes too
    version = one(conn, "update academy.levels set name = 'Level One' where id = %s returning row_version", [ids["level"]])  # fmt: skip
    assert version == 2


def test_bookings_keep_booked_count_without_touching_row_version(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    session = add_session(conn, ids, at(TODAY, 18), capacity=1)
    conn.execute(
        "insert into academy.session_bookings (session_id, session_date, student_id) values (%s, %s, %s)",
        [session, TODAY, ids["student"]],
    )
    counts = conn.execute("select booked_count, row_version from academy.sessions where id = %s", [session]).fetchone()  # fmt: skip
    assert counts == (1, 1)
    other = one(conn, "insert into academy.students (first_name, last_name, location_id) values ('B', 'C', %s) returning id", [ids["location"]])  # fmt: skip
    error = refused(
        conn,
        "insert into academy.session_bookings (session_id, session_date, student_id) values (%s, %s, %s)",
        [session, TODAY, other],
    )
    # 0007's waitlist-order trigger refuses first ("session_full"); without it the
    # capacity CHECK would: either way the seat is not taken
    assert error.diag.constraint_name == "sessions_capacity_not_exceeded" or (
        error.diag.message_primary or ""
    ).startswith("session_full")
    assert one(conn, "select booked_count from academy.sessions where id = %s", [session]) == 1
    conn.execute(
        "update academy.session_bookings set status = 'cancelled' where session_id = %s", [session]
    )
    assert one(conn, "select booked_count from academy.sessions where id = %s", [session]) == 0


def test_program_id_follows_the_tree(conn: psycopg.Connection, ids: dict[str, Any]) -> None:
    module = one(conn, "insert into academy.modules (level_id, name) values (%s, 'M') returning id", [ids["level"]])  # fmt: skip
    section = one(conn, "insert into academy.sections (module_id, name) values (%s, 'S') returning id", [module])  # fmt: skip
    lesson = one(conn, "insert into academy.lessons (section_id, name, duration_minutes) values (%s, 'L', 30) returning program_id", [section])  # fmt: skip
    assert lesson == ids["program"]
    other = one(conn, "insert into academy.programs (code, name) values ('BALL', 'Basketball') returning id")  # fmt: skip
    conn.execute("update academy.courses set program_id = %s where id = %s", [other, ids["course"]])
    for table in ("curriculums", "levels", "modules", "sections", "lessons",
                  "assessment_rubrics", "assessment_rubric_criteria"):  # fmt: skip
        assert one(conn, f"select array_agg(distinct program_id) from academy.{table}") == [
            other
        ], table


def test_sibling_positions_can_be_swapped_in_one_transaction(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    second = one(conn, "insert into academy.levels (curriculum_id, name, level_number, position) values (%s, 'Level 2', 2, 1) returning id", [ids["curriculum"]])  # fmt: skip
    with conn.transaction():
        conn.execute("update academy.levels set position = 1 where id = %s", [ids["level"]])
        conn.execute("update academy.levels set position = 0 where id = %s", [second])
    error = refused(conn, "update academy.levels set position = 5 where curriculum_id = %s", [ids["curriculum"]])  # fmt: skip
    assert error.diag.constraint_name == "levels_curriculum_id_position_key"


def test_ledger_rows_cannot_be_updated_or_deleted(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    row = conn.execute(
        """insert into academy.student_financial_records (student_id, entry_type, amount, method)
           values (%s, 'payment', 25.50, 'cash') returning id, receipt_number, location_id, created_by""",
        [ids["student"]],
    ).fetchone()
    assert row is not None
    entry, receipt, location, created_by = row
    assert receipt is not None and location == ids["location"]
    assert created_by == one(conn, "select session_user")
    for statement in (
        "update academy.student_financial_records set amount = 1 where id = %s",
        "delete from academy.student_financial_records where id = %s",
    ):
        error = refused(conn, statement, [entry])
        assert isinstance(error, errors.InsufficientPrivilege), statement
    assert isinstance(
        refused(conn, "truncate academy.student_financial_records"), errors.InsufficientPrivilege
    )
    assert (
        one(conn, "select amount from academy.student_financial_records where id = %s", [entry])
        == 25.50
    )
    # a correction is a new row that points at the original
    conn.execute(
        """insert into academy.student_financial_records (student_id, entry_type, amount, reverses_id, reason)
           values (%s, 'void', 25.50, %s, 'wrong student')""",
        [ids["student"], entry],
    )
    # the owner can still do deliberate maintenance
    with conn.transaction():
        conn.execute("set local role academy_owner")
        conn.execute("set local academy.maintenance = 'on'")
        conn.execute(
            "delete from academy.student_financial_records where reverses_id = %s", [entry]
        )


def test_audit_logs_are_append_only(conn: psycopg.Connection) -> None:
    conn.execute(
        "insert into academy.auth_audit_log (event, role_name) values ('login_failure', 'desk_ann')"
    )
    conn.execute(
        "insert into academy.data_audit_log (table_name, operation) values ('students', 'INSERT')"
    )
    for table in ("auth_audit_log", "data_audit_log"):
        error = refused(conn, f"update academy.{table} set created_at = created_at")
        assert isinstance(error, errors.InsufficientPrivilege), table
        error = refused(conn, f"delete from academy.{table}")
        assert isinstance(error, errors.InsufficientPrivilege), table
    error = refused(conn, "insert into academy.auth_audit_log (event) values ('hacked')")
    assert error.diag.constraint_name == "auth_audit_log_event_check"


def _partitions_in_plan(conn: psycopg.Connection, query: str, params: Any) -> set[str]:
    plan = one(conn, "explain (format json) " + query, params)
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"])
    return found


def test_attendance_queries_prune_to_one_partition(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    conn.execute(
        "insert into academy.student_attendance (session_id, attendance_date, student_id, status) values (%s, %s, %s, 'present')",
        [ids["session"], TODAY, ids["student"]],
    )
    month_start = TODAY.replace(day=1)
    touched = _partitions_in_plan(
        conn,
        "select * from academy.student_attendance where attendance_date between %s and %s",
        [month_start, month_start + timedelta(days=27)],
    )
    assert touched == {f"student_attendance_y{TODAY:%Y}m{TODAY:%m}"}
    unbounded = _partitions_in_plan(conn, "select * from academy.student_attendance where student_id = %s", [ids["student"]])  # fmt: skip
    assert len(unbounded) > 10  # the bound is what prunes
    scope = conn.execute(
        "select location_id, program_id from academy.student_attendance"
    ).fetchone()
    assert scope == (ids["location"], ids["program"])


def test_far_dates_go_to_the_default_partition(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    far = date(2091, 3, 4)
    session = add_session(conn, ids, at(far, 9))
    conn.execute(
        "insert into academy.session_bookings (session_id, session_date, student_id) values (%s, %s, %s)",
        [session, far, ids["student"]],
    )
    conn.execute(
        "insert into academy.student_attendance (session_id, attendance_date, student_id, status) values (%s, %s, %s, 'absent')",
        [session, far, ids["student"]],
    )
    conn.execute(
        "insert into academy.auth_audit_log (created_at, event) values ('2091-03-04', 'logout')"
    )
    for table, key in (("session_bookings", "session_date"), ("student_attendance", "attendance_date"),
                       ("auth_audit_log", "created_at")):  # fmt: skip
        where = one(
            conn,
            f"select tableoid::regclass::text from academy.{table} where {key} >= '2091-01-01'",
        )
        assert where == f"academy.{table}_default"
    # partition upkeep never moves rows: that month is skipped, the row stays put
    made = one(
        conn,
        "select academy.ensure_monthly_partitions('academy.student_attendance', '2091-03-01', 1)",
    )
    assert made == 0
    assert one(conn, "select to_regclass('academy.student_attendance_y2091m03')") is None
    assert (
        one(
            conn,
            "select academy.ensure_monthly_partitions('academy.student_attendance', '2091-05-01', 2)",
        )
        == 2
    )


def test_rescheduling_a_session_moves_its_bookings(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    conn.execute(
        "insert into academy.session_bookings (session_id, session_date, student_id) values (%s, %s, %s)",
        [ids["session"], TODAY, ids["student"]],
    )
    later = TODAY + timedelta(days=40)
    conn.execute(
        "update academy.sessions set starts_at = %s, ends_at = %s, session_date = '1999-01-01' where id = %s",
        [at(later, 9), at(later, 10), ids["session"]],
    )
    assert (
        one(conn, "select session_date from academy.sessions where id = %s", [ids["session"]])
        == later
    )
    row = conn.execute(
        "select session_date, tableoid::regclass::text from academy.session_bookings"
    ).fetchone()
    assert row == (later, f"academy.session_bookings_y{later:%Y}m{later:%m}")


def test_reporting_views_refresh_concurrently(
    conn: psycopg.Connection, ids: dict[str, Any]
) -> None:
    conn.execute(
        "insert into academy.student_progress (student_id, level_id, rubric_id, criterion_id, stars) values (%s, %s, %s, %s, 3)",
        [ids["student"], ids["level"], ids["rubric"], ids["criterion"]],
    )
    conn.execute(
        "insert into academy.session_bookings (session_id, session_date, student_id) values (%s, %s, %s)",
        [ids["session"], TODAY, ids["student"]],
    )
    for view in (
        "student_progress_summary",
        "location_capacity_summary",
        "instructor_schedule_summary",
    ):
        conn.execute(f"refresh materialized view concurrently academy.{view}")
    progress = conn.execute(
        "select criteria_rated, criteria_mastered, criteria_total, level_mastered from academy.student_progress_summary"
    ).fetchone()
    assert progress == (1, 1, 1, True)
    capacity = conn.execute(
        "select sessions_count, total_capacity, booked_seats, utilisation_percent from academy.location_capacity_summary"
    ).fetchone()
    assert capacity is not None and capacity[:3] == (1, 10, 1) and float(capacity[3]) == 10.0
    hours = one(conn, "select scheduled_hours from academy.instructor_schedule_summary where instructor_id = %s", [ids["instructor"]])  # fmt: skip
    assert float(hours) == 1.0
    conn.execute("select academy.refresh_reporting_views()")
    conn.execute("select academy.refresh_reporting_views(false)")
