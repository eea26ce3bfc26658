"""Editing a recurring class as a real front-desk login: "this and following" splits the
pattern (old one ends the day before, new one carries the new RRULE) and brings the
occurrences in line (moved / generated / removed, exceptions and history kept); "all"
rewrites the pattern in place; a double booking refuses the whole edit. Cancelling a
whole session cancels its bookings with the reason, clears the waitlist and posts the
makeup credit of the ledger convention; a cancelled session cannot be reinstated."""

from __future__ import annotations

import sys
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries import bookings, calendar
from academy_desktop.domain.schedule import PatternSpec, batched, expand

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from calendar_fixtures import Academy, local, seed_academy
from test_bookings_patterns import run_as


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url)


def _monday(weeks_ahead: int) -> date:
    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def _make_pattern(url: str, academy: Academy, start: date, weeks: int, title: str) -> UUID:
    """Mon + Wed 17:00 for ``weeks`` weeks from ``start``, Ana, 8 seats, generated."""
    spec = PatternSpec((1, 3), time(17), 60, start, start + timedelta(weeks=weeks, days=-1),
                       str(academy.tz))

    async def work(s: AsyncSession) -> UUID:
        pid = await calendar.create_pattern(
            s, location_id=academy.location_id, program_id=academy.program_ids[0],
            level_id=None, instructor_id=academy.instructor_ids[0], title=title, spec=spec,
            capacity=8)
        occurrences = expand(spec.rrule_text(), spec.dtstart(), 60)
        for batch in batched(occurrences, 5):
            await calendar.generate_batch(s, pid, [o.starts_at for o in batch])
        return pid

    return run_as(url, work)


def _rows(academy: Academy, pattern_ids: tuple[UUID, ...]) -> list[Any]:
    with academy.connect() as su:
        return su.execute(
            "select id, session_date, to_char(starts_at at time zone %s, 'HH24:MI'),"
            " extract(epoch from ends_at - starts_at)::int / 60, capacity, status::text,"
            " is_active, recurring_pattern_id from academy.sessions"
            " where recurring_pattern_id = any(%s) order by starts_at",
            (str(academy.tz), list(pattern_ids)),
        ).fetchall()


def test_this_and_following_splits_the_pattern(academy: Academy, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[academy.location_id])
    start = _monday(2)
    pid = _make_pattern(desk.url, academy, start, 6, "Juniors")
    before = {r[1]: r for r in _rows(academy, (pid,))}
    assert len(before) == 12
    cut = start + timedelta(weeks=2)  # the third Monday: booked, on a day the new rule drops
    (kid,) = academy.add_students(1)
    run_as(desk.url, lambda s: bookings.book_session(s, before[cut][0], kid))
    exception_day = start + timedelta(weeks=3, days=2)  # a Wednesday edited on its own
    run_as(desk.url, lambda s: calendar.edit_sessions(
        s, before[exception_day][0], "one", start=time(18), minutes=60, capacity=8))

    change = calendar.PatternChange((2, 3), time(16), 45, 6, start + timedelta(weeks=6, days=-1))
    result = run_as(desk.url, lambda s: calendar.edit_pattern(
        s, before[cut][0], "following", change))

    assert result.split and result.pattern_id != pid
    assert (result.moved, result.created, result.removed, result.kept) == (3, 4, 4, 1)
    assert len(result.cancelled_booked) == 1 and result.cancelled_booked[0].startswith("Kid")
    with academy.connect() as su:
        old = su.execute("select end_date, rrule from academy.recurring_patterns where id = %s",
                         (pid,)).fetchone()
        new = su.execute("select start_date, end_date, rrule, duration_minutes, capacity"
                         " from academy.recurring_patterns where id = %s",
                         (result.pattern_id,)).fetchone()
        booking = su.execute("select status::text, cancel_reason from academy.session_bookings"
                             " where student_id = %s", (kid,)).fetchone()
    assert old[0] == cut - timedelta(days=1) and "BYDAY=MO,WE" in old[1]
    assert expand(old[1], local(academy, start, 17), 60)[-1].local_date == cut - timedelta(days=5)
    assert new[0] == cut and new[1] == change.end_date and "BYDAY=TU,WE" in new[2]
    assert new[3:] == (45, 6)
    assert booking[0] == "cancelled" and "Class moved" in booking[1]

    after = _rows(academy, (pid, result.pattern_id))
    history = [r for r in after if r[1] < cut]
    assert len(history) == 4 and all(r[2] == "17:00" and r[7] == pid for r in history)
    live = [(r[1], r[2], r[3], r[4]) for r in after if r[1] >= cut and r[6] and r[5] == "scheduled"]
    expected = sorted(
        [(cut + timedelta(weeks=w, days=1), "16:00", 45, 6) for w in range(4)]
        + [(cut + timedelta(weeks=w, days=2), "16:00", 45, 6) for w in (0, 2, 3)]
        + [(exception_day, "18:00", 60, 8)]
    )
    assert sorted(live) == expected
    assert all(r[7] == result.pattern_id for r in after if r[1] >= cut)
    cancelled = [r for r in after if r[5] == "cancelled"]
    assert {r[1] for r in cancelled} == {cut + timedelta(weeks=w) for w in range(4)}
    assert [r[1] for r in cancelled if r[6]] == [cut]  # the booked one stays on screen
    # the Wednesday moved kept its id (its bookings and waitlist stay with it)
    assert before[cut + timedelta(days=2)][0] in {r[0] for r in after if r[2] == "16:00"}


