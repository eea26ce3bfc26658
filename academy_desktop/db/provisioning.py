"""Create and update Academy login accounts from Python (the demo seed, tests, a DBA's
first super admin).

Runs on a sync psycopg connection as a superuser or a super admin. Every change goes
through the server's SECURITY DEFINER account functions (``academy.create_staff_account``,
``academy.create_parent_account``), which validate the role name, create the LOGIN role
as ``academy_owner`` and grant its one group. Passwords are checked against the policy
here and sent only as a SCRAM-SHA-256 verifier computed by libpq on this side.
Re-running with the same arguments updates the account (the seed is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

import psycopg

from academy_desktop.domain.password_policy import check_password

STAFF_KINDS = ("super_admin", "program_admin", "front_desk", "instructor")
GATEKEEPER_ROLE = "academy_gatekeeper"


def scram_verifier(conn: Any, role_name: str, password: str) -> str:
    """SCRAM-SHA-256 verifier for ``password`` (``conn``: a psycopg connection or PGconn)."""
    pgconn = getattr(conn, "pgconn", conn)
    verifier: bytes = pgconn.encrypt_password(
        password.encode(), role_name.encode(), b"scram-sha-256")
    return verifier.decode("ascii")


def provision_account(conn: psycopg.Connection[Any], *, role_name: str, kind: str,
                      password: str, display_name: str, email: str | None = None,
                      location_ids: Iterable[UUID] = (), program_ids: Iterable[UUID] = (),
                      instructor_id: UUID | None = None, parent_id: UUID | None = None,
                      must_change_password: bool = False) -> UUID:
    """Create or update the login ``role_name``; returns users.id (parents.id for parents).

    A parent login is attached to the existing ``academy.parents`` row ``parent_id``.
    """
    check_password(password, role_name)
    verifier = scram_verifier(conn, role_name, password)
    if kind == "parent":
        if parent_id is None:
            raise ValueError("a parent login needs parent_id (the academy.parents row)")
        row = conn.execute(
            "select academy.create_parent_account(%s, %s, %s, %s)",
            (parent_id, role_name, verifier, must_change_password)).fetchone()
    elif kind in STAFF_KINDS:
        row = conn.execute(
            "select academy.create_staff_account(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (role_name, kind, verifier, display_name, email, list(location_ids),
             list(program_ids), instructor_id, must_change_password)).fetchone()
    else:
        raise ValueError(f"unknown account kind {kind!r}")
    assert row is not None
    return UUID(str(row[0]))


def set_gatekeeper_password(conn: psycopg.Connection[Any], password: str) -> None:
    """Set the password of the ``academy_gatekeeper`` login (reset codes, failed logins).

    It ships with the client configuration, so it is effectively public: the role can
    do nothing but redeem reset codes and report failed logins.
    """
    verifier = scram_verifier(conn, GATEKEEPER_ROLE, password)
    conn.execute("select academy.set_gatekeeper_password(%s)", (verifier,))
