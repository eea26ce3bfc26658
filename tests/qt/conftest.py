"""Qt fixtures: qasync loop, isolated settings/keyring/log dir, the real migrated schema.

``academy_db`` is a database at the head revision (cloned once per run from the migrated
template and shared; ``fresh_academy_db`` is one per test) whose people are real LOGIN
roles made by the server's account functions, with the gatekeeper's password set and
handed to the client the way a deployment would (``ACADEMY_GATEKEEPER_PASSWORD``).
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import psycopg
import pytest
import qasync
from psycopg import sql
from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from academy_desktop.db import login
from academy_desktop.db.profiles import Profile
from academy_desktop.db.provisioning import provision_account, set_gatekeeper_password
from academy_desktop.ui import logging_setup
from academy_desktop.ui.settings import Settings
from academy_desktop.views.catalog import register_all
from tests.conftest import RUN_ID, LoginRole, admin_execute, database_url

GATEKEEPER_PASSWORD = "Gatekeeper-" + secrets.token_hex(8)
_location_numbers = count(1)


@dataclass
class AcademyDb:
    """A fresh database at the head revision, and helpers to add people as real roles."""

    superuser_url: str
    server_url: str
    make_login: Callable[..., LoginRole]
    locations: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return make_url(self.superuser_url).host or "127.0.0.1"

    @property
    def port(self) -> int:
        return make_url(self.superuser_url).port or 5432

    @property
    def database(self) -> str:
        return make_url(self.superuser_url).database or ""

    @property
    def profile(self) -> Profile:
        return Profile("test", self.host, self.port, self.database, "disable")

    def execute(self, statement: str | sql.Composable, params: object = None) -> list[Any]:
        with psycopg.connect(self.superuser_url, autocommit=True) as conn:
            cursor = conn.execute(statement, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def add_location(self, name: str) -> uuid.UUID:
        """The location ``name`` (created once; the shared database keeps it)."""
        code = f"L{next(_location_numbers)}"
        location_id = self.execute(
            "insert into academy.locations (code, name) values (%s, %s) on conflict (name)"
            " do update set name = excluded.name returning id", (code, name))[0][0]
        self.locations[name] = location_id
        return location_id

    def add_person(self, kind: str, *, locations: tuple[str, ...] = (),
                   must_change: bool = False, display_name: str = "Test Person") -> LoginRole:
        """A real LOGIN role provisioned by the server's account functions."""
        for name in locations:
            if name not in self.locations:
                self.add_location(name)
        person = self.make_login(kind, locations=[self.locations[n] for n in locations])
        if kind == "parent":
            first, _, last = display_name.partition(" ")
            self.execute("update academy.parents set first_name = %s, last_name = %s,"
                         " must_change_password = %s where role_name = %s",
                         (first, last or first, must_change, person.role_name))
        else:
            self.execute("update academy.users set full_name = %s, must_change_password = %s"
                         " where role_name = %s", (display_name, must_change, person.role_name))
        return person

    def disable(self, role_name: str) -> None:
        self.execute("select academy.disable_account(%s)", (role_name,))

    def auth_events(self, role_name: str) -> list[str]:
        rows = self.execute("select event from academy.auth_audit_log where role_name = %s"
                            " order by created_at, id", (role_name,))
        return [r[0] for r in rows]


@pytest.fixture
def fresh_academy_db(migrated_db_url: str, pg_superuser_url: str, login_role: Any,
                     monkeypatch: pytest.MonkeyPatch) -> AcademyDb:
    """A database of this test alone: for tests that change database-wide state
    (the schema revision...)."""
    _use_gatekeeper(migrated_db_url, monkeypatch)
    return AcademyDb(migrated_db_url, pg_superuser_url, login_role)


