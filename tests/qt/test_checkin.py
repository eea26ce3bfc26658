"""The check-in workspace driven like a user against a real database, as a real front
desk over TCP: type a name and Enter, whole family, undo, and a walk-in taking the last
seat while another desk tries the same. The roster model passes the model tester."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from desk_fixtures import Desk, WorkspaceOpener, now_utc, rush_hour, seed_desk
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from academy_desktop.domain.attendance import AttendanceStatus, RosterEntry, SaveState
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.models.roster import ENTRY_ROLE, RosterFilter, RosterModel
from academy_desktop.views.checkin.view import CheckInWorkspace


@pytest.fixture
def desk(migrated_db_url: str) -> Iterator[Desk]:
    d = seed_desk(migrated_db_url)
    rush_hour(d)
    yield d
    d.close()


@pytest.fixture
def open_checkin(qtbot: Any, qloop: Any, wait_task: Any, login_role: Any) -> Iterator[Any]:
    opener = WorkspaceOpener(qtbot, wait_task, login_role)
    yield lambda desk: opener.open(desk, CheckInWorkspace, "front_desk")
    opener.close_all()


def saved(workspace: CheckInWorkspace, name: str) -> bool:
    return any(
        e.first_name == name and e.save_state is SaveState.SAVED for e in workspace.model.entries()
    )


def type_and_enter(qtbot: Any, workspace: CheckInWorkspace, text: str) -> None:
    workspace.search.setFocus()
    qtbot.keyClicks(workspace.search, text)
    qtbot.keyClick(workspace.search, Qt.Key.Key_Return)


def test_model_passes_tester(qapp: Any) -> None:
    model = RosterModel()
    proxy = RosterFilter()
    proxy.setSourceModel(model)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    session = uuid.uuid4()
    rows = [
        RosterEntry(
            session,
            uuid.uuid4(),
            f"S{i}",
            f"Kid{i}",
            "Lopez",
            None,
            None,
            "Asthma" if i == 1 else None,
            12.5 if i == 2 else 0.0,
            i != 3,
        )
        for i in range(4)
    ]
    model.set_entries(rows, {session: "Tadpoles"})
    proxy.set_session(session)
    assert proxy.rowCount() == 4
    proxy.set_query("kid2")
    assert proxy.rowCount() == 1
    model.update_entry(rows[2].with_status(AttendanceStatus.LATE, SaveState.SAVED))
    assert "Balance due" in model.index(2, 4).data() and model.index(2, 3).data() == "Late"
    assert model.index(3, 4).data() == "No authorised pickup"


def test_type_name_enter_checks_right_child_then_undo(
    desk: Desk, open_checkin: Any, qtbot: Any
) -> None:
    workspace, host = open_checkin(desk)
    assert workspace.session_list.count() == 2
    assert workspace.session_list.item(0).text().startswith("NOW")
    type_and_enter(qtbot, workspace, "noa")  # Noah Kim, not Mia/Leo/Emma
    qtbot.waitUntil(lambda: saved(workspace, "Noah"))
    assert desk.attendance() == [("Noah", "present")]
    assert "Saved" in workspace.status.text() and "Asthma" in workspace.status.text()
    # scanning a student number works the same way
    number = desk.execute("select student_number from academy.students where first_name='Emma'")[0][
        0
    ]
    type_and_enter(qtbot, workspace, number)
    qtbot.waitUntil(lambda: saved(workspace, "Emma"))
    assert desk.attendance() == [("Emma", "present"), ("Noah", "present")]
    qtbot.keyClick(workspace.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Undone" in workspace.status.text())
    assert desk.attendance() == [("Noah", "present")]
    assert not host.errors


def test_whole_family_and_status_keys(desk: Desk, open_checkin: Any, qtbot: Any) -> None:
    workspace, host = open_checkin(desk)
    workspace.search.setFocus()
    qtbot.keyClicks(workspace.search, "mia")
    workspace.table.setFocus()
    qtbot.keyClick(workspace.table, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: saved(workspace, "Mia") and saved(workspace, "Leo"))
    assert desk.attendance() == [("Leo", "present"), ("Mia", "present")]
    workspace.search.clear()
    qtbot.keyClicks(workspace.search, "leo")
    workspace.table.setFocus()
    qtbot.keyClick(workspace.table, Qt.Key.Key_L)
    qtbot.waitUntil(
        lambda: any(
            e.first_name == "Leo"
            and e.status is AttendanceStatus.LATE
            and e.save_state is SaveState.SAVED
            for e in workspace.model.entries()
        )
    )
    assert desk.attendance() == [("Leo", "late"), ("Mia", "present")]
    assert not host.errors


def test_walk_in_last_seat_race(desk: Desk, open_checkin: Any, qtbot: Any, login_role: Any) -> None:
    start = now_utc() + dt.timedelta(minutes=2)
    if start.date() != now_utc().date():
        pytest.skip("too close to midnight for a same-day session")
    desk.add_session("Sharks", start, minutes=30, capacity=1)
    desk.add_student("Walker", "Inn")
    rival_kid = desk.add_student("Rival", "Kid")
    workspace, host = open_checkin(desk)
    for row in range(workspace.session_list.count()):
        if "Sharks" in workspace.session_list.item(row).text():
            workspace.session_list.setCurrentRow(row)
    # another desk holds the session row while our walk-in goes through
    rival = login_role("front_desk", locations=[desk.location_id])
    other = psycopg.connect(rival.url)
    other.execute(
        "select * from academy.book_session(%s, %s, %s)",
        (desk.sessions["Sharks"], rival_kid, uuid.uuid4()),
    )
    type_and_enter(qtbot, workspace, "walker")
    qtbot.waitUntil(lambda: workspace.walk_ins.isVisible())
    qtbot.keyClick(workspace.walk_ins, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Saving" in workspace.status.text())
    other.commit()  # the rival took the last seat first
    other.close()
    qtbot.waitUntil(lambda: "NOT saved" in workspace.status.text(), timeout=10000)
    assert "full" in workspace.status.text()
    qtbot.waitUntil(lambda: bool(host.errors))  # reported when the task ends, a beat later
    assert isinstance(host.errors[0], UserFacingError)
    booked = desk.execute(
        "select count(*) from academy.session_bookings where session_id = %s"
        " and status <> 'cancelled'",
        (desk.sessions["Sharks"],),
    )
    assert booked == [(1,)] and desk.attendance("Sharks") == []


def test_rush_hour_screenshot(desk: Desk, open_checkin: Any, qtbot: Any, tmp_path: Any) -> None:
    """A busy roster renders with now/next, alerts and saved states (PNG for review;
    set ACADEMY_SCREENSHOT_DIR to keep it)."""
    import os

    for i in range(14):
        desk.add_student(f"Kid{i:02d}", ["Novak", "Ito", "Okafor", "Silva"][i % 4])
        desk.book("Tadpoles", f"Kid{i:02d}")
    workspace, host = open_checkin(desk)
    for name in ("mia", "kid03", "kid07"):
        type_and_enter(qtbot, workspace, name)
    qtbot.waitUntil(lambda: all(saved(workspace, n) for n in ("Mia", "Kid03", "Kid07")))
    qtbot.waitUntil(lambda: "3 in" in workspace.session_list.item(0).text())
    image = host.grab()
    out = os.environ.get("ACADEMY_SCREENSHOT_DIR")
    path = (Path(out) if out else tmp_path) / "checkin-rush-hour.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path))
    assert workspace.proxy.rowCount() == 18
    emma = next(e for e in workspace.model.entries() if e.first_name == "Emma")
    row = workspace.model.entries().index(emma)
    alert = workspace.model.data(workspace.model.index(row, 4))
    assert "Balance due" in alert and "$45.00" in alert  # the location's currency
    assert not host.errors


def test_connection_killed_mid_check_in_is_retried_once(
    desk: Desk, open_checkin: Any, qtbot: Any
) -> None:
    """Another transaction holds Noah's attendance slot; our backend is killed while it
    waits; the retry (same request id) records exactly one row and the row says Saved."""
    workspace, host = open_checkin(desk)
    blocker = psycopg.connect(desk.url)
    blocker.execute(
        "insert into academy.student_attendance (session_id, attendance_date, student_id, status)"
        " select s.id, s.session_date, %s, 'present' from academy.sessions s where s.id = %s",
        (desk.students["Noah"], desk.sessions["Tadpoles"]),
    )
    type_and_enter(qtbot, workspace, "noah")

    def waiting() -> int | None:
        rows = desk.execute(
            "select pid from pg_stat_activity where wait_event_type = 'Lock'"
            " and query like '%check_in%'"
        )
        return rows[0][0] if rows else None

    qtbot.waitUntil(lambda: waiting() is not None, timeout=10000)
    desk.execute("select pg_terminate_backend(%s)", (waiting(),))
    qtbot.wait(200)
    blocker.rollback()
    blocker.close()
    qtbot.waitUntil(lambda: saved(workspace, "Noah"), timeout=15000)
    assert desk.attendance() == [("Noah", "present")]
    assert "Saved" in workspace.status.text() and not host.errors


def test_mark_all_present_then_close_session(desk: Desk, open_checkin: Any, qtbot: Any) -> None:
    workspace, host = open_checkin(desk)
    for row in range(workspace.session_list.count()):
        if "Dolphins" in workspace.session_list.item(row).text():
            workspace.session_list.setCurrentRow(row)
    qtbot.mouseClick(workspace.buttons["all"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: saved(workspace, "Liam"))
    assert desk.attendance("Dolphins") == [("Liam", "present")]
    workspace.session_list.setCurrentRow(0)  # Tadpoles: nobody in yet
    qtbot.mouseClick(workspace.buttons["close"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "4 child" in workspace.status.text())
    assert desk.attendance("Tadpoles") == [
        ("Emma", "absent"),
        ("Leo", "absent"),
        ("Mia", "absent"),
        ("Noah", "absent"),
    ]
    qtbot.waitUntil(
        lambda: all(
            e.status is AttendanceStatus.ABSENT
            for e in workspace.model.entries()
            if e.first_name == "Mia"
        )
    )
    assert not host.errors


def test_session_times_on_the_locations_clock(qapp: Any) -> None:
    """A desk PC's own time zone does not matter: times are the location's."""
    from PySide6.QtCore import QLocale

    from academy_desktop.domain.attendance import TodaySession
    from academy_desktop.views.checkin.sessions import SessionList

    start = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)  # 16:30 in New York
    session = TodaySession(
        uuid.uuid4(), "Juniors", start, start + dt.timedelta(hours=1), None, 10, 4, 1, "scheduled"
    )
    sessions = SessionList()
    sessions.set_zone("America/New_York")
    expected = QLocale().toString(dt.time(16, 30), QLocale.FormatType.ShortFormat)
    assert sessions.short_label(session).startswith(expected)
    sessions.set_zone("No/Such_Zone")  # a bad name falls back to this computer's clock
    assert sessions.zone is None
    sessions.deleteLater()


@pytest.fixture
def gated_rosters(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[list[uuid.UUID]], Any]]:
    """Records the session ids of every roster fetched (the first paint's, in list
    order, then each roster query); the second (the background half of the first load)
    waits until the test sets the returned event."""
    import asyncio
    import threading

    from academy_desktop.db.queries import checkin as cq

    calls: list[list[uuid.UUID]] = []
    release = threading.Event()
    real = cq.rosters

    async def spy(session: Any, session_ids: Any, day: dt.date) -> list[RosterEntry]:
        calls.append(list(session_ids))
        if len(calls) == 2:
            while not release.is_set():
                await asyncio.sleep(0.01)
        return await real(session, session_ids, day)

    real_ready = cq.desk_first_paint

    async def ready_spy(session: Any, *args: Any) -> Any:
        painted = await real_ready(session, *args)
        calls.append([s.session_id for s in painted[1] if s.session_id in painted[5]])
        return painted

    monkeypatch.setattr(cq, "rosters", spy)
    monkeypatch.setattr(cq, "desk_first_paint", ready_spy)
    yield calls, release
    release.set()


def later_session(desk: Desk) -> None:
    """Sharks, three hours on: Zoe is booked only there, Noah there and in Tadpoles."""
    start = now_utc() + dt.timedelta(hours=3)
    if start.date() != now_utc().date():
        pytest.skip("too close to midnight for a later session today")
    desk.add_session("Sharks", start, minutes=45)
    desk.add_student("Zoe", "Park")
    desk.book("Sharks", "Zoe", "Noah")


def test_first_paint_asks_only_for_now_and_next_then_the_rest(
    desk: Desk, open_checkin: Any, qtbot: Any, gated_rosters: Any
) -> None:
    """The first load asks for NOW/NEXT only; Enter on Zoe (booked only in the later
    session, not loaded yet) waits for the rest and checks her into Sharks; Noah still
    goes into the session running now."""
    later_session(desk)
    calls, release = gated_rosters
    workspace, host = open_checkin(desk)
    assert calls[0] == [desk.sessions["Tadpoles"], desk.sessions["Dolphins"]]
    assert workspace.session_list.count() == 3 and not workspace.all_loaded()
    assert not any(e.first_name == "Zoe" for e in workspace.model.entries())
    type_and_enter(qtbot, workspace, "zoe")
    qtbot.wait(100)
    assert desk.attendance() == []  # waiting for the background half, not guessing
    release.set()
    qtbot.waitUntil(lambda: saved(workspace, "Zoe"))
    assert calls[1] == [desk.sessions["Sharks"]] and len(calls) == 2
    assert desk.attendance("Sharks") == [("Zoe", "present")]
    type_and_enter(qtbot, workspace, "noah")
    qtbot.waitUntil(lambda: saved(workspace, "Noah"))
    assert desk.attendance("Tadpoles") == [("Noah", "present")]
    assert desk.attendance("Sharks") == [("Zoe", "present")]
    assert not host.errors


def test_selecting_a_session_not_loaded_yet_loads_it_at_once(
    desk: Desk, open_checkin: Any, qtbot: Any, gated_rosters: Any
) -> None:
    later_session(desk)
    calls, release = gated_rosters
    workspace, host = open_checkin(desk)
    workspace.session_list.setCurrentRow(2)  # Sharks, while the background half waits
    qtbot.waitUntil(lambda: workspace.proxy.rowCount() == 2)
    shown = {workspace.proxy.index(r, 0).data(ENTRY_ROLE).first_name for r in range(2)}
    assert shown == {"Zoe", "Noah"} and calls[2] == [desk.sessions["Sharks"]]
    release.set()
    qtbot.waitUntil(lambda: workspace.staged.rest is not None and workspace.staged.rest.done())
    sharks = [e for e in workspace.model.entries() if e.session_id == desk.sessions["Sharks"]]
    assert len(sharks) == 2  # the background copy did not add them twice
    assert workspace.proxy.rowCount() == 2 and not host.errors


def test_the_rest_of_the_day_arrives_in_small_calls_nearest_first(
    desk: Desk, open_checkin: Any, qtbot: Any, gated_rosters: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each background call is one batch (here one session): upcoming sessions by start,
    then the finished one; every roster ends up in the model exactly once, and the
    session list is refilled once at the end rather than per batch."""
    import functools

    from academy_desktop.domain.attendance import roster_batches
    from academy_desktop.views.checkin import staged

    monkeypatch.setattr(staged, "roster_batches", functools.partial(roster_batches, batch_rows=1))
    later_session(desk)
    now = now_utc()
    earlier, latest = now - dt.timedelta(hours=3), now + dt.timedelta(hours=4)
    if earlier.date() != now.date() or latest.date() != now.date():
        pytest.skip("too close to midnight for sessions three hours either side")
    desk.add_session("Minnows", earlier, minutes=30)
    desk.add_session("Whales", latest, minutes=30)
    desk.book("Minnows", "Liam")
    desk.book("Whales", "Emma", "Zoe")
    calls, release = gated_rosters
    workspace, host = open_checkin(desk)  # the first batch waits for release
    refills: list[int] = []
    refill = workspace.staged.on_added
    workspace.staged.on_added = lambda: (refills.append(1), refill())
    release.set()
    qtbot.waitUntil(workspace.all_loaded)
    qtbot.waitUntil(lambda: workspace.staged.rest is not None and workspace.staged.rest.done())
    s = desk.sessions
    assert calls[1:] == [[s["Sharks"]], [s["Whales"]], [s["Minnows"]]]
    assert refills == [1]  # the session list is refilled once, after the last batch
    rows = [(e.session_id, e.student_id) for e in workspace.model.entries()]
    assert len(rows) == len(set(rows)) == 5 + 2 + 1 + 2
    assert not host.errors


