"""Sign-in against the real migrated schema and real LOGIN roles: success, each failure
message (and its report through the gatekeeper), remember me, password change, reset codes."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest
from psycopg import sql
from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url

from academy_desktop.db import login, profiles
from academy_desktop.db.profiles import Profile, ProfileStore
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.ui import messages
from academy_desktop.views.signin.dialog import SignInDialog


def _sign_in_error(wait_task, profile: Profile, user: str, password: str) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        wait_task(login.sign_in(profile, user, password))
    return caught.value


@pytest.mark.parametrize("kind", [k.value for k in PersonKind])
def test_sign_in_returns_server_identity(wait_task, academy_db, kind: str) -> None:
    academy_db.add_location("Riverside")
    person = academy_db.add_person(kind, locations=("Riverside",), display_name="Jamie Chen")
    runner, identity = wait_task(login.sign_in(academy_db.profile, person.role_name,
                                               person.password))
    try:
        assert identity.kind is PersonKind(kind)
        assert identity.role_name == person.role_name
        assert identity.person_id == person.person_id
        assert identity.display_name == "Jamie Chen"
        names = [loc.name for loc in identity.locations]
        if kind in ("front_desk", "program_admin", "parent"):
            assert names == ["Riverside"]
        elif kind == "super_admin":  # every location
            assert "Riverside" in names and len(names) == academy_db.execute(
                "select count(*) from academy.locations")[0][0]
        assert academy_db.auth_events(person.role_name)[-1] == "login_success"
    finally:
        wait_task(runner.aclose())


def test_wrong_password_and_unknown_user_read_the_same(wait_task, academy_db) -> None:
    role = academy_db.add_person("front_desk").role_name
    wrong = _sign_in_error(wait_task, academy_db.profile, role, "not-it")
    unknown = _sign_in_error(wait_task, academy_db.profile, "nobody_here", "not-it")
    assert wrong.code is unknown.code is ErrorKind.BAD_CREDENTIALS
    assert messages.user_message(wrong) == messages.user_message(unknown)
    # both refusals reached the server through the gatekeeper
    assert academy_db.auth_events(role) == ["account_created", "login_failure"]
    assert academy_db.auth_events("nobody_here") == ["login_failure"]


def test_repeated_failures_lock_the_account_on_the_server(wait_task, academy_db) -> None:
    person = academy_db.add_person("front_desk")
    for _ in range(5):
        _sign_in_error(wait_task, academy_db.profile, person.role_name, "not-it")
    assert "account_locked" in academy_db.auth_events(person.role_name)
    # even the right password is refused now, with the disabled-or-locked sentence
    error = _sign_in_error(wait_task, academy_db.profile, person.role_name, person.password)
    assert error.code is ErrorKind.ACCOUNT_DISABLED
    assert "locked" in messages.user_message(error)


def test_failure_without_gatekeeper_password_still_reads_the_same(
        wait_task, academy_db, monkeypatch) -> None:
    monkeypatch.delenv(login.GATEKEEPER_PASSWORD_ENV)
    role = academy_db.add_person("front_desk").role_name
    error = _sign_in_error(wait_task, academy_db.profile, role, "not-it")
    assert error.code is ErrorKind.BAD_CREDENTIALS
    assert "login_failure" not in academy_db.auth_events(role)


def test_disabled_account(wait_task, academy_db) -> None:
    person = academy_db.add_person("front_desk")
    academy_db.disable(person.role_name)
    error = _sign_in_error(wait_task, academy_db.profile, person.role_name, person.password)
    assert error.code is ErrorKind.ACCOUNT_DISABLED


def test_unreachable_server_names_host_and_port(wait_task, academy_db) -> None:
    profile = dataclasses.replace(academy_db.profile, port=1)
    error = _sign_in_error(wait_task, profile, "someone", "pw")
    assert error.code is ErrorKind.SERVER_UNREACHABLE
    assert f"{profile.host}:1" in messages.user_message(error)


def test_tls_unavailable_when_profile_requires_it(wait_task, academy_db) -> None:
    person = academy_db.add_person("front_desk")
    profile = dataclasses.replace(academy_db.profile, sslmode="require")
    error = _sign_in_error(wait_task, profile, person.role_name, person.password)
    # the test server has no SSL (the TLS-only server is in test_tls.py)
    assert error.code is ErrorKind.TLS_UNAVAILABLE
    assert "does not support encrypted (TLS)" in messages.user_message(error)


def test_schema_mismatch_names_both_versions(wait_task, fresh_academy_db) -> None:
    db = fresh_academy_db
    person = db.add_person("front_desk")
    db.execute("UPDATE academy.alembic_version SET version_num = '0001_core'")
    error = _sign_in_error(wait_task, db.profile, person.role_name, person.password)
    assert error.code is ErrorKind.SCHEMA_MISMATCH
    text = messages.user_message(error)
    assert "0001_core" in text and error.details["expected"] in text


def test_schema_missing(wait_task, fresh_academy_db) -> None:
    db = fresh_academy_db
    person = db.add_person("front_desk")
    db.execute("DELETE FROM academy.alembic_version")
    error = _sign_in_error(wait_task, db.profile, person.role_name, person.password)
    assert error.code is ErrorKind.SCHEMA_MISSING


def test_never_migrated_database(wait_task, fresh_academy_db, empty_db_url) -> None:
    db = fresh_academy_db
    person = db.add_person("front_desk")
    db.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(make_url(empty_db_url).database), sql.Identifier(person.role_name)))
    profile = dataclasses.replace(db.profile, database=make_url(empty_db_url).database)
    error = _sign_in_error(wait_task, profile, person.role_name, person.password)
    assert error.code is ErrorKind.SCHEMA_MISSING
    assert error.details["expected"] in messages.user_message(error)


def test_login_not_linked_to_a_person(wait_task, academy_db) -> None:
    """A DBA's own login (a LOGIN role with no academy.users row) is not a person."""
    person = academy_db.add_person("front_desk")
    academy_db.execute("update academy.users set role_name = %s where role_name = %s",
                       ("x" + person.role_name, person.role_name))
    error = _sign_in_error(wait_task, academy_db.profile, person.role_name, person.password)
    assert error.code is ErrorKind.NOT_A_PERSON


