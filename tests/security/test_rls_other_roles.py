"""Instructors, program admins, parents and super admins: exactly their rows, and the
refusal outside them."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from secworld import book, ids, rowcount, shared


@shared
def test_instructor_sees_only_students_booked_in_own_sessions(cast):
    w = cast.world
    assert ids(cast.instructor_1.url, "select id from academy.students") == {w.student_a1}
    # A2 is at the same location and program, but not booked with this instructor
    assert ids(cast.instructor_1.url, "select id from academy.students where id = %s",
               (w.student_a2,)) == set()
    assert ids(cast.instructor_1.url, "select id from academy.sessions") == {w.session_1}


def test_instructor_sees_newly_booked_student(cast):
    w = cast.world
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        book(conn, w.session_1, w.student_a2)
    assert ids(cast.instructor_1.url, "select id from academy.students") \
        == {w.student_a1, w.student_a2}


@shared
def test_instructor_has_no_access_to_financial_records(cast):
    w = cast.world
    for statement in ("select * from academy.student_financial_records",
                      "insert into academy.student_financial_records (student_id, location_id,"
                      " entry_type, amount, method) values (%s, %s, 'payment', 1, 'cash')"):
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            rowcount(cast.instructor_1.url, statement,
                     (w.student_a1, w.loc_a) if "insert" in statement else ())
    assert ids(cast.superuser_url, "select count(*) from academy.student_financial_records") == {2}


def test_instructor_records_attendance_only_in_own_sessions(cast):
    w = cast.world
    assert ids(cast.instructor_1.url, "select id from academy.student_attendance") \
        == {w.attendance_a1}
    assert rowcount(cast.instructor_1.url, "update academy.student_attendance set status = 'late'"
                    " where id = %s", (w.attendance_a1,)) == 1
    assert rowcount(cast.instructor_1.url, "update academy.student_attendance set status = 'late'"
                    " where id = %s", (w.attendance_b1,)) == 0
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.instructor_1.url, "insert into academy.student_attendance (session_id,"
                 " attendance_date, student_id, status) values (%s, %s, %s, 'present')",
                 (w.session_2, w.session_date, w.student_a2))


def test_instructor_rates_only_booked_students_in_own_sessions(cast):
    w = cast.world
    insert = ("insert into academy.student_progress (student_id, level_id, program_id,"
              " session_id, rubric_id, criterion_id, stars) values (%s, %s, %s, %s, %s, %s, 2)")
    assert rowcount(cast.instructor_1.url, insert, (w.student_a1, w.level_1, w.prog_1,
                    w.session_1, w.rubric_1, w.criterion_1)) == 1
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.instructor_1.url, insert, (w.student_a2, w.level_1, w.prog_1,
                 w.session_1, w.rubric_1, w.criterion_1))
    assert ids(cast.instructor_1.url, "select student_id from academy.student_progress") \
        == {w.student_a1}


def test_instructor_cannot_reschedule_or_take_over_sessions(cast):
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.instructor_1.url, "update academy.sessions set instructor_id = %s"
                 " where id = %s", (w.instr_1, w.session_2))
    assert rowcount(cast.instructor_1.url, "update academy.sessions set notes = 'ok'"
                    " where id = %s", (w.session_1,)) == 1
    assert rowcount(cast.instructor_1.url, "update academy.sessions set notes = 'ok'"
                    " where id = %s", (w.session_2,)) == 0


def test_program_admin_edits_only_own_program_curriculum(cast):
    w = cast.world
    assert ids(cast.padmin_1.url, "select id from academy.courses") == {w.course_1}
    assert rowcount(cast.padmin_1.url, "update academy.courses set description = 'x'"
                    " where id = %s", (w.course_2,)) == 0
    assert rowcount(cast.padmin_1.url, "update academy.courses set description = 'x'"
                    " where id = %s", (w.course_1,)) == 1
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.padmin_1.url, "insert into academy.courses (program_id, name, position)"
                 " values (%s, 'Sneaky', 5)", (w.prog_2,))


@shared
def test_program_admin_cannot_move_curriculum_to_other_program(cast):
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.padmin_1.url, "update academy.courses set program_id = %s where id = %s",
                 (w.prog_2, w.course_1))


@shared
def test_program_admin_cannot_graft_nodes_under_other_programs_tree(cast):
    """program_id is derived from the parent as the owner: a client-chosen value is ignored."""
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.padmin_1.url, "insert into academy.modules (level_id, program_id, name)"
                 " values (%s, %s, 'Graft')", (w.level_2, w.prog_1))
    assert ids(cast.superuser_url, "select count(*) from academy.modules") == {0}


@shared
def test_program_admin_sees_own_program_students_and_sessions(cast):
    w = cast.world
    assert ids(cast.padmin_1.url, "select id from academy.students") == {w.student_a1, w.student_a2}
    assert ids(cast.padmin_1.url, "select id from academy.sessions") == {w.session_1}
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.padmin_1.url, "select * from academy.student_financial_records")


@shared
def test_parent_sees_only_own_children(cast):
    w = cast.world
    assert ids(cast.parent_a.url, "select id from academy.students") == {w.student_a1}
    assert ids(cast.parent_a.url, "select id from academy.students where id = %s",
               (w.student_b1,)) == set()
    assert ids(cast.parent_a.url, "select id from academy.parents") == {w.parent_a}
    assert ids(cast.parent_a.url, "select student_id from academy.student_attendance") \
        == {w.student_a1}
    assert ids(cast.parent_a.url, "select id from academy.student_financial_records") \
        == {w.payment_a1}
    assert ids(cast.parent_a.url, "select id from academy.sessions") == {w.session_1}


def test_parent_is_read_only_except_own_contact_details(cast):
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.parent_a.url, "update academy.students set notes = 'x' where id = %s",
                 (w.student_a1,))
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.parent_a.url, "insert into academy.session_bookings (session_id,"
                 " session_date, student_id) values (%s, %s, %s)",
                 (w.session_1, w.session_date, w.student_a1))
    assert rowcount(cast.parent_a.url, "update academy.parents set city = 'Oslo' where id = %s",
                    (w.parent_b,)) == 0
    assert rowcount(cast.parent_a.url, "update academy.parents set city = 'Oslo' where id = %s",
                    (w.parent_a,)) == 1
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.parent_a.url, "update academy.parents set location_id = %s where id = %s",
                 (w.loc_b, w.parent_a))


@shared
def test_super_admin_sees_everything_but_cannot_delete_critical_rows(cast):
    w = cast.world
    assert ids(cast.super_admin.url, "select id from academy.students") \
        == {w.student_a1, w.student_a2, w.student_b1}
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.super_admin.url, "delete from academy.sessions where id = %s", (w.session_2,))


@shared
def test_whoami_per_role(cast):
    w = cast.world
    expected = {
        cast.desk_a: ("front_desk", [w.loc_a]),
        cast.instructor_1: ("instructor", [w.loc_a]),
        cast.parent_a: ("parent", [w.loc_a]),
        cast.padmin_1: ("program_admin", []),
    }
    for who, (kind, locations) in expected.items():
        with psycopg.connect(who.url) as conn:
            row = conn.execute("select role_name, kind, location_ids, program_ids"
                               " from academy.whoami()").fetchone()
        assert row is not None and row[:3] == (who.role_name, kind, locations)
    with psycopg.connect(cast.padmin_1.url) as conn:
        assert conn.execute("select program_ids from academy.whoami()").fetchone() \
            == ([w.prog_1],)