def test_edit_all_rewrites_in_place_and_keeps_history(academy: Academy, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[academy.location_id])
    start = _monday(1)
    pid = _make_pattern(desk.url, academy, start, 3, "Seniors")
    ana = academy.instructor_ids[0]
    past = academy.add_session(ana, local(academy, start - timedelta(weeks=1), 17),
                               title="Seniors", pattern_id=pid)
    sessions = _rows(academy, (pid,))
    some = sessions[-1][0]
    change = calendar.PatternChange((1, 3), time(9, 30), 60, 8, start + timedelta(weeks=3, days=-1))
    result = run_as(desk.url, lambda s: calendar.edit_pattern(s, some, "all", change))
    assert not result.split and result.pattern_id == pid
    assert (result.moved, result.created, result.removed) == (6, 0, 0)
    after = {r[0]: r for r in _rows(academy, (pid,))}
    assert after[past][2] == "17:00"  # history untouched
    assert {r[2] for i, r in after.items() if i != past} == {"09:30"}
    with academy.connect() as su:
        rule, dtstart = su.execute(
            "select rrule, to_char(dtstart at time zone %s, 'HH24:MI') from"
            " academy.recurring_patterns where id = %s", (str(academy.tz), pid)).fetchone()
    assert dtstart == "09:30" and "BYDAY=MO,WE" in rule

    # Ana teaches elsewhere at 12:00 on the second Monday: moving there refuses it all
    academy.add_session(ana, local(academy, start + timedelta(weeks=1), 12), title="Other")
    noon = calendar.PatternChange((1, 3), time(12), 60, 8, change.end_date)
    with pytest.raises(sa_exc.IntegrityError, match="sessions_instructor_overlap_excl"):
        run_as(desk.url, lambda s: calendar.edit_pattern(s, some, "all", noon))
    assert {r[2] for i, r in ((r[0], r) for r in _rows(academy, (pid,))) if i != past} == {"09:30"}


