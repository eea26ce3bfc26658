"""Front desk of location A against location B: reads, updates, inserts, deletes and
row moves, for students, families, payments, attendance, bookings and sessions."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from secworld import ids, rowcount, shared


@shared
def test_desk_reads_only_students_of_own_location(cast):
    w = cast.world
    assert ids(cast.desk_a.url, "select id from academy.students") == {w.student_a1, w.student_a2}
    assert ids(cast.desk_a.url, "select id from academy.students where id = %s",
               (w.student_b1,)) == set()
    assert ids(cast.desk_b.url, "select id from academy.students") == {w.student_b1}


def test_desk_update_of_other_location_student_touches_nothing(cast):
    w = cast.world
    assert rowcount(cast.desk_a.url, "update academy.students set notes = 'x' where id = %s",
                    (w.student_b1,)) == 0
    assert rowcount(cast.desk_a.url, "update academy.students set notes = 'x' where id = %s",
                    (w.student_a1,)) == 1
    assert ids(cast.superuser_url, "select notes from academy.students where id = %s",
               (w.student_b1,)) == {None}


def test_desk_cannot_insert_student_at_other_location(cast):
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, "insert into academy.students (first_name, last_name,"
                 " location_id) values ('Eve', 'Mallory', %s)", (w.loc_b,))
    assert rowcount(cast.desk_a.url, "insert into academy.students (first_name, last_name,"
                    " location_id) values ('Eve', 'Good', %s)", (w.loc_a,)) == 1


@shared
def test_desk_cannot_move_student_to_other_location(cast):
    w = cast.world
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, "update academy.students set location_id = %s where id = %s",
                 (w.loc_b, w.student_a1))
    assert ids(cast.superuser_url, "select location_id from academy.students where id = %s",
               (w.student_a1,)) == {w.loc_a}


@shared
def test_nobody_deletes_students_not_even_own_location(cast):
    w = cast.world
    for who in (cast.desk_a, cast.super_admin):
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            rowcount(who.url, "delete from academy.students where id = %s", (w.student_a2,))
    assert ids(cast.superuser_url, "select count(*) from academy.students") == {3}


@shared
def test_desk_reads_only_own_location_payments(cast):
    w = cast.world
    ledger = "select id from academy.student_financial_records"
    assert ids(cast.desk_a.url, ledger) == {w.payment_a1}
    assert ids(cast.desk_b.url, ledger) == {w.payment_b1}


def test_desk_cannot_post_payment_at_other_location_or_for_foreign_student(cast):
    w = cast.world
    insert = ("insert into academy.student_financial_records (student_id, location_id,"
              " entry_type, amount, method) values (%s, %s, 'payment', 10, 'cash')")
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, insert, (w.student_b1, w.loc_b))
    # a foreign student booked under my own location id is refused as well
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, insert, (w.student_b1, w.loc_a))
    assert rowcount(cast.desk_a.url, insert, (w.student_a1, w.loc_a)) == 1


@shared
def test_payments_are_never_updated_or_deleted(cast):
    w = cast.world
    for who in (cast.desk_a, cast.super_admin):
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            rowcount(who.url, "update academy.student_financial_records set amount = 1"
                     " where id = %s", (w.payment_a1,))
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            rowcount(who.url, "delete from academy.student_financial_records where id = %s",
                     (w.payment_a1,))
    assert ids(cast.superuser_url, "select amount from academy.student_financial_records"
               " where id = %s", (w.payment_a1,)) == {25}


def test_desk_attendance_scope(cast):
    w = cast.world
    assert ids(cast.desk_a.url, "select id from academy.student_attendance") == {w.attendance_a1}
    assert rowcount(cast.desk_a.url, "update academy.student_attendance set status = 'absent'"
                    " where id = %s", (w.attendance_b1,)) == 0
    assert rowcount(cast.desk_a.url, "update academy.student_attendance set status = 'late'"
                    " where id = %s", (w.attendance_a1,)) == 1
    with pytest.raises(InsufficientPrivilege, match="permission denied"):
        rowcount(cast.desk_a.url, "delete from academy.student_attendance where id = %s",
                 (w.attendance_b1,))


def test_desk_cannot_record_attendance_in_other_location_session(cast):
    w = cast.world
    insert = ("insert into academy.student_attendance (session_id, attendance_date, student_id,"
              " status) values (%s, %s, %s, 'present')")
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, insert, (w.session_2, w.session_date, w.student_a2))
    assert rowcount(cast.desk_a.url, insert, (w.session_1, w.session_date, w.student_a2)) == 1


@shared
def test_desk_bookings_and_sessions_scope(cast):
    w = cast.world
    assert ids(cast.desk_a.url, "select student_id from academy.session_bookings") == {w.student_a1}
    assert ids(cast.desk_a.url, "select id from academy.sessions") == {w.session_1}
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, "insert into academy.session_bookings (session_id,"
                 " session_date, student_id) values (%s, %s, %s)",
                 (w.session_2, w.session_date, w.student_a2))
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, "update academy.sessions set location_id = %s where id = %s",
                 (w.loc_b, w.session_1))


@shared
def test_desk_families_scope(cast):
    w = cast.world
    assert ids(cast.desk_a.url, "select id from academy.parents") == {w.parent_a}
    assert ids(cast.desk_a.url, "select parent_id from academy.student_parent_relationships") \
        == {w.parent_a}
    with pytest.raises(InsufficientPrivilege, match="row-level security"):
        rowcount(cast.desk_a.url, "insert into academy.student_parent_relationships"
                 " (student_id, parent_id, relationship) values (%s, %s, 'other')",
                 (w.student_b1, w.parent_a))
    assert rowcount(cast.desk_a.url, "update academy.parents set notes = 'x' where id = %s",
                    (w.parent_b,)) == 0


@shared
def test_desk_sees_own_user_row_only_and_no_audit(cast):
    with psycopg.connect(cast.desk_a.url) as conn:
        assert {r[0] for r in conn.execute("select role_name from academy.users")} \
            == {cast.desk_a.role_name}
        with pytest.raises(InsufficientPrivilege):
            conn.execute("select * from academy.auth_audit_log")
    assert ids(cast.superuser_url, "select count(*) from academy.users") == {5}
