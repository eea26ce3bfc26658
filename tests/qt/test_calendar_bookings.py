"""Booking from the session details as a front desk: find a student and book, a full
session refuses with a clear message and offers the waitlist, cancelling a booking
shows who was promoted, and booking a whole class books every later occurrence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from calendar_fixtures import Academy, local, plain_url, seed_academy
from PySide6.QtCore import Qt, QTime

from academy_desktop.db.login import whoami
from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.views.calendar.details import SessionDetailsDialog
from academy_desktop.views.workspace import WorkspaceContext


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url)


def test_book_full_waitlist_and_promotion(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any
) -> None:
    day = date.today() + timedelta(days=5)
    sid = academy.add_session(academy.instructor_ids[0], local(academy, day, 10), capacity=1)
    first, second = academy.add_students(2)
    with academy.connect() as su:
        last_name = su.execute(
            "select last_name from academy.students where id = %s", (first,)
        ).fetchone()[0]
    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = SessionDetailsDialog(context, sid, academy.tz, manage=True)
        qtbot.addWidget(dialog)
        dialog.show()
        wait_task(dialog.load())
        # find the first student by name and book with the keyboard
        qtbot.keyClicks(dialog.student_search, last_name)
        qtbot.keyClick(dialog.student_search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.student_pick.count() == 1)
        qtbot.mouseClick(dialog.book_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.notice.text() == "Booked.")
        assert dialog.roster.count() == 1 and "1 of 1 booked" in dialog.seats.text()
        # the second one hits a full session: a clear refusal, then the waitlist
        with pytest.raises(UserFacingError) as full:
            wait_task(dialog.book(second))
        assert full.value.message_key == "session_full"
        assert "1 of 1 seats booked" in full.value.details["detail"]
        assert wait_task(dialog.book(second, waitlist=True)) == "Added to the waitlist."
        assert dialog.waitlist.count() == 1 and dialog.waitlist.item(0).text().startswith("1. ")
        # off and back on the waitlist: it keeps working in order
        wait_task(dialog.remove_waiting(second))
        assert dialog.waitlist.count() == 0
        assert wait_task(dialog.book(second, waitlist=True)) == "Added to the waitlist."
        # cancelling the first booking hands the seat to the waiting student, shown at once
        dialog.roster.setCurrentRow(0)
        entry = dialog.roster.currentItem().data(Qt.ItemDataRole.UserRole)
        promoted = wait_task(dialog.cancel_booking(entry, "moved away"))
        assert len(promoted) == 1 and promoted[0] in dialog.notice.text()
        assert dialog.waitlist.count() == 0
        with academy.connect() as su:
            held = su.execute(
                "select student_id from academy.session_bookings where session_id = %s"
                " and status = 'booked'",
                (sid,),
            ).fetchall()
        assert held == [(second,)]
    finally:
        runner.dispose()


def test_book_every_session_of_a_class(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any
) -> None:
    ana = academy.instructor_ids[0]
    day = date.today() + timedelta(days=2)
    with academy.connect() as su:
        pattern = su.execute(
            "insert into academy.recurring_patterns (location_id, program_id, instructor_id, title,"
            " rrule, dtstart, duration_minutes, timezone, start_date, capacity) values"
            " (%s, %s, %s, 'Weekly', 'FREQ=WEEKLY', %s, 60, %s, %s, 1) returning id",
            (
                academy.location_id,
                academy.program_ids[0],
                ana,
                local(academy, day, 9),
                str(academy.tz),
                day,
            ),
        ).fetchone()[0]
    ids = [
        academy.add_session(
            ana, local(academy, day + timedelta(weeks=w), 9), capacity=1, pattern_id=pattern
        )
        for w in range(3)
    ]
    kid, other = academy.add_students(2)
    with academy.connect() as su:  # the last one is already full
        su.execute("select academy.book_session(%s, %s, gen_random_uuid())", (ids[2], other))
    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = SessionDetailsDialog(context, ids[0], academy.tz, manage=True)
        qtbot.addWidget(dialog)
        wait_task(dialog.load())
        text = wait_task(dialog.book(kid, whole_pattern=True))
        assert "Booked into 2 sessions" in text and "waitlisted for 1" in text
    finally:
        runner.dispose()


def test_soft_conflicts_are_listed_and_resolved_with_a_reason(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any
) -> None:
    from academy_desktop.views.calendar.conflicts import ConflictsDialog

    day = date.today() + timedelta(days=3)
    sid = academy.add_session(academy.instructor_ids[0], local(academy, day, 7), title="Early")
    with academy.connect() as su:
        su.execute(
            "insert into academy.schedule_conflicts (session_id, instructor_id, location_id,"
            " conflict_date, kind, details) values (%s, %s, %s, %s, 'instructor_unavailable',"
            ' \'{"detail": "outside availability"}\')',
            (sid, academy.instructor_ids[0], academy.location_id, day),
        )
    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = ConflictsDialog(context, academy.location_id)
        qtbot.addWidget(dialog)
        assert wait_task(dialog.load()) == 1
        assert "Early" in dialog.items.item(0).text()
        conflict = dialog.items.item(0).data(Qt.ItemDataRole.UserRole)
        with pytest.raises(UserFacingError):
            wait_task(dialog.close_conflict(conflict, "  "))
        assert wait_task(dialog.close_conflict(conflict, "Agreed early start")) == 0
        with academy.connect() as su:
            row = su.execute(
                "select status::text, resolution_reason, resolved_by"
                " from academy.schedule_conflicts where id = %s",
                (conflict,),
            ).fetchone()
        assert row == ("resolved", "Agreed early start", desk.role_name)
    finally:
        runner.dispose()


def test_edit_one_and_following_occurrences(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any
) -> None:
    from datetime import time

    ana, ben = academy.instructor_ids
    day = date.today() + timedelta(days=2)
    with academy.connect() as su:
        pattern = su.execute(
            "insert into academy.recurring_patterns (location_id, program_id, instructor_id, title,"
            " rrule, dtstart, duration_minutes, timezone, start_date, capacity) values"
            " (%s, %s, %s, 'Weekly', 'FREQ=WEEKLY', %s, 60, %s, %s, 1) returning id",
            (
                academy.location_id,
                academy.program_ids[0],
                ana,
                local(academy, day, 9),
                str(academy.tz),
                day,
            ),
        ).fetchone()[0]
    ids = [
        academy.add_session(
            ana, local(academy, day + timedelta(weeks=w), 9), capacity=1, pattern_id=pattern
        )
        for w in range(3)
    ]
    academy.add_session(ben, local(academy, day, 12), title="Ben's class")
    kid, waiting = academy.add_students(2)
    with academy.connect() as su:
        su.execute("select academy.book_session(%s, %s, gen_random_uuid())", (ids[0], kid))
        su.execute(
            "select academy.book_session(%s, %s, gen_random_uuid(), true)", (ids[0], waiting)
        )
    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = SessionDetailsDialog(context, ids[0], academy.tz, manage=True)
        qtbot.addWidget(dialog)
        wait_task(dialog.load())
        # one occurrence: later and bigger; the new seat goes to the waiting student
        wait_task(dialog.edit("one", time(10, 0), 45, 2))
        assert "2 of 2 booked" in dialog.seats.text() and dialog.waitlist.count() == 0
        # this and the following: the class splits at the second one, which moves to 11:15
        second = SessionDetailsDialog(context, ids[1], academy.tz, manage=True)
        qtbot.addWidget(second)
        wait_task(second.load())
        wait_task(second.edit("following", time(11, 15), 60, 1))
        assert "2 moved" in second.notice.text()
        with academy.connect() as su:
            rows = su.execute(
                "select id, starts_at, ends_at, capacity, recurring_pattern_id"
                " from academy.sessions where id = any(%s) order by starts_at",
                (ids,),
            ).fetchall()
            ends = su.execute(
                "select end_date from academy.recurring_patterns where id = %s", (pattern,)
            ).fetchone()
        local_starts = [r[1].astimezone(academy.tz).strftime("%H:%M") for r in rows]
        assert local_starts == ["10:00", "11:15", "11:15"]
        assert [r[3] for r in rows] == [2, 1, 1]
        assert rows[0][4] == pattern and rows[1][4] == rows[2][4] != pattern
        assert ends == (day + timedelta(days=6),)
        # moved onto 12:00 it is fine for Ana, but Ben teaches then: no substitute
        wait_task(dialog.edit("one", time(12, 0), 60, 2))
        with pytest.raises(UserFacingError) as busy:
            wait_task(dialog.substitute(ben))
        assert busy.value.message_key == "substitute_busy"
        # Edit… on the class: the form starts from its rule; "all" moves it to 08:00
        wait_task(second.ask_edit())
        form = second.edit_dialog
        assert form is not None and form.weekdays() == (day.isoweekday(),)
        assert not form.until.isVisible()  # "only this session" first: no days or end
        form.scope.setCurrentIndex(form.scope.findData("all"))
        assert form.until.isVisible() and form.end_date() == day + timedelta(weeks=2)
        form.when.setTime(QTime(8, 0))
        second.notice.clear()
        form.accept()
        qtbot.waitUntil(lambda: "Class changed" in second.notice.text())
        with academy.connect() as su:
            starts = su.execute(
                "select starts_at from academy.sessions where id = %s", (ids[2],)
            ).fetchone()[0]
        assert starts.astimezone(academy.tz).strftime("%H:%M") == "08:00", second.notice.text()
    finally:
        runner.dispose()


def test_generation_runs_in_batches_and_can_be_stopped(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any, monkeypatch: Any
) -> None:
    from datetime import time

    from PySide6.QtCore import QDate, QTime

    from academy_desktop.db.queries import calendar as q
    from academy_desktop.views.calendar import pattern_dialog

    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = pattern_dialog.PatternDialog(context, academy.location_id, academy.tz)
        qtbot.addWidget(dialog)
        wait_task(dialog.load_choices())
        start = date.today() + timedelta(days=7)
        dialog.start_date.setDate(QDate(start.year, start.month, start.day))
        end = start + timedelta(days=27)
        dialog.end_date.setDate(QDate(end.year, end.month, end.day))
        for box in dialog.days[:5]:
            box.setChecked(True)
        dialog.start_time.setTime(QTime(7, 0))
        rows = wait_task(dialog.run_preview())
        assert len(rows) == 20
        batches: list[int] = []
        real = q.generate_batch

        async def one_batch_then_stop(session: Any, pattern_id: Any, starts: Any) -> Any:
            batches.append(len(starts))
            dialog.stop()  # the person presses Stop while the first batch runs
            return await real(session, pattern_id, starts)

        monkeypatch.setattr(pattern_dialog, "BATCH", 8)
        monkeypatch.setattr(q, "generate_batch", one_batch_then_stop)
        assert wait_task(dialog.run_generate()) == 8
        assert batches == [8] and dialog.progress.value() == 8
        assert "Stopped after 8" in dialog.summary.text()
        with academy.connect() as su:
            made = su.execute(
                "select count(*) from academy.sessions where starts_at::time is not null"
                " and recurring_pattern_id is not null"
            ).fetchone()
        assert made == (8,)
        assert time(7) == rows[0].occurrence.starts_at.timetz().replace(tzinfo=None)
    finally:
        runner.dispose()


def test_substitute_then_cancel_form_shows_who_is_booked_first(
    academy: Academy, login_role: Any, qtbot: Any, wait_task: Any
) -> None:
    day = date.today() + timedelta(days=4)
    sid = academy.add_session(academy.instructor_ids[0], local(academy, day, 15), capacity=1)
    kid, waiting = academy.add_students(2)
    with academy.connect() as su:
        su.execute("select academy.book_session(%s, %s, gen_random_uuid())", (sid, kid))
        su.execute("select academy.book_session(%s, %s, gen_random_uuid(), true)", (sid, waiting))
        name = su.execute(
            "select first_name || ' ' || last_name from academy.students where id = %s", (kid,)
        ).fetchone()[0]
    desk = login_role("front_desk", locations=[academy.location_id])
    runner = DbRunner(plain_url(desk.url).replace("postgresql://", "postgresql+psycopg://"))
    try:
        context = WorkspaceContext(runner, wait_task(runner.run(whoami)))
        dialog = SessionDetailsDialog(context, sid, academy.tz, manage=True)
        qtbot.addWidget(dialog)
        wait_task(dialog.load())
        # the substitute form opens (no nested exec) and assigns on OK
        wait_task(dialog.ask_substitute())
        chooser = dialog.substitute_dialog
        assert chooser is not None and chooser.isVisible()
        chooser.accept()
        qtbot.waitUntil(lambda: "covering for" in dialog.who.text())
        dialog.ask_cancel()
        form = dialog.cancel_dialog
        assert form is not None
        qtbot.waitUntil(lambda: form.booked.count() == 1)
        assert form.booked.item(0).text() == name and "1 waiting" in form.summary.text()
        assert not form.confirm.isEnabled()  # a reason first
        with academy.connect() as su:  # nothing happened yet
            assert su.execute(
                "select status::text from academy.sessions where id = %s", (sid,)
            ).fetchone() == ("scheduled",)
        form.reason.setText("Pool closed")
        form.confirm.click()
        qtbot.waitUntil(lambda: "were booked" in dialog.notice.text())
        assert name in dialog.notice.text() and not dialog.cancel_button.isEnabled()
        assert not dialog.edit_button.isEnabled()
        wait_task(dialog.load())  # reopened later: says why nothing can be changed
        assert "cannot be reinstated" in dialog.notice.text()
        with academy.connect() as su:
            assert su.execute(
                "select booked_count, status::text from academy.sessions where id = %s", (sid,)
            ).fetchone() == (0, "cancelled")
    finally:
        runner.dispose()
