"""DbRunner: work runs on its own thread while the GUI loop keeps going."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.ui.busy import BusyIndicator


@pytest.fixture
def runner(empty_db_url: str, qloop: asyncio.AbstractEventLoop):
    runner = DbRunner(empty_db_url.replace("postgresql://", "postgresql+psycopg://"))
    yield runner
    runner.dispose()


def test_slow_query_keeps_gui_responsive_and_shows_busy(qtbot, wait_task,
                                                        runner: DbRunner) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    busy = BusyIndicator(host)
    busy.attach(runner)
    host.show()
    ticks = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    seen_busy = []

    async def slow() -> object:
        return await runner.run(lambda s: s.execute(text("select pg_sleep(2), 42")))

    task = asyncio.ensure_future(slow())
    qtbot.waitUntil(lambda: busy.isVisible(), timeout=1500)
    seen_busy.append(True)
    result = wait_task(task)
    timer.stop()
    assert result.one()[1] == 42
    # 2 s at 50 ms: the GUI loop ticked throughout (allow slack for a slow CI box)
    assert len(ticks) >= 25
    assert seen_busy
    qtbot.waitUntil(lambda: not busy.isVisible(), timeout=1000)


def test_cancelling_the_gui_task_cancels_the_query(qtbot, wait_task, runner: DbRunner) -> None:
    task = asyncio.ensure_future(runner.run(lambda s: s.execute(text("select pg_sleep(30)"))))
    qtbot.wait(300)
    task.cancel()
    qtbot.waitUntil(task.done, timeout=3000)
    assert task.cancelled()

    async def active() -> int:
        return await runner.run(lambda s: s.execute(text(
            "select count(*) from pg_stat_activity where query like 'select pg_sleep(30)%'"
            " and state = 'active'")))

    qtbot.wait(500)
    assert wait_task(active()).scalar_one() == 0
    assert runner.in_flight == 0


def test_errors_arrive_translated(qtbot, wait_task, runner: DbRunner) -> None:
    task = asyncio.ensure_future(runner.run(lambda s: s.execute(text(
        "select * from academy_no_such_table"))))
    qtbot.waitUntil(task.done, timeout=5000)
    error = task.exception()
    assert isinstance(error, UserFacingError)
    assert error.code is ErrorKind.SCHEMA_MISSING


def _terminate(url: str, pid: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_terminate_backend(%s)", (pid,))


def _pid(wait_task, runner: DbRunner) -> int:  # type: ignore[no-untyped-def]
    return wait_task(runner.run(lambda s: s.execute(text("select pg_backend_pid()")))
                     ).scalar_one()


def test_idle_connection_is_pinged_and_replaced(qtbot, wait_task, empty_db_url: str,
                                                qloop: asyncio.AbstractEventLoop) -> None:
    runner = DbRunner(empty_db_url.replace("postgresql://", "postgresql+psycopg://"),
                      idle_ping_seconds=0.0)  # every reuse counts as idle
    try:
        pid = _pid(wait_task, runner)
        _terminate(empty_db_url, pid)
        # the ping finds the dead connection and the pool replaces it: no error
        assert _pid(wait_task, runner) != pid
    finally:
        runner.dispose()


def test_busy_connection_is_not_pinged(qtbot, wait_task, runner: DbRunner,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = runner.engine.sync_engine.dialect
    pings: list[object] = []
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    first = _pid(wait_task, runner)
    assert _pid(wait_task, runner) == first  # reused at once: no extra round trip
    assert pings == []


def test_connection_dropped_while_busy_is_reported_then_recovered(
        qtbot, wait_task, runner: DbRunner, empty_db_url: str) -> None:
    pid = _pid(wait_task, runner)
    _terminate(empty_db_url, pid)
    task = asyncio.ensure_future(runner.run(lambda s: s.execute(text("select 1"))))
    qtbot.waitUntil(task.done, timeout=5000)
    error = task.exception()
    assert isinstance(error, UserFacingError)
    assert error.code is ErrorKind.CONNECTION_LOST
    assert _pid(wait_task, runner) != pid  # the pool was invalidated: a new backend


def test_closed_runner_refuses_work(qtbot, wait_task, runner: DbRunner) -> None:
    wait_task(runner.aclose())
    task = asyncio.ensure_future(runner.run(lambda s: s.execute(text("select 1"))))
    qtbot.waitUntil(task.done)
    assert isinstance(task.exception(), UserFacingError)
    assert task.exception().code is ErrorKind.SIGNED_OUT
