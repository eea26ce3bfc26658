"""Main window: role-shaped navigation, Home counts, lock, switch user, restore, errors."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from academy_desktop.app import Shell
from academy_desktop.db import login
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.ui import logging_setup
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.main_window import MainWindow
from academy_desktop.views.workspace import PLANNED, registry


@pytest.fixture
def signed_in(qtbot, qloop, academy_db, wait_task, settings):
    windows: list[MainWindow] = []

    def open_as(kind: str, locations: tuple[str, ...] = ("Riverside",),
                remembered: str | None = "home") -> MainWindow:
        """``remembered``: the workspace left open last time (None: a first start)."""
        if remembered is not None:
            settings.set_last_workspace(kind, remembered)
        person = academy_db.add_person(kind, locations=locations, display_name="Jamie Chen")
        runner, identity = wait_task(login.sign_in(academy_db.profile, person.role_name,
                                                   person.password))
        window = MainWindow(runner, identity, settings=settings)
        window.show()
        windows.append(window)
        return window

    yield open_as
    for window in windows:
        if not window.runner.closed:
            if isValid(window):
                wait_task(window.shutdown())
            else:
                wait_task(window.runner.aclose())
        if isValid(window):
            window.close()
            window.deleteLater()


def _nav_keys(window: MainWindow) -> list[str]:
    return [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]


@pytest.mark.parametrize("kind", ["front_desk", "program_admin", "instructor", "super_admin"])
def test_navigation_is_shaped_by_the_role(signed_in, kind) -> None:
    window = signed_in(kind)
    keys = _nav_keys(window)
    planned = PLANNED[PersonKind(kind)]
    built = [k for k in planned if k in registry]
    # the built workspaces this role is planned to have come first, in the planned order;
    # a planned screen that is not built is absent (no dead buttons). A screen may open
    # itself to more roles (e.g. a read-only curriculum): those follow, ranked last.
    expected = [k for k in built if PersonKind(kind) in _spec(k).kinds]
    assert keys[:len(expected)] == expected
    assert set(keys) - set(expected) <= set(registry.keys()) - set(planned)
    assert keys[0] == "home"
    if kind != "super_admin":
        assert not {"staff", "health"} & set(keys)
    assert window.role_label.text()
    assert window.person_label.text() == "Jamie Chen"


def _spec(key: str):
    return next(s for s in registry.for_kind(PersonKind.SUPER_ADMIN) + [
        s for k in PersonKind for s in registry.for_kind(k)] if s.key == key)


@pytest.mark.parametrize(("kind", "first"), [("front_desk", "checkin"),
                                             ("instructor", "home"), ("super_admin", "home")])
def test_first_start_workspace_then_the_remembered_one(signed_in, settings, kind,
                                                       first) -> None:
    window = signed_in(kind, remembered=None)
    assert window.current_workspace() is window.workspaces[first]
    window.show_workspace("home" if first != "home" else _nav_keys(window)[1])
    chosen = window.current_workspace()
    window.close()
    again = signed_in(kind, remembered=None)
    assert type(again.current_workspace()) is type(chosen)


def test_home_shows_counts_after_loading(qtbot, signed_in) -> None:
    window = signed_in("front_desk")
    home = window.workspaces["home"]
    qtbot.waitUntil(lambda: home.loaded_once, timeout=10000)
    values = [card.value.text() for card in home.cards.values()]
    assert "…" not in values  # placeholders replaced (stand-in tables: "—")
    assert "Riverside" in home.locations.text()


def test_location_switcher_only_with_several_locations(signed_in) -> None:
    one = signed_in("front_desk", ("Riverside",))
    assert not one.location_combo.isVisible() and one.location_label.text() == "Riverside"
    many = signed_in("front_desk", ("Northgate", "Harbour View"))
    assert many.location_combo.isVisible()
    assert many.location_combo.count() == 3
    many.location_combo.setCurrentIndex(2)
    assert many.context.location_ids == (many.identity.locations[1].location_id,)
    assert many.location_combo.itemText(0) == "All my locations"


def test_super_admin_chooses_among_all_locations(signed_in, academy_db) -> None:
    academy_db.add_location("Northgate")
    admin = signed_in("super_admin")
    assert admin.location_combo.isVisible()
    assert admin.location_combo.itemText(0) == "All locations"


def test_lock_hides_data_until_same_password(qtbot, signed_in) -> None:
    window = signed_in("front_desk")
    home = window.workspaces["home"]
    qtbot.waitUntil(lambda: home.loaded_once, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert all(card.value.text() == "…" for card in home.cards.values())
    qtbot.keyClicks(window.lock_screen.password, "wrong")
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    assert window.locked and window.lock_screen.error.text()
    qtbot.keyClicks(window.lock_screen.password, window.runner.url.password)
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    assert not window.locked


def test_idle_timeout_locks(qtbot, signed_in, settings) -> None:
    window = signed_in("front_desk")
    window._idle.start(50)
    qtbot.waitUntil(lambda: window.locked, timeout=2000)


def test_switch_user_disposes_runner_and_forgets_data(qtbot, qloop, signed_in,
                                                      academy_db) -> None:
    window = signed_in("front_desk")
    home = window.workspaces["home"]
    qtbot.waitUntil(lambda: home.loaded_once, timeout=10000)
    assert academy_db.execute("select count(*) from pg_stat_activity where usename = %s",
                              (window.identity.role_name,))[0][0] >= 1
    shell = Shell()
    shell.window = window
    window.switch_user_requested.connect(shell.switch_user)
    qtbot.keyClick(window, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.runner.closed, timeout=5000)
    assert window.workspaces == {}
    assert shell.window is None
    assert shell.dialog is not None and shell.dialog.isVisible()
    assert shell.dialog.password.text() == ""
    qtbot.waitUntil(lambda: not isValid(home))  # the workspace and its rows are gone
    # the engine is disposed: no connection of the last person is left on the server
    assert academy_db.execute("select count(*) from pg_stat_activity where usename = %s",
                              (window.identity.role_name,))[0][0] == 0
    shell.dialog.reject()


def test_geometry_and_last_workspace_restored(qtbot, signed_in, settings) -> None:
    first = signed_in("front_desk")
    first.splitter.setSizes([237, 643])
    first.move(31, 27)
    remembered = first.splitter.sizes()[0]
    first.close()
    assert settings.window_geometry() is not None
    second = signed_in("front_desk")
    assert second.splitter.sizes()[0] == remembered
    assert second.restoreGeometry(settings.window_geometry())
    assert second.current_workspace() is second.workspaces["home"]


def test_unexpected_error_in_a_slot_is_logged_and_bannered(qtbot, signed_in) -> None:
    window = signed_in("front_desk")

    class Boom:
        widget = window

        @async_slot
        async def explode(self) -> None:
            await asyncio.sleep(0)
            raise ZeroDivisionError("secret internals")

    task = Boom().explode()
    qtbot.waitUntil(task.done)
    qtbot.waitUntil(window.banner.isVisible)
    assert "secret internals" not in window.banner.text
    assert "log file" in window.banner.text
    logging_setup.flush_logs()
    log_text = (logging_setup.log_dir() / logging_setup.LOG_FILE_NAME).read_text()
    assert "ZeroDivisionError: secret internals" in log_text
    assert "Traceback" in log_text
    # still alive: the next slot works and a user-facing error shows its own words
    Boom.explode2 = async_slot(_raise_user_error)  # type: ignore[attr-defined]
    task = Boom().explode2()
    qtbot.waitUntil(task.done)
    assert "permission" in window.banner.text


async def _raise_user_error(self) -> None:
    raise UserFacingError("permission_denied")


def test_change_my_password_after_sign_in(qtbot, signed_in, academy_db, wait_task) -> None:
    window = signed_in("front_desk")
    role, old = window.identity.role_name, window.runner.url.password
    qtbot.waitUntil(lambda: window.workspaces["home"].loaded_once, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.password_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.current, "not-my-password")
    qtbot.keyClicks(dialog.new_password, "Fresh-password-2026")
    qtbot.keyClicks(dialog.confirm_password, "Fresh-password-2026")
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.banner.isVisible)
    assert "current password" in dialog.banner.text and dialog.isVisible()
    qtbot.keyClicks(dialog.current, old)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10000)
    assert "changed" in window.banner.text
    assert "password_change" in academy_db.auth_events(role)
    # new pool connections authenticate with the new password (old ones are killed)
    academy_db.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                       " where usename = %s", (role,))
    from sqlalchemy import text

    def whoami() -> object:
        return window.runner.run(lambda s: s.execute(text("select current_user")))

    # a connection used a moment ago is not pinged: the first call may report the drop
    try:
        wait_task(whoami())
    except UserFacingError as error:
        assert error.code is ErrorKind.CONNECTION_LOST
    assert wait_task(whoami()).scalar_one() == role
    with pytest.raises(UserFacingError):
        wait_task(login.sign_in(academy_db.profile, role, old))
    # the lock screen now wants the new password
    window.lock()
    qtbot.keyClicks(window.lock_screen.password, "Fresh-password-2026")
    qtbot.keyClick(window.lock_screen.password, Qt.Key.Key_Return)
    assert not window.locked


def test_missing_function_while_working_reads_as_a_whole_sentence() -> None:
    import psycopg

    from academy_desktop.db.errors import translate_error
    from academy_desktop.domain.errors import UserFacingError
    from academy_desktop.ui import messages

    error = translate_error(psycopg.errors.UndefinedFunction("function x() does not exist"))
    assert error is not None and error.code.value == "schema_missing"
    text = messages.user_message(error)
    assert "{" not in text and "schema version" not in text and text.endswith("upgrade.")
    # a template whose detail is missing keeps whole sentences, never half of one
    assert messages.user_message(UserFacingError("schema_missing")) == (
        "The server's database is not set up for this version of Academy Desktop.")


def test_program_admin_header_names_their_programs(qtbot, qloop, academy_db, wait_task,
                                                   settings) -> None:
    program = academy_db.execute(
        "insert into academy.programs (code, name) values ('HDRP', 'Header Gymnastics')"
        " on conflict (code) do update set name = excluded.name returning id")[0][0]
    person = academy_db.add_person("program_admin")
    academy_db.execute(
        "insert into academy.user_program_assignments (user_id, program_id)"
        " select id, %s from academy.users where role_name = %s", (program, person.role_name))
    runner, identity = wait_task(login.sign_in(academy_db.profile, person.role_name,
                                               person.password))
    settings.set_last_workspace("program_admin", "home")
    window = MainWindow(runner, identity, settings=settings)
    try:
        # a program admin's scope is programs, not "No location"
        qtbot.waitUntil(lambda: window.location_label.text() == "Header Gymnastics",
                        timeout=10000)
        assert window.location_label.accessibleName() == "Programs"
    finally:
        wait_task(window.shutdown())
        window.close()
