"""Qt fixtures: qasync loop, isolated settings/keyring/log dir, a stand-in server schema.

``standin_db`` builds, in a fresh test database, the minimum the shell needs from the
server (``academy.alembic_version`` at the expected revision, ``academy.locations``,
``academy.whoami()``, ``academy.set_my_password()``) plus real LOGIN roles, so these
tests exercise real SCRAM logins before the security migrations land.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import psycopg
import pytest
import qasync
from psycopg import sql
from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from academy_desktop.db import migrate
from academy_desktop.db.profiles import Profile
from academy_desktop.ui import logging_setup
from academy_desktop.ui.settings import Settings
from academy_desktop.views.catalog import register_all

STANDIN_SQL = """
CREATE SCHEMA IF NOT EXISTS academy;
GRANT USAGE ON SCHEMA academy TO PUBLIC;
CREATE TABLE academy.alembic_version (version_num varchar(64) PRIMARY KEY);
GRANT SELECT ON academy.alembic_version TO PUBLIC;
CREATE TABLE academy.locations (id uuid PRIMARY KEY, name text NOT NULL);
GRANT SELECT ON academy.locations TO PUBLIC;
CREATE TABLE academy.standin_people (
    role_name text PRIMARY KEY, person_id uuid NOT NULL, display_name text NOT NULL,
    kind text NOT NULL, must_change_password boolean NOT NULL DEFAULT false,
    location_ids uuid[] NOT NULL DEFAULT '{}', program_ids uuid[] NOT NULL DEFAULT '{}');
CREATE FUNCTION academy.whoami()
RETURNS TABLE (person_id uuid, role_name text, display_name text, kind text,
               must_change_password boolean, location_ids uuid[], program_ids uuid[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT p.person_id, p.role_name, p.display_name, p.kind, p.must_change_password,
           p.location_ids, p.program_ids
    FROM academy.standin_people p WHERE p.role_name = session_user $$;
CREATE FUNCTION academy.set_my_password(p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF p_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'not a SCRAM verifier';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_verifier);
    UPDATE academy.standin_people SET must_change_password = false
    WHERE role_name = session_user;
END $$;
"""


@dataclass
class StandIn:
    """A test database with the stand-in schema, and helpers to add people."""

    superuser_url: str
    server_url: str
    host: str
    port: int
    database: str
    roles: list[str] = field(default_factory=list)
    locations: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def profile(self) -> Profile:
        return Profile("test", self.host, self.port, self.database, "disable")

    def execute(self, statement: str | sql.Composable, params: object = None) -> None:
        with psycopg.connect(self.superuser_url, autocommit=True) as conn:
            conn.execute(statement, params)  # type: ignore[arg-type]

    def add_location(self, name: str) -> uuid.UUID:
        location_id = uuid.uuid4()
        self.execute("INSERT INTO academy.locations VALUES (%s, %s)", (location_id, name))
        self.locations[name] = location_id
        return location_id

    def add_person(self, kind: str, *, locations: tuple[str, ...] = (),
                   must_change: bool = False, display_name: str = "Test Person",
                   login: bool = True) -> tuple[str, str]:
        role = f"t_{kind}_{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(12)
        self.execute(sql.SQL("CREATE ROLE {} {} PASSWORD {}").format(
            sql.Identifier(role), sql.SQL("LOGIN" if login else "NOLOGIN"),
            sql.Literal(password)))
        self.roles.append(role)
        self.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(self.database), sql.Identifier(role)))
        self.execute("INSERT INTO academy.standin_people VALUES (%s,%s,%s,%s,%s,%s,'{}')",
                     (role, uuid.uuid4(), display_name, kind, must_change,
                      [self.locations[n] for n in locations]))
        return role, password


@pytest.fixture
def standin_db(empty_db_url: str, pg_superuser_url: str) -> Iterator[StandIn]:
    url = make_url(empty_db_url)
    standin = StandIn(empty_db_url, pg_superuser_url, url.host or "127.0.0.1",
                      url.port or 5432, url.database or "")
    standin.execute(STANDIN_SQL)
    standin.execute("INSERT INTO academy.alembic_version VALUES (%s)",
                    (migrate.EXPECTED_REVISION,))
    try:
        yield standin
    finally:
        with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(standin.database)))
            for role in standin.roles:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Settings, profiles, logs and keyring of this test only."""
    monkeypatch.setenv("ACADEMY_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ACADEMY_LOG_DIR", str(tmp_path / "logs"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "qsettings"))
    logging_setup.setup_logging()
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    register_all()
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def qloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop as the current loop; tests drive it with ``qtbot.waitUntil``."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    # waitUntil spins Qt, not loop.run_forever(): mark the loop as running so code that
    # calls asyncio.get_running_loop() (to_thread, wait_for, current_task) works as in
    # the app, where main() runs the loop with run_until_complete
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        asyncio.events._set_running_loop(None)
    # let cancelled tasks run their cleanup before the loop goes away
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def wait_task(qtbot: object, qloop: asyncio.AbstractEventLoop):  # type: ignore[no-untyped-def]
    """``wait_task(awaitable)``: process Qt events until it is done; return its result."""

    def wait(awaitable: object, timeout: int = 15000) -> object:
        task = asyncio.ensure_future(awaitable)  # type: ignore[arg-type]
        qtbot.waitUntil(task.done, timeout=timeout)  # type: ignore[attr-defined]
        return task.result()

    return wait