def _enrol_with_tuition(academy: Academy, student: UUID, fee: str) -> None:
    with academy.connect() as su:
        course = su.execute("insert into academy.courses (program_id, name) values (%s, 'Swim')"
                            " returning id", (academy.program_ids[0],)).fetchone()[0]
        curriculum = su.execute(
            "insert into academy.curriculums (course_id, program_id, name) values (%s, %s,"
            " 'Learn to swim') returning id", (course, academy.program_ids[0])).fetchone()[0]
        enrollment = su.execute(
            "insert into academy.student_enrollments (student_id, curriculum_id, program_id,"
            " location_id) values (%s, %s, %s, %s) returning id",
            (student, curriculum, academy.program_ids[0], academy.location_id)).fetchone()[0]
        su.execute(
            "insert into academy.student_financial_records (student_id, location_id, program_id,"
            " enrollment_id, entry_type, amount, description) values (%s, %s, %s, %s, 'charge',"
            " %s, 'Tuition')", (student, academy.location_id, academy.program_ids[0],
                                enrollment, Decimal(fee)))


def test_cancel_session_hands_over_bookings(academy: Academy, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[academy.location_id])
    sid = academy.add_session(academy.instructor_ids[0], local(academy, _monday(1), 10),
                              capacity=2, title="Squad")
    kids = academy.add_students(3)
    _enrol_with_tuition(academy, kids[0], "90.00")
    run_as(desk.url, lambda s: bookings.book_session(s, sid, kids[0]))
    run_as(desk.url, lambda s: bookings.book_session(s, sid, kids[1]))
    run_as(desk.url, lambda s: bookings.book_session(s, sid, kids[2], waitlist_if_full=True))

    preview = run_as(desk.url, lambda s: calendar.cancel_preview(s, sid, "one"))
    assert preview.sessions == 1 and preview.waiting == 1 and len(preview.booked) == 2
    with pytest.raises(Exception, match="reason_required"):
        run_as(desk.url, lambda s: calendar.cancel_sessions(s, sid, "one", "  "))
    who = run_as(desk.url, lambda s: calendar.cancel_sessions(s, sid, "one", "Pool closed"))
    assert sorted(who) == sorted(preview.booked)
    with academy.connect() as su:
        booked = su.execute("select status::text, cancel_reason from academy.session_bookings"
                            " where session_id = %s", (sid,)).fetchall()
        waiting = su.execute("select status::text from academy.session_waitlists"
                             " where session_id = %s", (sid,)).fetchall()
        count = su.execute("select booked_count, status::text from academy.sessions"
                           " where id = %s", (sid,)).fetchone()
        credits = su.execute(
            "select student_id, amount, reason, created_by from academy.student_financial_records"
            " where entry_type = 'credit'").fetchall()
    assert [b[0] for b in booked] == ["cancelled", "cancelled"]
    assert all("Pool closed" in b[1] for b in booked)
    assert waiting == [("cancelled",)] and count == (0, "cancelled")
    # only the enrolled student has tuition to credit: a quarter of it, as the seed does
    assert [(c[0], c[1]) for c in credits] == [(kids[0], Decimal("22.50"))]
    assert credits[0][2] == "Makeup credit: class cancelled (Pool closed)"
    assert credits[0][3] == desk.role_name

    with pytest.raises(psycopg.errors.RaiseException, match="session_cancelled"), \
            academy.connect() as su:
        su.execute("update academy.sessions set status = 'scheduled' where id = %s", (sid,))
    with pytest.raises(Exception, match="session_not_bookable"):
        run_as(desk.url, lambda s: bookings.book_session(s, sid, kids[2]))


def test_cancel_session_is_scoped(academy: Academy, login_role: Any) -> None:
    """A desk cannot cancel another location's session through the function."""
    other = seed_academy(academy.url)
    sid = other.add_session(other.instructor_ids[0], local(other, _monday(1), 10))
    desk = login_role("front_desk", locations=[academy.location_id])
    with pytest.raises(sa_exc.DBAPIError, match="not_allowed"):
        run_as(desk.url, lambda s: s.execute(
            text("select * from academy.cancel_sessions(cast(:ids as uuid[]), 'x')"),
            {"ids": [sid]}))
    with academy.connect() as su:
        assert su.execute("select status::text from academy.sessions where id = %s",
                          (sid,)).fetchone() == ("scheduled",)