@pytest.fixture(scope="session")
def _shared_academy_db(pg_superuser_url: str, template_database: str,
                       _created_login_roles: list[str]) -> Iterator[AcademyDb]:
    name = f"academy_qt_{RUN_ID}"
    admin_execute(pg_superuser_url, sql.SQL(
        "CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
        sql.Identifier(name), sql.Identifier(template_database)))
    url = database_url(pg_superuser_url, name)
    numbers = count(1)

    def make_login(kind: str, locations: list[Any] = ()) -> LoginRole:  # type: ignore[assignment]
        role_name = f"tq_{kind.replace('_', '')[:6]}_{RUN_ID}_{next(numbers)}"
        password = "Pw-" + secrets.token_urlsafe(12)
        _created_login_roles.append(role_name)
        with psycopg.connect(url, autocommit=True) as conn:
            parent_id = None
            if kind == "parent":
                location = locations[0] if locations else None
                parent_id = conn.execute(
                    "insert into academy.parents (first_name, last_name, location_id)"
                    " values ('Test', %s, %s) returning id", (role_name, location),
                ).fetchone()[0]  # type: ignore[index]
            person_id = provision_account(
                conn, role_name=role_name, kind=kind, password=password,
                display_name=f"Test {role_name}", location_ids=list(locations),
                parent_id=parent_id)
        return LoginRole(role_name, password,
                         database_url(url, name, username=role_name, password=password),
                         person_id)

    try:
        yield AcademyDb(url, pg_superuser_url, make_login)
    finally:
        admin_execute(pg_superuser_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))


@pytest.fixture
def academy_db(_shared_academy_db: AcademyDb, monkeypatch: pytest.MonkeyPatch) -> AcademyDb:
    """The real migrated schema, shared by the shell's tests (cloning a database per test
    costs seconds): tests only add their own people and rows and must not change
    database-wide state - use ``fresh_academy_db`` for that. Note the server throttles
    failed-login reports per client address (30 per 10 minutes, all tests are 127.0.0.1)."""
    _use_gatekeeper(_shared_academy_db.superuser_url, monkeypatch)
    return _shared_academy_db


def _use_gatekeeper(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the (cluster-wide) gatekeeper password and hand it to the client as a
    deployment would."""
    with psycopg.connect(url, autocommit=True) as conn:
        set_gatekeeper_password(conn, GATEKEEPER_PASSWORD)
    monkeypatch.setenv(login.GATEKEEPER_PASSWORD_ENV, GATEKEEPER_PASSWORD)


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


@pytest.fixture(scope="session")
def _session_qloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """One qasync loop for the whole run.

    A fresh QEventLoop per test crashed the run (segfault in Qt's event dispatch after
    ~100 tests): the closed loops' timer and notifier QObjects were still referenced by
    queued Qt events. The app, too, has exactly one loop for its lifetime.
    """
    loop = qasync.QEventLoop(qapp)
    yield loop
    loop.close()


@pytest.fixture
def qloop(_session_qloop: asyncio.AbstractEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop as the current loop; tests drive it with ``qtbot.waitUntil``."""
    loop = _session_qloop
    asyncio.set_event_loop(loop)
    # waitUntil spins Qt, not loop.run_forever(): mark the loop as running so code that
    # calls asyncio.get_running_loop() (to_thread, wait_for, current_task) works as in
    # the app, where main() runs the loop with run_until_complete
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        asyncio.events._set_running_loop(None)
    # cancel what the test left running and let it clean up, so nothing leaks into the
    # next test
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    asyncio.set_event_loop(None)


@pytest.fixture
def wait_task(qtbot: object, qloop: asyncio.AbstractEventLoop):  # type: ignore[no-untyped-def]
    """``wait_task(awaitable)``: process Qt events until it is done; return its result."""

    def wait(awaitable: object, timeout: int = 15000) -> object:
        task = asyncio.ensure_future(awaitable)  # type: ignore[arg-type]
        qtbot.waitUntil(task.done, timeout=timeout)  # type: ignore[attr-defined]
        return task.result()

    return wait


# -- PySide6 6.12 finalization crash ----------------------------------------------------
