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
