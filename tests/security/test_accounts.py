"""Account functions, passwords, reset codes, lockout and the gatekeeper, exercised by
real logins over TCP."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege, InvalidParameterValue
from secworld import ids, shared

from academy_desktop.db import accounts
from academy_desktop.db.provisioning import scram_verifier, set_gatekeeper_password
from academy_desktop.domain.password_policy import PasswordPolicyError


def _connects(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def _with_password(url: str, password: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).set(password=password).render_as_string(hide_password=False)


@pytest.fixture
def gatekeeper_url(migrated_db_url: str) -> str:
    password = "Gk-" + secrets.token_urlsafe(12)
    with psycopg.connect(migrated_db_url, autocommit=True) as conn:
        set_gatekeeper_password(conn, password)
    from sqlalchemy.engine import make_url
    return make_url(migrated_db_url).set(username="academy_gatekeeper", password=password) \
        .render_as_string(hide_password=False)


@shared
def test_wrong_role_cannot_call_account_functions(cast):
    for who in (cast.desk_a, cast.instructor_1, cast.parent_a, cast.padmin_1):
        with psycopg.connect(who.url) as conn, pytest.raises(InsufficientPrivilege):
            conn.execute("select academy.create_staff_account('evil_admin', 'super_admin',"
                         " null, 'Evil')")
    assert ids(cast.superuser_url, "select count(*) from pg_roles where rolname = 'evil_admin'") \
        == {0}


@shared
def test_desk_cannot_disable_staff_accounts(cast):
    with psycopg.connect(cast.desk_a.url) as conn, pytest.raises(InsufficientPrivilege,
                                                                 match="may not manage"):
        conn.execute("select academy.disable_account(%s)", (cast.desk_b.role_name,))
    assert _connects(cast.desk_b.url)


@shared
@pytest.mark.parametrize("evil", ['x"; drop table academy.students; --', "postgres",
                                  "pg_signal_backend", "academy_owner", "Robert'); --", "ab"])
def test_injection_or_reserved_role_names_are_refused(cast, evil):
    verifier_source = psycopg.connect(cast.superuser_url)
    verifier = scram_verifier(verifier_source, "whoever", "Long-enough-pass-1")
    verifier_source.close()
    with psycopg.connect(cast.super_admin.url) as conn, pytest.raises(InvalidParameterValue):
        conn.execute("select academy.create_staff_account(%s, 'front_desk', %s, 'X')",
                     (evil, verifier))
    assert ids(cast.superuser_url, "select count(*) from academy.students") == {3}
    assert ids(cast.superuser_url, "select count(*) from academy.users") == {5}


def test_existing_non_academy_role_cannot_be_taken_over(cast):
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        conn.execute("create role t_dba_victim_x login createdb")
        try:
            with psycopg.connect(cast.super_admin.url) as sa, \
                    pytest.raises(InsufficientPrivilege, match="not an Academy account"):
                sa.execute("select academy.create_staff_account('t_dba_victim_x', 'front_desk',"
                           " null, 'X')")
        finally:
            conn.execute("drop role t_dba_victim_x")


def test_disabled_user_is_kicked_out_and_cannot_log_in(cast):
    victim = psycopg.connect(cast.desk_b.url, autocommit=True)
    with psycopg.connect(cast.super_admin.url) as conn:
        assert conn.execute("select academy.disable_account(%s)",
                            (cast.desk_b.role_name,)).fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError):
        victim.execute("select 1")
    victim.close()
    assert not _connects(cast.desk_b.url)
    with psycopg.connect(cast.super_admin.url) as conn:
        conn.execute("select academy.enable_account(%s)", (cast.desk_b.role_name,))
    assert _connects(cast.desk_b.url)
    assert ids(cast.superuser_url, "select event from academy.auth_audit_log where role_name = %s",
               (cast.desk_b.role_name,)) >= {"account_disabled", "account_enabled"}


def test_change_own_password_needs_old_password_and_policy(cast):
    with psycopg.connect(cast.desk_a.url, autocommit=True) as conn:
        with pytest.raises(accounts.WrongPasswordError):
            accounts.change_own_password(conn, "not-my-password", "Brand-new-pass-42")
        with pytest.raises(PasswordPolicyError) as refused:
            accounts.change_own_password(conn, cast.desk_a.password, "Password123!")
        assert refused.value.codes == ["common"]
        accounts.change_own_password(conn, cast.desk_a.password, "Brand-new-pass-42")
    assert not _connects(cast.desk_a.url)
    assert _connects(_with_password(cast.desk_a.url, "Brand-new-pass-42"))


@shared
def test_set_my_password_refuses_plaintext(cast):
    with psycopg.connect(cast.desk_a.url) as conn, pytest.raises(InvalidParameterValue):
        conn.execute("select academy.set_my_password('Plain-text-password')")
    assert _connects(cast.desk_a.url)


def test_reset_code_single_use_and_same_answer_for_every_failure(cast, gatekeeper_url):
    with psycopg.connect(cast.super_admin.url) as conn:
        code = conn.execute("select academy.issue_reset_code(%s)",
                            (cast.desk_a.role_name,)).fetchone()[0]
        other_code = conn.execute("select academy.issue_reset_code(%s)",
                                  (cast.desk_b.role_name,)).fetchone()[0]
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        reset = accounts.reset_password_with_code
        assert reset(gk, cast.desk_a.role_name, "AAAA-BBBB-CCCC", "Reset-pass-2026x") is False
        assert reset(gk, cast.desk_a.role_name, other_code, "Reset-pass-2026x") is False
        assert reset(gk, "t_nobody_here", code, "Reset-pass-2026x") is False
        assert reset(gk, cast.desk_a.role_name, code, "Reset-pass-2026x") is True
        assert reset(gk, cast.desk_a.role_name, code, "Reset-pass-2026y") is False  # reused
    assert _connects(_with_password(cast.desk_a.url, "Reset-pass-2026x"))
    assert _connects(cast.desk_b.url)  # the other user's code was not spent on them
    assert ids(cast.superuser_url, "select count(*) from academy.auth_audit_log"
               " where event = 'password_reset_failed'") == {4}
    assert ids(cast.superuser_url, "select token_hash <> sha256(convert_to(%s, 'UTF8'))"
               " from academy.password_reset_tokens", (code,)) == {True}


def test_expired_reset_code_is_refused(cast, gatekeeper_url):
    with psycopg.connect(cast.super_admin.url) as conn:
        code = conn.execute("select academy.issue_reset_code(%s)",
                            (cast.desk_a.role_name,)).fetchone()[0]
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        conn.execute("update academy.password_reset_tokens set created_at = now() - interval"
                     " '2 hours', expires_at = now() - interval '1 hour'")
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        assert accounts.reset_password_with_code(gk, cast.desk_a.role_name, code,
                                                 "Reset-pass-2026x") is False
    assert _connects(cast.desk_a.url)


def test_reset_code_dies_after_five_wrong_attempts(cast, gatekeeper_url):
    with psycopg.connect(cast.super_admin.url) as conn:
        code = conn.execute("select academy.issue_reset_code(%s)",
                            (cast.desk_a.role_name,)).fetchone()[0]
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        for _ in range(5):
            assert not accounts.reset_password_with_code(gk, cast.desk_a.role_name, "WRONG-CODE-0",
                                                         "Reset-pass-2026x")
        assert not accounts.reset_password_with_code(gk, cast.desk_a.role_name, code,
                                                     "Reset-pass-2026x")
    assert _connects(cast.desk_a.url)


def test_gatekeeper_can_do_nothing_but_its_two_functions(cast, gatekeeper_url):
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        for statement in ("select * from academy.students", "select * from academy.users",
                          "select * from academy.whoami()", "select academy.issue_reset_code('x')",
                          "select * from academy.password_reset_tokens",
                          "select * from academy.alembic_version",
                          "select academy.set_my_password('x')"):
            with pytest.raises(InsufficientPrivilege):
                gk.execute(statement)
        assert accounts.record_failed_login(gk, "t_nobody_at_all") is False


def test_failed_logins_lock_then_cool_down_unlocks(cast, gatekeeper_url):
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        for _ in range(5):
            assert accounts.record_failed_login(gk, cast.desk_a.role_name) is False
    assert not _connects(cast.desk_a.url)  # locked: right password, no login
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        conn.execute("update academy.users set locked_until = now() - interval '1 second'"
                     " where role_name = %s", (cast.desk_a.role_name,))
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        assert accounts.record_failed_login(gk, cast.desk_a.role_name) is True  # retry now
    assert _connects(cast.desk_a.url)


def test_lockout_budget_limits_anonymous_lockouts(cast, gatekeeper_url):
    with psycopg.connect(cast.superuser_url, autocommit=True) as conn:
        for _ in range(3):
            conn.execute("insert into academy.auth_audit_log (event, role_name)"
                         " values ('account_locked', %s)", (cast.desk_b.role_name,))
    with psycopg.connect(gatekeeper_url, autocommit=True) as gk:
        for _ in range(6):
            accounts.record_failed_login(gk, cast.desk_b.role_name)
    assert _connects(cast.desk_b.url)  # budget spent: logged, not locked
    assert ids(cast.superuser_url, "select count(*) from academy.auth_audit_log where role_name"
               " = %s and event = 'login_failure'", (cast.desk_b.role_name,)) == {6}


def test_record_login_writes_audit_row(cast):
    with psycopg.connect(cast.desk_a.url, application_name="academy-test") as conn:
        conn.execute("select academy.record_login()")
        conn.commit()
    assert ids(cast.superuser_url, "select application_name from academy.auth_audit_log"
               " where event = 'login_success' and role_name = %s",
               (cast.desk_a.role_name,)) == {"academy-test"}