def test_no_connection_survives_a_failed_attempt(wait_task, fresh_academy_db) -> None:
    db = fresh_academy_db
    person = db.add_person("front_desk")
    db.execute("UPDATE academy.alembic_version SET version_num = 'old'")
    _sign_in_error(wait_task, db.profile, person.role_name, person.password)
    with psycopg.connect(db.server_url) as conn:
        count = conn.execute("select count(*) from pg_stat_activity where usename = %s",
                             (person.role_name,)).fetchone()[0]
    assert count == 0


# -- the dialog ---------------------------------------------------------------------------

@pytest.fixture
def dialog(qtbot, qloop, academy_db, settings) -> SignInDialog:
    ProfileStore().upsert(academy_db.profile)
    dlg = SignInDialog(settings=settings)
    qtbot.addWidget(dlg)
    dlg.select_profile("test")
    dlg.open()
    yield dlg
    if dlg.result() == 0 and getattr(dlg, "_pending", None):
        dlg.reject()


def _type_and_submit(qtbot, dlg: SignInDialog, user: str, password: str) -> None:
    dlg.username.setText(user)
    dlg.password.clear()
    qtbot.keyClicks(dlg.password, password)
    dlg.sign_in_button.click()


def test_dialog_shows_distinct_messages(qtbot, dialog, academy_db) -> None:
    person = academy_db.add_person("front_desk")
    academy_db.disable(person.role_name)
    _type_and_submit(qtbot, dialog, person.role_name, person.password)
    qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10000)
    disabled_text = dialog.banner.text
    assert "disabled" in disabled_text
    _type_and_submit(qtbot, dialog, person.role_name, "wrong")
    qtbot.waitUntil(lambda: dialog.banner.isVisible() and dialog.banner.text != disabled_text,
                    timeout=10000)
    assert dialog.banner.text == messages.user_message(UserFacingError("bad_credentials"))
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.sign_in_button.isEnabled()


def test_dialog_success_emits_runner_and_identity(qtbot, dialog, academy_db,
                                                  wait_task) -> None:
    person = academy_db.add_person("instructor")
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        _type_and_submit(qtbot, dialog, person.role_name, person.password)
    runner, identity = signal.args
    assert identity.kind is PersonKind.INSTRUCTOR
    wait_task(runner.aclose())


def test_remember_me_uses_keyring_and_forgetting_removes_it(
        qtbot, dialog, academy_db, isolated_env, settings, wait_task) -> None:
    person = academy_db.add_person("front_desk")
    role, password = person.role_name, person.password
    account = academy_db.profile.keyring_account(role)
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        _type_and_submit(qtbot, dialog, role, password)
    wait_task(signal.args[0].aclose())
    assert isolated_env.store[(profiles.KEYRING_SERVICE, account)] == password
    # a new dialog recalls it without typing
    again = SignInDialog(settings=settings)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.password.text() == password, timeout=5000)
    again.remember.setChecked(False)
    with qtbot.waitSignal(again.signed_in, timeout=10000) as signal:
        again.sign_in_button.click()
    wait_task(signal.args[0].aclose())
    assert (profiles.KEYRING_SERVICE, account) not in isolated_env.store


