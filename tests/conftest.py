"""Shared fixtures: one private PostgreSQL per test run, a migrated template, a fresh
database per test.

`ACADEMY_TEST_DATABASE_URL` (a superuser URL of an existing server) replaces the
embedded server. Databases and login roles carry a per-run suffix so two runs on one
server never collide.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from academy_desktop.db import migrate
from academy_desktop.db.local_server import LocalServer, wait_until_accepting

RUN_ID = secrets.token_hex(3)
_database_numbers = count(1)


def database_url(server_url: str, database: str, **overrides: str) -> str:
    """`server_url` pointed at another database (and optionally another user/password)."""
    url = make_url(server_url).set(database=database)
    if "username" in overrides:
        url = url.set(username=overrides["username"])
    if "password" in overrides:
        url = url.set(password=overrides["password"])
    return url.render_as_string(hide_password=False)


def admin_execute(server_url: str, statement: sql.Composable | str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="session")
def local_test_server() -> Iterator[LocalServer | None]:
    """The embedded server in a throw-away folder, or None when an external one is used."""
    if os.environ.get("ACADEMY_TEST_DATABASE_URL"):
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="academy-test-pg-"))
    home.chmod(0o755)  # the unprivileged server account must reach it when we are root
    os.environ.setdefault("ACADEMY_LOCAL_PORT", "0")
    server = LocalServer(home, fast_unsafe=True)
    try:
        server.start()
        wait_until_accepting(server.superuser_url())
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_superuser_url(local_test_server: LocalServer | None) -> str:
    external = os.environ.get("ACADEMY_TEST_DATABASE_URL")
    if external:
        return external
    assert local_test_server is not None
    return local_test_server.superuser_url()


@pytest.fixture(scope="session")
def template_database(pg_superuser_url: str) -> Iterator[str]:
    """A database migrated to head once per run; every test clones it."""
    name = f"academy_tpl_{RUN_ID}"
    admin_execute(pg_superuser_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        migrate.upgrade(database_url(pg_superuser_url, name))
        yield name
    finally:
        admin_execute(
            pg_superuser_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        )


def _new_database(server_url: str, template: str | None) -> str:
    name = f"academy_t_{RUN_ID}_{next(_database_numbers)}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        # FILE_COPY clones a small template far faster than the WAL_LOG default
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    admin_execute(server_url, statement)
    return name


@pytest.fixture
def migrated_db_url(pg_superuser_url: str, template_database: str) -> Iterator[str]:
    """Superuser URL of a fresh database at the head revision, dropped afterwards."""
    name = _new_database(pg_superuser_url, template_database)
    try:
        yield database_url(pg_superuser_url, name)
    finally:
        admin_execute(
            pg_superuser_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        )


@pytest.fixture
def empty_db_url(pg_superuser_url: str) -> Iterator[str]:
    """Superuser URL of a fresh, never-migrated database."""
    name = _new_database(pg_superuser_url, None)
    try:
        yield database_url(pg_superuser_url, name)
    finally:
        admin_execute(
            pg_superuser_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        )


# --- login roles (security) -----------------------------------------------------------

_login_role_numbers = count(1)


class LoginRole:
    """A real person's login on the test database: connect to ``url`` over TCP."""

    def __init__(self, role_name: str, password: str, url: str, person_id: object) -> None:
        self.role_name = role_name
        self.password = password
        self.url = url
        self.person_id = person_id

    def __repr__(self) -> str:  # never show the password
        return f"LoginRole({self.role_name!r})"


@pytest.fixture(scope="session")
def _created_login_roles(pg_superuser_url: str) -> Iterator[list[str]]:
    """Names of every login role the run created; dropped at the end (cluster-global)."""
    names: list[str] = []
    yield names
    with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
        for name in names:
            conn.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                         " where usename = %s", (name,))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.fixture
def login_role(migrated_db_url: str, _created_login_roles: list[str]):  # type: ignore[no-untyped-def]
    """Factory: ``login_role(kind, locations=[...], programs=[...], instructor_id=None,
    parent_id=None) -> LoginRole``. Provisioned through the server's account functions
    (as the superuser), with a per-run unique name and a random password. A parent
    without ``parent_id`` gets a new parents row at its first location."""
    from academy_desktop.db.provisioning import provision_account

    def make(kind: str, locations: list[Any] | tuple[Any, ...] = (),
             programs: list[Any] | tuple[Any, ...] = (), instructor_id: Any = None,
             parent_id: Any = None) -> LoginRole:
        role_name = f"t_{kind.replace('_', '')[:6]}_{RUN_ID}_{next(_login_role_numbers)}"
        password = "Pw-" + secrets.token_urlsafe(12)
        with psycopg.connect(migrated_db_url, autocommit=True) as conn:
            if kind == "parent" and parent_id is None:
                location = locations[0] if locations else conn.execute(
                    "insert into academy.locations (code, name) values (%s, %s) returning id",
                    (f"P{next(_login_role_numbers)}", f"Parent location {role_name}"),
                ).fetchone()[0]  # type: ignore[index]
                parent_id = conn.execute(
                    "insert into academy.parents (first_name, last_name, location_id)"
                    " values ('Test', %s, %s) returning id", (role_name, location),
                ).fetchone()[0]  # type: ignore[index]
            _created_login_roles.append(role_name)
            person_id = provision_account(
                conn, role_name=role_name, kind=kind, password=password,
                display_name=f"Test {kind.replace('_', ' ').title()} {role_name}",
                location_ids=list(locations), program_ids=list(programs),
                instructor_id=instructor_id, parent_id=parent_id)
        url = database_url(migrated_db_url, make_url(migrated_db_url).database or "",
                           username=role_name, password=password)
        return LoginRole(role_name, password, url, person_id)

    return make
