"""Sign-in against real LOGIN roles: success, each failure message, remember me."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest

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
def test_sign_in_returns_server_identity(wait_task, standin_db, kind: str) -> None:
    standin_db.add_location("Riverside")
    role, password = standin_db.add_person(kind, locations=("Riverside",),
                                           display_name="Jamie Chen")
    runner, identity = wait_task(login.sign_in(standin_db.profile, role, password))
    try:
        assert identity.kind is PersonKind(kind)
        assert identity.role_name == role
        assert identity.display_name == "Jamie Chen"
        assert [loc.name for loc in identity.locations] == ["Riverside"]
    finally:
        wait_task(runner.aclose())


def test_wrong_password_and_unknown_user_read_the_same(wait_task, standin_db) -> None:
    role, _ = standin_db.add_person("front_desk")
    wrong = _sign_in_error(wait_task, standin_db.profile, role, "not-it")
    unknown = _sign_in_error(wait_task, standin_db.profile, "nobody_here", "not-it")
    assert wrong.code is unknown.code is ErrorKind.BAD_CREDENTIALS
    assert messages.user_message(wrong) == messages.user_message(unknown)


def test_disabled_account(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk", login=False)
    error = _sign_in_error(wait_task, standin_db.profile, role, password)
    assert error.code is ErrorKind.ACCOUNT_DISABLED


def test_unreachable_server_names_host_and_port(wait_task, standin_db) -> None:
    profile = dataclasses.replace(standin_db.profile, port=1)
    error = _sign_in_error(wait_task, profile, "someone", "pw")
    assert error.code is ErrorKind.SERVER_UNREACHABLE
    assert f"{profile.host}:1" in messages.user_message(error)


def test_tls_unavailable_when_profile_requires_it(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk")
    profile = dataclasses.replace(standin_db.profile, sslmode="require")
    error = _sign_in_error(wait_task, profile, role, password)
    assert error.code in (ErrorKind.TLS_UNAVAILABLE, ErrorKind.TLS_REQUIRED)


def test_schema_mismatch_names_both_versions(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk")
    standin_db.execute("UPDATE academy.alembic_version SET version_num = '0001_core'")
    error = _sign_in_error(wait_task, standin_db.profile, role, password)
    assert error.code is ErrorKind.SCHEMA_MISMATCH
    text = messages.user_message(error)
    assert "0001_core" in text and error.details["expected"] in text


def test_schema_missing(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk")
    standin_db.execute("DROP TABLE academy.alembic_version")
    error = _sign_in_error(wait_task, standin_db.profile, role, password)
    assert error.code is ErrorKind.SCHEMA_MISSING


def test_login_not_linked_to_a_person(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk")
    standin_db.execute("DELETE FROM academy.standin_people")
    error = _sign_in_error(wait_task, standin_db.profile, role, password)
    assert error.code is ErrorKind.NOT_A_PERSON


def test_no_connection_survives_a_failed_attempt(wait_task, standin_db) -> None:
    role, password = standin_db.add_person("front_desk")
    standin_db.execute("UPDATE academy.alembic_version SET version_num = 'old'")
    _sign_in_error(wait_task, standin_db.profile, role, password)
    with psycopg.connect(standin_db.server_url) as conn:
        count = conn.execute("select count(*) from pg_stat_activity where usename = %s",
                             (role,)).fetchone()[0]
    assert count == 0


# -- the dialog ---------------------------------------------------------------------------

@pytest.fixture
def dialog(qtbot, qloop, standin_db, settings) -> SignInDialog:
    ProfileStore().upsert(standin_db.profile)
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


def test_dialog_shows_distinct_messages(qtbot, dialog, standin_db) -> None:
    role, password = standin_db.add_person("front_desk", login=False)
    _type_and_submit(qtbot, dialog, role, password)
    qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=10000)
    disabled_text = dialog.banner.text
    assert "disabled" in disabled_text
    _type_and_submit(qtbot, dialog, role, "wrong")
    qtbot.waitUntil(lambda: dialog.banner.isVisible() and dialog.banner.text != disabled_text,
                    timeout=10000)
    assert dialog.banner.text == messages.user_message(UserFacingError("bad_credentials"))
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.sign_in_button.isEnabled()


def test_dialog_success_emits_runner_and_identity(qtbot, dialog, standin_db,
                                                  wait_task) -> None:
    role, password = standin_db.add_person("instructor")
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        _type_and_submit(qtbot, dialog, role, password)
    runner, identity = signal.args
    assert identity.kind is PersonKind.INSTRUCTOR
    wait_task(runner.aclose())


def test_remember_me_uses_keyring_and_forgetting_removes_it(
        qtbot, dialog, standin_db, isolated_env, settings, wait_task) -> None:
    role, password = standin_db.add_person("front_desk")
    account = standin_db.profile.keyring_account(role)
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


def test_forced_password_change(qtbot, dialog, standin_db, wait_task) -> None:
    role, password = standin_db.add_person("front_desk", must_change=True)
    _type_and_submit(qtbot, dialog, role, password)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10000)
    new = "a-brand-new-Passw0rd"
    qtbot.keyClicks(dialog.new_password, new)
    qtbot.keyClicks(dialog.confirm_password, new)
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as signal:
        dialog.change_button.click()
    runner, identity = signal.args
    assert not identity.must_change_password
    wait_task(runner.aclose())
    # the old password no longer works; the new one does
    with pytest.raises(UserFacingError):
        wait_task(login.sign_in(standin_db.profile, role, password))
    runner, _ = wait_task(login.sign_in(standin_db.profile, role, new))
    wait_task(runner.aclose())


def test_reset_code_page_is_visibly_unavailable(qtbot, dialog) -> None:
    dialog.reset_link.click()
    assert dialog.pages.currentIndex() == 2
    assert not dialog.reset_code.isEnabled()


def test_escape_closes_the_dialog(qtbot, dialog) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


