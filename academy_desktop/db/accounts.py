"""Client-side account actions of a signed-in person or of the sign-in screen.

* ``change_own_password``: proves the old password by authenticating with it (SCRAM,
  nothing in clear), checks the policy, then sends only the new SCRAM verifier to
  ``academy.set_my_password``.
* ``reset_password_with_code`` / ``record_failed_login``: run on a connection of the
  low-privilege ``academy_gatekeeper`` login, the only thing it may do.

Sync psycopg; an async caller can pass ``driver_connection`` objects' ``pgconn`` to
``scram_verifier`` and run the same statements.
"""

from __future__ import annotations

from typing import Any

import psycopg

from academy_desktop.db.provisioning import scram_verifier
from academy_desktop.domain.password_policy import check_password


class WrongPasswordError(Exception):
    """The current password given to confirm a change is not the account's password."""


def verify_password(conn: psycopg.Connection[Any], password: str) -> bool:
    """True when ``password`` authenticates the connection's own role (a fresh login)."""
    params = {k: v for k, v in conn.info.get_parameters().items()
              if k in ("host", "hostaddr", "port", "dbname", "user", "sslmode")}
    try:
        with psycopg.connect(**params, password=password, connect_timeout=10,
                             application_name="academy-verify-password"):
            return True
    except psycopg.OperationalError:
        return False


def change_own_password(conn: psycopg.Connection[Any], old_password: str,
                        new_password: str) -> None:
    """Change the signed-in person's password (clears ``must_change_password``).

    Raises ``WrongPasswordError`` or ``PasswordPolicyError``; the server refuses a
    malformed verifier or an account that is not an active Academy person.
    """
    role_name = conn.info.user
    check_password(new_password, role_name)
    if not verify_password(conn, old_password):
        raise WrongPasswordError("the current password is not correct")
    conn.execute("select academy.set_my_password(%s)",
                 (scram_verifier(conn, role_name, new_password),))


def reset_password_with_code(gatekeeper_conn: psycopg.Connection[Any], role_name: str,
                             code: str, new_password: str) -> bool:
    """Redeem a one-time reset code; False for any refusal (same answer for all)."""
    check_password(new_password, role_name)
    row = gatekeeper_conn.execute(
        "select academy.redeem_reset_code(%s, %s, %s)",
        (role_name, code, scram_verifier(gatekeeper_conn, role_name, new_password))).fetchone()
    return bool(row and row[0])


def record_failed_login(gatekeeper_conn: psycopg.Connection[Any], role_name: str) -> bool:
    """Report a refused sign-in; True means an expired lock was lifted: retry once."""
    row = gatekeeper_conn.execute(
        "select academy.record_failed_login(%s)", (role_name,)).fetchone()
    return bool(row and row[0])
