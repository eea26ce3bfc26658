"""The week calendar driven like a person would, against the real schema as real
logins: an instructor's own week, a desk's filtered location week, session details,
a recurring class previewed and generated, cancel and substitute, exports."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from calendar_fixtures import Academy, local, plain_url, seed_academy
from icalendar import Calendar
from PySide6.QtCore import QAbstractItemModel, QDate, Qt, QTime
from PySide6.QtTest import QAbstractItemModelTester

from academy_desktop.db.login import whoami
from academy_desktop.db.runner import DbRunner
from academy_desktop.views.calendar.workspace import CalendarWorkspace
from academy_desktop.views.my_week.view import MyWeekWorkspace
from academy_desktop.views.workspace import WorkspaceContext

SHOTS = os.environ.get("ACADEMY_SCREENSHOTS")


def _monday() -> date:
    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(days=14)


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url, instructors=3, programs=3)


@pytest.fixture
def open_as(qtbot: Any, wait_task: Any) -> Any:
    runners: list[DbRunner] = []

    def make(role: Any, cls: type) -> Any:
        runner = DbRunner(plain_url(role.url).replace("postgresql://", "postgresql+psycopg://"))
        runners.append(runner)
        identity = wait_task(runner.run(whoami))
        context = WorkspaceContext(runner, identity)
        ws = cls(context)
        qtbot.addWidget(ws)
        ws.resize(1200, 800)
        ws.show()
        ws.monday = _monday() - timedelta(days=7)
        wait_task(ws.reload())
        ws.go_to(_monday())
        qtbot.waitUntil(lambda: ws.model.monday == _monday() and not ws.placeholder.isVisible())
        wait_task(ws.load_week())
        return ws

    yield make
    for runner in runners:
        runner.dispose()


def _busy_week(academy: Academy) -> dict[str, Any]:
    ana, ben, cleo = academy.instructor_ids
    m = _monday()
    ids: dict[str, Any] = {"ana": [], "ben": [], "cleo": []}
    for day in range(5):
        d = m + timedelta(days=day)
        ids["ana"].append(academy.add_session(ana, local(academy, d, 16), 60, 8, 0, "Swim Juniors"))
        ids["ben"].append(
            academy.add_session(ben, local(academy, d, 16, 30), 45, 6, 1, "Tennis Minis")
        )
        ids["cleo"].append(
            academy.add_session(cleo, local(academy, d, 18), 90, 12, 2, "Judo Seniors")
        )
    ids["ana"].append(
        academy.add_session(
            ana, local(academy, m + timedelta(days=5), 9), 60, 4, 0, "Saturday Stroke Clinic"
        )
    )
    with academy.connect() as su:
        su.execute(
            "insert into academy.instructor_availability (instructor_id, weekday, start_time,"
            " end_time, valid_from) select %s, d, '15:00', '19:00', %s from generate_series(1, 5)"
            " d",
            (ana, m - timedelta(days=30)),
        )
    return ids


def test_instructor_sees_exactly_their_own_week(
    academy: Academy, login_role: Any, open_as: Any, qtbot: Any, tmp_path: Path, wait_task: Any
) -> None:
    ids = _busy_week(academy)
    kids = academy.add_students(3)
    with academy.connect() as su:
        for kid in kids:
            su.execute(
                "select academy.book_session(%s, %s, gen_random_uuid())", (ids["ana"][0], kid)
            )
    role = login_role(
        "instructor", locations=[academy.location_id], instructor_id=academy.instructor_ids[0]
    )
    ws = open_as(role, MyWeekWorkspace)
    QAbstractItemModelTester(ws.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    shown = {s.id for s in ws.model.sessions()}
    assert shown == set(ids["ana"])
    assert ws.model.availability and all(
        w.instructor_id == academy.instructor_ids[0] for w in ws.model.availability
    )
    # keyboard: first session, right to the next day, Enter opens details with the roster
    ws.view.setFocus()
    qtbot.keyClick(ws.view, Qt.Key.Key_Home)
    assert ws.model.session(ws.view.current).id == ids["ana"][0]
    qtbot.keyClick(ws.view, Qt.Key.Key_Right)
    assert ws.model.session(ws.view.current).starts_at.date() == _monday() + timedelta(days=1)
    qtbot.keyClick(ws.view, Qt.Key.Key_Left)
    qtbot.keyClick(ws.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.details_dialog is not None and ws.details_dialog.details is not None)
    dialog = ws.details_dialog
    assert dialog.roster.count() == 3 and not dialog.cancel_button.isVisible()
    assert "3 of 8 booked" in dialog.seats.text()
    dialog.reject()
    # next week is empty for her; back again
    qtbot.mouseClick(ws.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.model.monday == _monday() + timedelta(days=7))
    wait_task(ws.load_week())
    assert ws.model.rowCount() == 0
    # the .ics holds her sessions and parses
    ws.go_to(_monday())
    wait_task(ws.load_week())
    target = tmp_path / "me.ics"
    wait_task(ws.export_ics(str(target)))
    qtbot.waitUntil(target.exists)
    cal = Calendar.from_ical(target.read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    assert {str(e["uid"]).split("@")[0] for e in events} == {str(i) for i in ids["ana"]}
    first = min(events, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart") == local(academy, _monday(), 16)
    assert str(first["summary"]).startswith("Swim Juniors")
    _shot(ws, "my_week")
    # locking the app forgets the week and closes open details
    ws.view.set_current(0)
    ws.view.activated.emit(0)
    qtbot.waitUntil(lambda: ws.details_dialog is not None and ws.details_dialog.details is not None)
    ws.clear()
    assert ws.model.rowCount() == 0 and ws.details_dialog is None


def test_desk_week_filters_details_cancel_substitute(
    academy: Academy, login_role: Any, open_as: Any, qtbot: Any, wait_task: Any, tmp_path: Path
) -> None:
    ids = _busy_week(academy)
    desk = login_role("front_desk", locations=[academy.location_id])
    ws = open_as(desk, CalendarWorkspace)
    assert ws.model.rowCount() == 16
    lanes = {
        ws.model.index(r).data(Qt.ItemDataRole.UserRole + 5) for r in range(ws.model.rowCount())
    }
    assert (0, 2) in lanes and (1, 2) in lanes  # 16:00 swim and 16:30 tennis side by side
    _shot(ws, "calendar_desk")
    ws.set_filter("instructor", academy.instructor_ids[1])
    qtbot.waitUntil(lambda: ws.model.rowCount() == 5)
    assert {s.id for s in ws.model.sessions()} == set(ids["ben"])
    ws.set_filter("instructor", None)
    qtbot.waitUntil(lambda: ws.model.rowCount() == 16)
    # PDF of the week
    pdf = tmp_path / "week.pdf"
    from academy_desktop.views.calendar.export import write_week_pdf

    write_week_pdf(ws.view, str(pdf), "Week")
    assert pdf.read_bytes().startswith(b"%PDF")
    # details: substitute Cleo for Ben's Monday, then cancel Ana's Tuesday
    ws.view.set_current(ws.model.row_of(ids["ben"][0]))
    ws.view.activated.emit(ws.view.current)
    qtbot.waitUntil(lambda: ws.details_dialog is not None and ws.details_dialog.details is not None)
    dialog = ws.details_dialog
    assert dialog.cancel_button.isVisible()
    wait_task(dialog.substitute(academy.instructor_ids[2]))
    assert "covering for" in dialog.who.text()
    _shot(dialog, "details")
    with academy.connect() as su:
        row = su.execute(
            "select instructor_id, substitute_for_instructor_id from academy.sessions"
            " where id = %s",
            (ids["ben"][0],),
        ).fetchone()
    assert row == (academy.instructor_ids[2], academy.instructor_ids[1])
    dialog.reject()
    ws.view.set_current(ws.model.row_of(ids["ana"][1]))
    ws.view.activated.emit(ws.view.current)
    qtbot.waitUntil(
        lambda: ws.details_dialog is not dialog and ws.details_dialog.details is not None
    )
    booked = wait_task(ws.details_dialog.cancel("one", "Pool maintenance"))
    assert booked == [] and "Nobody was booked" in ws.details_dialog.cancelled_text(booked)
    ws.details_dialog.reject()
    wait_task(ws.load_week())
    cancelled = [s for s in ws.model.sessions() if s.cancelled]
    assert [s.id for s in cancelled] == [ids["ana"][1]]


def test_new_recurring_class_preview_and_generate(
    academy: Academy, login_role: Any, open_as: Any, qtbot: Any, wait_task: Any
) -> None:
    ana = academy.instructor_ids[0]
    m = _monday()
    academy.add_session(ana, local(academy, m + timedelta(days=7), 17, 30), title="Private lesson")
    with academy.connect() as su:
        su.execute(
            "insert into academy.location_closures (location_id, closed_on, reason)"
            " values (%s, %s, 'Bank holiday')",
            (academy.location_id, m + timedelta(days=14)),
        )
    desk = login_role("front_desk", locations=[academy.location_id])
    ws = open_as(desk, CalendarWorkspace)
    qtbot.mouseClick(ws.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            getattr(ws, "pattern_dialog", None) is not None
            and ws.pattern_dialog.instructor.count() == 3
        )
    )
    dialog = ws.pattern_dialog
    qtbot.keyClicks(dialog.title_edit, "Swim Level 2")
    dialog.instructor.setCurrentIndex(
        next(i for i in range(3) if dialog.instructor.itemData(i) == ana)
    )
    dialog.days[0].setChecked(True)
    dialog.days[3].setChecked(True)
    dialog.start_time.setTime(QTime(17, 0))
    dialog.start_date.setDate(QDate(m.year, m.month, m.day))
    end = m + timedelta(days=20)
    dialog.end_date.setDate(QDate(end.year, end.month, end.day))
    rows = wait_task(dialog.run_preview())
    assert len(rows) == 6 and dialog.table.rowCount() == 6
    skipped = [r.occurrence.local_date for r in rows if not r.will_create]
    assert skipped == [m + timedelta(days=7), m + timedelta(days=14)]
    assert "already teaching" in dialog.table.item(2, 2).text()
    assert "Closed" in dialog.table.item(4, 2).text()
    assert dialog.generate_button.isEnabled()
    _shot(dialog, "pattern_preview")
    created = wait_task(dialog.run_generate())
    assert created == 4 and dialog.generated
    with academy.connect() as su:
        made = su.execute(
            "select s.session_date, s.starts_at from academy.sessions s"
            " join academy.recurring_patterns p on p.id = s.recurring_pattern_id"
            " where p.title = 'Swim Level 2' order by 1"
        ).fetchall()
    assert [r[0] for r in made] == [
        m,
        m + timedelta(days=3),
        m + timedelta(days=10),
        m + timedelta(days=17),
    ]
    assert all(r[1].astimezone(academy.tz).time() == time(17) for r in made)
    dialog.reject()
    wait_task(ws.load_week())
    assert sum(s.title == "Swim Level 2" for s in ws.model.sessions()) == 2


def _shot(widget: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


_ = QAbstractItemModel  # (imported for type readers)


def test_program_admin_sees_their_programs_at_a_location(
    academy: Academy, login_role: Any, open_as: Any
) -> None:
    """No location assigned: the Calendar offers the locations they may read, and RLS
    keeps the week to their program's sessions."""
    ids = _busy_week(academy)
    admin = login_role("program_admin", programs=[academy.program_ids[1]])
    ws = open_as(admin, CalendarWorkspace)
    assert ws.location_combo.isVisible() and ws.location_id == academy.location_id
    assert {s.id for s in ws.model.sessions()} == set(ids["ben"])
