"""The Rosters workspace driven like an instructor against a real database, as a real
instructor login over TCP: only their own sessions, one key marks a child (twice: still
one row), mark all present, other days, and never a balance on screen."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_fixtures import Desk, WorkspaceOpener, now_utc, rush_hour, seed_desk
from PySide6.QtCore import Qt
from rosters_fixtures import add_rubric
from sqlalchemy.engine import make_url

from academy_desktop.db import login
from academy_desktop.db.profiles import Profile
from academy_desktop.domain.attendance import SaveState
from academy_desktop.domain.identity import PersonKind
from academy_desktop.models.roster import ALERT_COLUMN
from academy_desktop.views.catalog import register_all
from academy_desktop.views.rosters.view import RostersWorkspace
from academy_desktop.views.workspace import WorkspaceRegistry


@pytest.fixture
def desk(migrated_db_url: str) -> Iterator[Desk]:
    d = seed_desk(migrated_db_url)
    rush_hour(d)  # Tadpoles (Mia, Leo, Noah, Emma owing 45) and Dolphins (Liam)
    yield d
    d.close()


def teacher(desk: Desk, session: str) -> Any:
    return desk.execute("select instructor_id from academy.sessions where id = %s",
                        (desk.sessions[session],))[0][0]


@pytest.fixture
def open_rosters(qtbot: Any, qloop: Any, wait_task: Any, login_role: Any) -> Iterator[Any]:
    opener = WorkspaceOpener(qtbot, wait_task, login_role)
    yield lambda desk, instructor_id: opener.open(desk, RostersWorkspace, "instructor",
                                                  instructor_id=instructor_id)
    opener.close_all()


def names(workspace: RostersWorkspace) -> list[str]:
    return [workspace.proxy.index(r, 0).data() for r in range(workspace.proxy.rowCount())]


def row_of(workspace: RostersWorkspace, first: str) -> int:
    return next(r for r, n in enumerate(names(workspace)) if n.startswith(first))


def saved(workspace: RostersWorkspace, first: str) -> bool:
    return any(e.first_name == first and e.save_state is SaveState.SAVED
               for e in workspace.model.entries())


def test_rosters_in_the_instructor_and_super_admin_navigation() -> None:
    registry = register_all(WorkspaceRegistry())
    assert [s.key for s in registry.for_kind(PersonKind.INSTRUCTOR)][:3] == [
        "home", "my_week", "rosters"]
    assert "rosters" in [s.key for s in registry.for_kind(PersonKind.SUPER_ADMIN)]
    assert "rosters" not in [s.key for s in registry.for_kind(PersonKind.FRONT_DESK)]


def test_own_sessions_only_one_key_marks_once(desk: Desk, open_rosters: Any, qtbot: Any) -> None:
    workspace, host = open_rosters(desk, teacher(desk, "Tadpoles"))
    assert workspace.session_list.count() == 1  # Dolphins is another instructor's
    assert "Tadpoles" in workspace.session_list.item(0).text()
    assert sorted(names(workspace)) == ["Emma Stone", "Leo Lopez", "Mia Lopez", "Noah Kim"]
    alerts = [workspace.proxy.index(r, ALERT_COLUMN).data() for r in range(4)]
    assert any("Asthma" in a for a in alerts)
    assert not any("Balance" in a or "pickup" in a for a in alerts)  # Emma owes: not shown
    workspace.table.setFocus()
    workspace.table.selectRow(row_of(workspace, "Mia"))
    qtbot.keyClick(workspace.table, Qt.Key.Key_P)
    qtbot.keyClick(workspace.table, Qt.Key.Key_P)  # a double press
    qtbot.waitUntil(lambda: saved(workspace, "Mia"))
    qtbot.waitUntil(lambda: "Saved" in workspace.status.text())
    assert desk.attendance() == [("Mia", "present")]
    assert desk.execute("select count(*) from academy.student_attendance")[0][0] == 1
    qtbot.keyClick(workspace.table, Qt.Key.Key_P)  # again, after it was saved
    qtbot.waitUntil(lambda: "already recorded" in workspace.status.text())
    assert desk.execute("select count(*) from academy.student_attendance")[0][0] == 1
    workspace.table.selectRow(row_of(workspace, "Noah"))
    qtbot.keyClick(workspace.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: saved(workspace, "Noah"))
    assert desk.attendance() == [("Mia", "present"), ("Noah", "late")]
    qtbot.keyClick(workspace.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Undone" in workspace.status.text())
    assert desk.attendance() == [("Mia", "present")]
    assert workspace.model.entry(desk.sessions["Tadpoles"], desk.students["Noah"]).status is None
    assert not host.errors


def test_mark_all_present_and_other_days(desk: Desk, open_rosters: Any, qtbot: Any,
                                         wait_task: Any) -> None:
    mine = teacher(desk, "Tadpoles")
    yesterday = now_utc() - dt.timedelta(days=1)
    desk.add_session("Yesterday's swim", yesterday, instructor_id=mine)
    desk.add_session("Someone else's", yesterday + dt.timedelta(hours=2))
    workspace, host = open_rosters(desk, mine)
    workspace.buttons["all"].click()
    qtbot.waitUntil(lambda: all(saved(workspace, n) for n in ("Mia", "Leo", "Noah", "Emma")))
    assert [s for _, s in desk.attendance()] == ["present"] * 4
    today = workspace.day
    qtbot.keyClick(workspace, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: workspace.day == today - dt.timedelta(days=1))
    qtbot.waitUntil(lambda: workspace.session_list.count() == 1)
    assert "Yesterday's swim" in workspace.session_list.item(0).text()
    assert workspace.buttons["present"].isEnabled()  # late attendance may be taken
    workspace.go_to(today + dt.timedelta(days=1))
    qtbot.waitUntil(lambda: "No sessions" in workspace.status.text())
    assert not workspace.buttons["all"].isEnabled()  # never ahead of the session
    assert not workspace.stars.writable and not workspace.stars.star_buttons[3].isEnabled()
    workspace.today_button.click()
    qtbot.waitUntil(lambda: workspace.session_list.count() == 1 and workspace.proxy.rowCount() > 0)
    assert workspace.model.entries()[0].status is not None
    assert not host.errors



def test_a_super_admins_day_loads_a_roster_when_its_session_is_selected(
    desk: Desk, qtbot: Any, qloop: Any, wait_task: Any, login_role: Any
) -> None:
    """Every location's sessions, but only the shown session's roster with them (a busy
    day is 15,000 children); another comes when selected, and "Mark all present"
    pressed before it arrives waits for it instead of marking nobody."""
    opener = WorkspaceOpener(qtbot, wait_task, login_role)
    try:
        workspace, host = opener.open(desk, RostersWorkspace, "super_admin")
        assert workspace.session_list.count() == 2
        assert "Tadpoles" in workspace.session_list.currentItem().text()  # running now
        assert {e.session_id for e in workspace.model.entries()} == {desk.sessions["Tadpoles"]}
        assert sorted(names(workspace)) == ["Emma Stone", "Leo Lopez", "Mia Lopez", "Noah Kim"]
        workspace.session_list.setCurrentRow(1)  # Dolphins: its roster is not here yet
        assert workspace.proxy.rowCount() == 0
        workspace.buttons["all"].click()
        qtbot.waitUntil(lambda: saved(workspace, "Liam"))
        assert names(workspace) == ["Liam Brown"]
        assert desk.attendance("Dolphins") == [("Liam", "present")]
        assert desk.attendance("Tadpoles") == []
        assert len(workspace.model.entries()) == 5 and not host.errors
    finally:
        opener.close_all()


def test_star_ratings_for_the_selected_child(desk: Desk, open_rosters: Any, qtbot: Any) -> None:
    add_rubric(desk, "Mia")
    workspace, host = open_rosters(desk, teacher(desk, "Tadpoles"))
    stars = workspace.stars
    workspace.table.setFocus()
    workspace.table.selectRow(row_of(workspace, "Leo"))  # no level: nothing to rate
    qtbot.waitUntil(lambda: "No rubric" in stars.state.text())
    workspace.table.selectRow(row_of(workspace, "Mia"))
    qtbot.waitUntil(lambda: stars.list.count() == 2)
    assert "Level 1" in stars.who.text() and "Floats on back" in stars.list.item(0).text()
    qtbot.keyClick(workspace.table, Qt.Key.Key_2)  # the selected (first) criterion
    qtbot.keyClick(workspace.table, Qt.Key.Key_2)  # a double press: still one rating
    qtbot.waitUntil(lambda: "Saved" in stars.state.text())
    stars.list.setFocus()
    stars.list.setCurrentRow(1)
    qtbot.keyClick(stars.list, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: "Kicks" in stars.state.text())
    assert stars.list.item(0).text().startswith("★★☆")
    assert sorted(r[0] for r in desk.execute("select stars from academy.student_progress")) == [
        2, 3]
    assert not host.errors


@pytest.mark.skipif(not os.environ.get("ACADEMY_SCREENSHOT_DIR"),
                    reason="set ACADEMY_SCREENSHOT_DIR to take the screenshot")
def test_screenshot_in_the_main_window(desk: Desk, qapp: Any, qtbot: Any, qloop: Any,
                                       wait_task: Any, login_role: Any, settings: Any) -> None:
    """Opt-in: the instructor's main window on Rosters, one child marked, as a PNG."""
    from academy_desktop.ui import theme
    from academy_desktop.views.main_window import MainWindow

    theme.apply_theme(qapp)
    add_rubric(desk, "Mia")
    role = login_role("instructor", instructor_id=teacher(desk, "Tadpoles"),
                      locations=[desk.location_id])
    url = make_url(role.url)
    profile = Profile("test", url.host or "", url.port or 5432, url.database or "", "disable")
    runner, identity = wait_task(login.sign_in(profile, role.role_name, role.password))
    window = MainWindow(runner, identity, settings=settings)
    window.resize(1440, 900)
    window.show()
    try:
        window.show_workspace("rosters")
        workspace = window.current_workspace()
        assert isinstance(workspace, RostersWorkspace)
        qtbot.waitUntil(lambda: workspace.proxy.rowCount() == 4, timeout=10000)
        workspace.table.setFocus()
        workspace.table.selectRow(row_of(workspace, "Mia"))
        qtbot.keyClick(workspace.table, Qt.Key.Key_P)
        qtbot.waitUntil(lambda: saved(workspace, "Mia"))
        qtbot.waitUntil(lambda: workspace.stars.list.count() == 2)
        qtbot.keyClick(workspace.table, Qt.Key.Key_2)
        qtbot.waitUntil(lambda: "Saved" in workspace.stars.state.text())
        qtbot.wait(200)
        out = Path(os.environ["ACADEMY_SCREENSHOT_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(out / "rosters.png"))
    finally:
        wait_task(window.shutdown())