def test_a_day_without_sessions_says_why_and_when_classes_resume(
    migrated_db_url: str, open_checkin: Any, wait_task: Any
) -> None:
    """The closure recorded for today and the next day with classes, both of the desk's
    own location only (RLS): another location's closure and earlier classes, and a
    cancelled session, do not count."""
    from academy_desktop.ui.dates import format_long_day

    desk, other = seed_desk(migrated_db_url), seed_desk(migrated_db_url, code="NORTH")
    try:
        today = now_utc().date()
        at = dt.datetime.combine(today, dt.time(10), dt.UTC)
        desk.execute("insert into academy.location_closures (location_id, closed_on, reason)"
                     " values (%s, %s, 'Thanksgiving'), (%s, %s, 'Flooded pool')",
                     (desk.location_id, today, other.location_id, today))
        other.add_session("North tomorrow", at + dt.timedelta(days=1))
        cancelled = desk.add_session("Called off", at + dt.timedelta(days=2))
        desk.execute("update academy.sessions set status = 'cancelled' where id = %s",
                     (cancelled,))
        desk.add_session("Back 1", at + dt.timedelta(days=3))
        desk.add_session("Back 2", at + dt.timedelta(days=3, hours=2))
        workspace, host = open_checkin(desk)
        back = format_long_day(today + dt.timedelta(days=3))
        assert workspace.status.text() == (
            f"Closed today: Thanksgiving. Next classes: {back}, 2 sessions.")
        assert workspace.session_list.count() == 0
        desk.execute("delete from academy.location_closures where location_id = %s",
                     (desk.location_id,))
        desk.execute("delete from academy.sessions where location_id = %s", (desk.location_id,))
        wait_task(workspace.reload())
        assert workspace.status.text() == (
            "No sessions at this location today. No classes in the next two weeks.")
        assert not host.errors
    finally:
        desk.close()
        other.close()