def _must_change(academy_db, role: str) -> bool:
    return academy_db.execute("select must_change_password from academy.users"
                              " where role_name = %s", (role,))[0][0]


def test_forced_password_change(qtbot, dialog, academy_db, wait_task) -> None:
    person = academy_db.add_person("front_desk", must_change=True)
    role, password = person.role_name, person.password
    _type_and_submit(qtbot, dialog, role, password)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    # the policy speaks before the server is asked
    qtbot.keyClicks(dialog.new_password, "short")
    qtbot.keyClicks(dialog.confirm_password, "short")
    dialog.change_button.click()
    qtbot.waitUntil(dialog.banner.isVisible)
    assert "characters" in dialog.banner.text and dialog.pages.currentIndex() == 1
    new = "a-brand-new-Passw0rd"
    dialog.new_password.clear()
    dialog.confirm_password.clear()
    qtbot.keyClicks(dialog.new_password, new)
    qtbot.keyClicks(dialog.confirm_password, new)
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        dialog.change_button.click()
    runner, identity = signal.args
    assert not identity.must_change_password
    wait_task(runner.aclose())
    assert not _must_change(academy_db, role)  # academy.set_my_password cleared it
    assert "password_change" in academy_db.auth_events(role)
    # the old password no longer works; the new one does
    with pytest.raises(UserFacingError):
        wait_task(login.sign_in(academy_db.profile, role, password))
    runner, _ = wait_task(login.sign_in(academy_db.profile, role, new))
    wait_task(runner.aclose())


def test_reset_code_in_the_dialog(qtbot, dialog, academy_db, wait_task) -> None:
    person = academy_db.add_person("front_desk")
    code = academy_db.execute("select academy.issue_reset_code(%s)", (person.role_name,))[0][0]
    dialog.username.setText(person.role_name)
    dialog.reset_link.click()
    page = dialog.reset_page
    assert dialog.pages.currentWidget() is page
    assert page.username.text() == person.role_name
    new = "Reset-by-code-2026"
    # a wrong code: the one refusal sentence, nothing changed
    qtbot.keyClicks(page.code, "AAAA-BBBB-CCCC")
    qtbot.keyClicks(page.new_password, new)
    qtbot.keyClicks(page.confirm_password, new)
    qtbot.keyClick(page.confirm_password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.banner.isVisible() and "code" in dialog.banner.text,
                    timeout=10000)
    assert "password_reset_failed" in academy_db.auth_events(person.role_name)
    page.code.clear()
    qtbot.keyClicks(page.code, code.lower())  # codes are not case sensitive
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        page.submit_button.click()
    runner, identity = signal.args
    assert identity.role_name == person.role_name
    wait_task(runner.aclose())
    assert "password_reset_used" in academy_db.auth_events(person.role_name)
    with pytest.raises(UserFacingError):
        wait_task(login.sign_in(academy_db.profile, person.role_name, person.password))


def test_escape_closes_the_dialog(qtbot, dialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_add_edit_and_remove_a_server_profile(qtbot, dialog, academy_db) -> None:
    from academy_desktop.views.signin.servers import ServerDialog

    added: ServerDialog = dialog.add_server()
    qtbot.keyClicks(added.name, "school")
    added.host.clear()
    qtbot.keyClicks(added.host, "db.example.org")
    added.port.setValue(6543)
    added.save()
    assert ProfileStore().get("school") == Profile("school", "db.example.org", 6543,
                                                   "academy", "require")
    assert dialog.profile.currentData().name == "school"
    assert dialog.edit_server_action.isEnabled()
    # the TLS advice of the sign-in error is a choice in this dialog
    edit: ServerDialog = dialog.edit_server()
    edit.tls.setCurrentIndex(edit.tls.findData("verify-full"))
    edit.save()
    assert ProfileStore().get("school").sslmode == "verify-full"
    # names must be unique and "local" is taken by the demo server
    clash = dialog.add_server()
    qtbot.keyClicks(clash.name, "local")
    qtbot.keyClicks(clash.host, "x")
    clash.save()
    assert clash.isVisible() and "built-in" in clash.error.text()
    clash.reject()
    dialog.select_profile("school")
    gone = dialog.edit_server()
    gone.remove_button.click()
    assert ProfileStore().get("school") is None
    assert dialog.profile.currentData().is_local and not dialog.edit_server_action.isEnabled()
    assert ProfileStore().get("test") is not None  # the other profile is untouched
