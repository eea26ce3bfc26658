"""Rows in scope through their parent (0010 rewrote these policies from `IN (subquery)`
to a correlated EXISTS): each one both ways - what is inside the scope is read and
written, what is outside is invisible or refused - for desks and program admins."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from secworld import ids, one, rowcount, shared

RLS = "row-level security"


def test_desk_bookings_through_their_session(cast):
    w = cast.world
    desk = cast.desk_a.url
    insert = ("insert into academy.session_bookings (session_id, session_date, student_id)"
              " values (%s, %s, %s)")
    assert rowcount(desk, insert, (w.session_1, w.session_date, w.student_a2)) == 1
    with pytest.raises(InsufficientPrivilege, match=RLS):
        rowcount(desk, insert, (w.session_2, w.session_date, w.student_a2))
    assert ids(desk, "select student_id from academy.session_bookings") \
        == {w.student_a1, w.student_a2}
    update = "update academy.session_bookings set notes = 'n' where student_id = %s"
    assert rowcount(desk, update, (w.student_a2,)) == 1
    assert rowcount(desk, update, (w.student_b1,)) == 0
    assert ids(cast.desk_b.url, "select student_id from academy.session_bookings") \
        == {w.student_b1}


def test_desk_waitlists_through_their_session(cast):
    w = cast.world
    insert = ("insert into academy.session_waitlists (session_id, student_id, position)"
              " values (%s, %s, 1)")
    assert rowcount(cast.desk_a.url, insert, (w.session_1, w.student_a2)) == 1
    with pytest.raises(InsufficientPrivilege, match=RLS):
        rowcount(cast.desk_a.url, insert, (w.session_2, w.student_a2))
    assert ids(cast.desk_a.url, "select student_id from academy.session_waitlists") \
        == {w.student_a2}
    assert ids(cast.desk_b.url, "select student_id from academy.session_waitlists") == set()
    assert rowcount(cast.desk_b.url, "update academy.session_waitlists set notes = 'x'") == 0
    assert ids(cast.padmin_1.url, "select student_id from academy.session_waitlists") \
        == {w.student_a2}


def test_desk_family_links_through_their_student(cast):
    w = cast.world
    desk = cast.desk_a.url
    link = ("insert into academy.student_parent_relationships (student_id, parent_id,"
            " relationship) values (%s, %s, 'guardian')")
    assert rowcount(desk, link, (w.student_a2, w.parent_a)) == 1
    assert ids(desk, "select student_id from academy.student_parent_relationships") \
        == {w.student_a1, w.student_a2}
    move = "update academy.student_parent_relationships set student_id = %s where student_id = %s"
    with pytest.raises(InsufficientPrivilege, match=RLS):
        rowcount(desk, move, (w.student_b1, w.student_a2))
    unlink = "delete from academy.student_parent_relationships where student_id = %s"
    assert rowcount(desk, unlink, (w.student_b1,)) == 0
    assert rowcount(desk, unlink, (w.student_a2,)) == 1
    assert ids(cast.superuser_url, "select student_id from academy.student_parent_relationships"
               ) == {w.student_a1, w.student_b1}


def test_desk_reads_progress_of_own_students_only(cast):
    w = cast.world
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        rubric_2 = one(conn, "select id from academy.assessment_rubrics where level_id = %s",
                       (w.level_2,))
        criterion_2 = one(conn, "select id from academy.assessment_rubric_criteria"
                                " where rubric_id = %s", (rubric_2,))
        insert = ("insert into academy.student_progress (student_id, level_id, program_id,"
                  " session_id, rubric_id, criterion_id, stars) values (%s, %s, %s, %s, %s, %s, 2)")
        conn.execute(insert, (w.student_a1, w.level_1, w.prog_1, w.session_1, w.rubric_1,
                              w.criterion_1))
        conn.execute(insert, (w.student_b1, w.level_2, w.prog_2, w.session_2, rubric_2,
                              criterion_2))
    assert ids(cast.desk_a.url, "select student_id from academy.student_progress") \
        == {w.student_a1}
    assert ids(cast.desk_b.url, "select student_id from academy.student_progress") \
        == {w.student_b1}


def test_desk_enrolls_only_own_students_at_own_locations(cast):
    w = cast.world
    curriculum_2 = ids(cast.superuser_url, "select curriculum_id from academy.levels"
                       " where id = %s", (w.level_2,)).pop()
    enroll = ("insert into academy.student_enrollments (student_id, curriculum_id, program_id,"
              " location_id) values (%s, %s, %s, %s)")
    with pytest.raises(InsufficientPrivilege, match=RLS):  # foreign student, my location
        rowcount(cast.desk_a.url, enroll, (w.student_b1, curriculum_2, w.prog_2, w.loc_a))
    with pytest.raises(InsufficientPrivilege, match=RLS):  # my student, foreign location
        rowcount(cast.desk_a.url, enroll, (w.student_a2, curriculum_2, w.prog_2, w.loc_b))
    assert rowcount(cast.desk_a.url, enroll, (w.student_a2, curriculum_2, w.prog_2,
                                              w.loc_a)) == 1
    with pytest.raises(InsufficientPrivilege, match=RLS):
        rowcount(cast.desk_a.url, "update academy.student_enrollments set student_id = %s"
                 " where student_id = %s and curriculum_id = %s",
                 (w.student_b1, w.student_a2, curriculum_2))


def test_program_admin_conflicts_through_session_or_pattern(cast):
    w = cast.world
    insert = ("insert into academy.schedule_conflicts (session_id, kind) values (%s, 'other')"
              " returning id")
    with psycopg.connect(cast.padmin_1.url, autocommit=True) as conn:
        mine = one(conn, insert, (w.session_1,))
    with pytest.raises(InsufficientPrivilege, match=RLS):
        rowcount(cast.padmin_1.url, insert, (w.session_2,))
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        theirs = one(conn, insert, (w.session_2,))
    assert ids(cast.padmin_1.url, "select id from academy.schedule_conflicts") == {mine}
    assert rowcount(cast.padmin_1.url, "update academy.schedule_conflicts set details ="
                    " '{\"x\": 1}' where id = %s", (theirs,)) == 0


@shared
def test_program_admin_reads_bookings_of_own_programs_only(cast):
    w = cast.world
    assert ids(cast.padmin_1.url, "select student_id from academy.session_bookings") \
        == {w.student_a1}
    assert ids(cast.padmin_1.url, "select student_id from academy.session_bookings"
               " where session_id = %s", (w.session_2,)) == set()


@shared
def test_scope_helpers_answer_per_kind(cast):
    """0010 rewrote my_location_ids()/my_program_ids() to read the caller once: the
    answers per kind of person, including the instructor and parent paths."""
    w = cast.world
    expected = {
        cast.super_admin: ({w.loc_a, w.loc_b}, {w.prog_1, w.prog_2}),
        cast.desk_a: ({w.loc_a}, set()),  # no programs offered at A in this world
        cast.padmin_1: (set(), {w.prog_1}),
        cast.instructor_1: ({w.loc_a}, {w.prog_1}),  # teaches session 1 (program 1)
        cast.parent_a: ({w.loc_a}, {w.prog_1}),  # own and child's location, child's program
    }
    for who, (locations, programs) in expected.items():
        with psycopg.connect(who.url) as conn:
            got = conn.execute("select academy.my_location_ids(), academy.my_program_ids()"
                               ).fetchone()
        assert got is not None and (set(got[0]), set(got[1])) == (locations, programs), who
