"""Connection loss: a terminated backend and a restarted server, recovered without an
app restart - the banner says so, the window reconnects with backoff on its own and the
workspace reloads.

The probe workspace stands in for any screen: it asks the server for its backend pid,
so a reload after recovery is visibly a new connection.
"""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid
from sqlalchemy import text

import academy_desktop.views.main_window as mw
from academy_desktop.db import login
from academy_desktop.db.local_server import wait_until_accepting
from academy_desktop.domain.identity import PersonKind
from academy_desktop.views.main_window import MainWindow
from academy_desktop.views.workspace import (
    Workspace,
    WorkspaceContext,
    WorkspaceRegistry,
    WorkspaceSpec,
)


class ProbeWorkspace(Workspace):
    """Its first load runs a slow query (so a test can kill it mid-flight)."""

    slow_first_load = False

    def __init__(self, context: WorkspaceContext) -> None:
        super().__init__(context)
        self.pids: list[int] = []
        self.attempts = 0

    async def reload(self) -> None:
        self.attempts += 1
        seconds = 30 if self.slow_first_load and self.attempts == 1 else 0
        pid = await self.context.runner.run(lambda s: _pid(s, seconds))
        self.pids.append(pid)
        await super().reload()


async def _pid(session, seconds: float) -> int:
    await session.execute(text("select pg_sleep(:s)"), {"s": seconds})
    return int((await session.execute(text("select pg_backend_pid()"))).scalar_one())


@pytest.fixture
def probe_window(qtbot, qloop, academy_db, wait_task, settings, monkeypatch):
    monkeypatch.setattr(mw, "RECONNECT_DELAYS", (0.2, 0.4, 0.8))
    probes = WorkspaceRegistry()
    probes.register(WorkspaceSpec("probe", "Probe", "home", frozenset(PersonKind),
                                  ProbeWorkspace))
    windows: list[MainWindow] = []

    def open_window(slow_first_load: bool = False) -> MainWindow:
        monkeypatch.setattr(ProbeWorkspace, "slow_first_load", slow_first_load)
        person = academy_db.add_person("front_desk", locations=("Riverside",))
        runner, identity = wait_task(login.sign_in(academy_db.profile, person.role_name,
                                                   person.password))
        window = MainWindow(runner, identity, settings=settings, workspaces=probes)
        window.show()
        windows.append(window)
        return window

    yield open_window
    for window in windows:
        if isValid(window) and not window.runner.closed:
            wait_task(window.shutdown())
            window.close()


def _terminate(server_url: str, role: str) -> int:
    with psycopg.connect(server_url, autocommit=True) as conn:
        pids = [r[0] for r in conn.execute(
            "select pid from pg_stat_activity where usename = %s", (role,)).fetchall()]
        for pid in pids:
            conn.execute("select pg_terminate_backend(%s)", (pid,))
    return len(pids)


def test_terminated_backend_mid_query_recovers(qtbot, probe_window, academy_db) -> None:
    window = probe_window(slow_first_load=True)
    probe = window.workspaces["probe"]
    qtbot.waitUntil(lambda: window.runner.in_flight == 1, timeout=10000)
    qtbot.waitUntil(lambda: _active(academy_db, window.identity.role_name), timeout=10000)
    assert _terminate(academy_db.server_url, window.identity.role_name) >= 1
    qtbot.waitUntil(lambda: "lost" in window.banner.text, timeout=10000)
    qtbot.waitUntil(lambda: "restored" in window.banner.text, timeout=15000)
    qtbot.waitUntil(lambda: len(probe.pids) == 1, timeout=10000)  # reloaded by itself
    assert probe.loaded_once


def _active(academy_db, role: str) -> bool:
    return bool(academy_db.execute(
        "select 1 from pg_stat_activity where usename = %s and state = 'active'"
        " and query like '%%pg_sleep%%'", (role,)))


def test_server_restart_recovers_without_app_restart(qtbot, probe_window, academy_db,
                                                     local_test_server) -> None:
    if local_test_server is None:
        pytest.skip("needs the embedded server (it is stopped and started)")
    window = probe_window()
    probe = window.workspaces["probe"]
    qtbot.waitUntil(lambda: len(probe.pids) == 1, timeout=10000)
    try:
        local_test_server.stop()
        qtbot.keyClick(window, Qt.Key.Key_F5)  # the next thing the person does
        qtbot.waitUntil(lambda: window.banner.isVisible() and (
            "reach" in window.banner.text or "lost" in window.banner.text), timeout=15000)
        assert not window.locked and window.isVisible()  # still usable, just waiting
    finally:
        local_test_server.start()
        wait_until_accepting(local_test_server.superuser_url())
    qtbot.waitUntil(lambda: "restored" in window.banner.text, timeout=40000)
    qtbot.waitUntil(lambda: len(probe.pids) == 2, timeout=10000)
    assert probe.pids[1] != probe.pids[0]  # a new backend served the reload