def test_first_sessions_are_now_next_and_the_selected_one() -> None:
    """What the first paint asks rosters for: every running session and the next; a
    selection kept from before (never another location's); else the first of the day."""
    from academy_desktop.db.queries.checkin import first_sessions
    from academy_desktop.domain.attendance import TodaySession

    base = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)

    def at(hours: float) -> TodaySession:
        start = base + dt.timedelta(hours=hours)
        end = start + dt.timedelta(hours=1)
        return TodaySession(uuid.uuid4(), "x", start, end, None, 10, 5, 0, "scheduled")

    day = [at(0), at(0.5), at(2), at(3), at(4)]
    ids = [s.session_id for s in day]
    now = base + dt.timedelta(minutes=40)
    assert first_sessions(day, now) == ids[:3]  # two running, one next
    assert first_sessions(day, now, uuid.uuid4()) == ids[:3]
    evening = base + dt.timedelta(hours=10)
    assert first_sessions(day, evening) == ids[:1]
    assert first_sessions(day, evening, ids[3]) == [ids[3]]


def test_session_list_names_locations_only_when_there_are_several(qtbot) -> None:
    """A float desk on "All my locations" must see where each session is; a one-location
    desk is not told its own location on every line."""
    from academy_desktop.domain.attendance import TodaySession
    from academy_desktop.views.checkin.sessions import SessionList

    start = dt.datetime(2026, 11, 26, 17, 0, tzinfo=dt.UTC)

    def at(location: str) -> TodaySession:
        return TodaySession(uuid.uuid4(), "Junior Hoops", start, start + dt.timedelta(hours=1),
                            "Court 1", 10, 5, 0, "scheduled", location)

    listing = SessionList()
    qtbot.addWidget(listing)
    listing.show_sessions([at("Northgate"), at("Harbour View")], {}, start)
    texts = [listing.item(row).text() for row in range(listing.count())]
    assert "Northgate · Court 1" in texts[0] and "Harbour View · Court 1" in texts[1]
    listing.show_sessions([at("Northgate"), at("Northgate")], {}, start)
    assert all("Northgate" not in listing.item(row).text() for row in range(listing.count()))
