"""Super admin workspaces over the real account functions and statistics views:
Staff & access (list, create, disable/enable, unlock, reset code) and Database health."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from academy_desktop.db import login
from academy_desktop.db.queries.health import HealthReport, Level
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.views.admin.health import HealthWorkspace
from academy_desktop.views.admin.staff import StaffWorkspace
from academy_desktop.views.main_window import MainWindow


@pytest.fixture
def admin_window(qtbot, qloop, academy_db, wait_task, settings):
    academy_db.add_location("Riverside")
    academy_db.add_location("Northgate")
    academy_db.execute("insert into academy.programs (code, name) values ('SWIM', 'Swimming')"
                       " on conflict do nothing")
    admin = academy_db.add_person("super_admin", display_name="Sam Okafor")
    runner, identity = wait_task(login.sign_in(academy_db.profile, admin.role_name,
                                               admin.password))
    window = MainWindow(runner, identity, settings=settings)
    window.show()
    yield window
    if isValid(window) and not window.runner.closed:
        wait_task(window.shutdown())
        window.close()


def _open(qtbot, window: MainWindow, key: str):
    window.show_workspace(key)
    workspace = window.workspaces[key]
    qtbot.waitUntil(lambda: workspace.loaded_once, timeout=15000)
    return workspace


def _row_of(workspace: StaffWorkspace, role: str) -> int:
    for row in range(workspace.proxy.rowCount()):
        if workspace.proxy.index(row, 1).data() == role:
            return row
    return -1


def test_staff_create_disable_enable_and_reset_code(qtbot, admin_window, academy_db,
                                                    wait_task) -> None:
    other = academy_db.add_person("front_desk", locations=("Riverside",),
                                  display_name="Jamie Chen")
    staff: StaffWorkspace = _open(qtbot, admin_window, "staff")
    row = _row_of(staff, other.role_name)
    assert row >= 0
    assert staff.proxy.index(row, 3).data() == "Riverside"
    assert staff.proxy.index(row, 2).data() == "Front desk"
    # create through the dialog, typing like a person
    staff.new_button.click()
    qtbot.waitUntil(lambda: getattr(staff, "dialog", None) is not None
                    and staff.dialog.isVisible(), timeout=10000)
    dialog = staff.dialog
    qtbot.keyClicks(dialog.role_name, "Bad Name")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "lower-case" in dialog.error.text()
    dialog.role_name.clear()
    new_role = f"desk_new_{other.role_name[-8:]}"
    qtbot.keyClicks(dialog.role_name, new_role)
    qtbot.keyClicks(dialog.full_name, "Robin Park")
    dialog.check(dialog.locations, "Northgate")
    initial = dialog.password.text()
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _row_of(staff, new_role) >= 0, timeout=15000)
    assert academy_db.execute(
        "select kind::text, must_change_password from academy.users where role_name = %s",
        (new_role,)) == [("front_desk", True)]
    runner, identity = wait_task(login.sign_in(academy_db.profile, new_role, initial))
    assert identity.must_change_password and [x.name for x in identity.locations] == [
        "Northgate"]
    wait_task(runner.aclose())
    # disable: the person can no longer sign in; enable: they can again
    staff.table.selectRow(_row_of(staff, other.role_name))
    assert staff.toggle_button.text() == "Disable"
    staff.toggle_button.click()
    qtbot.waitUntil(lambda: staff.selected() is not None and not staff.selected().is_active,
                    timeout=10000)
    with pytest.raises(UserFacingError) as caught:
        wait_task(login.sign_in(academy_db.profile, other.role_name, other.password))
    assert caught.value.code is ErrorKind.ACCOUNT_DISABLED
    staff.toggle_button.click()
    qtbot.waitUntil(lambda: staff.selected() is not None and staff.selected().is_active,
                    timeout=10000)
    runner, _ = wait_task(login.sign_in(academy_db.profile, other.role_name, other.password))
    wait_task(runner.aclose())
    # a reset code is shown once and works once
    staff.reset_button.click()
    qtbot.waitUntil(lambda: getattr(staff, "code_dialog", None) is not None
                    and staff.code_dialog.isVisible(), timeout=10000)
    code = staff.code_dialog.code.text()
    assert len(code) == 14
    staff.code_dialog.accept()
    wait_task(login.redeem_reset_code(academy_db.profile, other.role_name, code,
                                      "Via-reset-code-2026"))
    runner, _ = wait_task(login.sign_in(academy_db.profile, other.role_name,
                                        "Via-reset-code-2026"))
    wait_task(runner.aclose())


def test_staff_cannot_disable_self_and_clear_forgets(qtbot, admin_window) -> None:
    staff: StaffWorkspace = _open(qtbot, admin_window, "staff")
    staff.table.selectRow(_row_of(staff, admin_window.identity.role_name))
    assert not staff.toggle_button.isEnabled() and not staff.reset_button.isEnabled()
    admin_window.lock()
    assert staff.model.rowCount() == 0 and staff.accounts == []


def test_locked_account_can_be_unlocked(qtbot, admin_window, academy_db, wait_task) -> None:
    other = academy_db.add_person("instructor")
    for _ in range(5):
        with pytest.raises(UserFacingError):
            wait_task(login.sign_in(academy_db.profile, other.role_name, "wrong"))
    staff: StaffWorkspace = _open(qtbot, admin_window, "staff")
    staff.table.selectRow(_row_of(staff, other.role_name))
    assert staff.selected().locked and staff.unlock_button.isEnabled()
    assert staff.proxy.index(_row_of(staff, other.role_name), 5).data() == "Locked"
    staff.unlock_button.click()
    qtbot.waitUntil(lambda: staff.selected() is not None and not staff.selected().locked,
                    timeout=10000)
    runner, _ = wait_task(login.sign_in(academy_db.profile, other.role_name, other.password))
    wait_task(runner.aclose())


def test_health_shows_coloured_metrics(qtbot, admin_window, tmp_path) -> None:
    health: HealthWorkspace = _open(qtbot, admin_window, "health")
    report = health.report
    assert report is not None and report.connections >= 1
    assert report.max_connections > report.connections
    assert health.cards["connections"].level is Level.OK
    assert "/" in health.cards["connections"].value.text()
    assert report.relations and any(r.name == "users" for r in report.relations)
    assert health.sizes_model.rowCount() == len(report.relations)
    assert health.cards["size"].value.text().endswith("B")
    qtbot.keyClick(admin_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: health.cards["connections"].value.text() != "…", timeout=10000)


def test_health_thresholds() -> None:
    base = HealthReport("15", 79, 100, "pg_stat_activity", False, (), 0, 0, 1, (), (), False)
    assert base.connections_level is Level.OK
    assert dataclasses.replace(base, connections=80).connections_level is Level.WARN
    assert dataclasses.replace(base, connections=None).connections_level is Level.UNKNOWN
    assert dataclasses.replace(base, deadlocks=1).locks_level is Level.WARN
    assert dataclasses.replace(base, slow_queries=None).slow_level is Level.UNKNOWN


def test_admin_workspaces_only_for_super_admin(qtbot, qloop, academy_db, wait_task,
                                               settings) -> None:
    desk = academy_db.add_person("front_desk", locations=("Riverside",))
    runner, identity = wait_task(login.sign_in(academy_db.profile, desk.role_name,
                                               desk.password))
    window = MainWindow(runner, identity, settings=settings)
    try:
        keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.nav.count())]
        assert "staff" not in keys and "health" not in keys
        # and the server refuses the acts anyway (grants, not the menu, protect them)
        from academy_desktop.db.queries import staff as queries
        with pytest.raises(UserFacingError) as caught:
            wait_task(runner.run(lambda s: queries.issue_reset_code(s, desk.role_name)))
        assert caught.value.code is ErrorKind.PERMISSION_DENIED
    finally:
        wait_task(window.shutdown())
        window.close()


def test_health_lists_top_statements_for_the_super_admin(qtbot, admin_window,
                                                         wait_task) -> None:
    from sqlalchemy import text

    # a statement slower than the 1 s threshold, recorded by pg_stat_statements
    wait_task(admin_window.runner.run(lambda s: s.execute(text("select pg_sleep(1.05)"))))
    health: HealthWorkspace = _open(qtbot, admin_window, "health")
    report = health.report
    assert report.slow_source == "pg_stat_statements"
    assert report.top_statements and health.slow_model.rowCount() == len(report.top_statements)
    shown = [health.slow_model.index(row, 3).data() for row in range(health.slow_model.rowCount())]
    assert any("pg_sleep" in query for query in shown) or len(shown) == 20
    assert any("pg_sleep($1)" in q.query for q in report.slow_queries)
    assert health.cards["slow"].level is Level.WARN
    assert "pg_stat_statements" in health.slow_title.text()


@pytest.mark.parametrize("kind", ["front_desk", "program_admin", "instructor", "parent"])
def test_statement_statistics_are_refused_to_everyone_else(academy_db, kind) -> None:
    import psycopg
    from psycopg.errors import InsufficientPrivilege

    person = academy_db.add_person(kind, locations=("Riverside",))
    with psycopg.connect(person.url) as conn, pytest.raises(InsufficientPrivilege):
        conn.execute("select * from academy_monitor.top_statements(5)")


def test_bootstrap_is_idempotent_and_keeps_the_function_locked_down(migrated_db_url) -> None:
    import psycopg

    from academy_desktop.db import migrate

    migrate.bootstrap(migrated_db_url)
    migrate.bootstrap(migrated_db_url)
    with psycopg.connect(migrated_db_url) as conn:
        rows = conn.execute(
            "select pg_get_userbyid(p.proowner), p.prosecdef, a.grantee::regrole::text"
            "  from pg_proc p, aclexplode(p.proacl) a"
            " where p.proname = 'top_statements' and a.grantee <> p.proowner").fetchall()
        assert rows == [("academy_monitor", True, "academy_super_admin")]
        assert conn.execute("select count(*) from pg_extension"
                            " where extname = 'pg_stat_statements'").fetchone()[0] == 1
