"""Keystroke to painted rows in the real students workspace (offscreen Qt), measured from
the moment the search debounce fires to the table's synchronous repaint with the result.

Used by ``benchmarks/students.py``; signs in like the app (``login.sign_in``, a DbRunner,
one qasync loop) as the role in the URL. Settings go to a throwaway directory.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from typing import Any

from sqlalchemy.engine import make_url

from benchmarks._harness import percentiles


def keystroke_to_paint(url: str, terms: list[str], rounds: int = 2) -> dict[str, Any]:
    """p50/p95 over ``terms`` typed ``rounds`` times (each one replaces the last)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing the workspace must not stop the loop
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        samples = loop.run_until_complete(_measure(url, terms, rounds))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    found: dict[str, Any] = percentiles(samples)
    from academy_desktop.views.students.presenter import DEBOUNCE_MS

    found["debounce_ms"] = DEBOUNCE_MS
    return found


async def _measure(url: str, terms: list[str], rounds: int) -> list[float]:
    from academy_desktop.db import login
    from academy_desktop.db.profiles import Profile
    from academy_desktop.views.students.view import StudentsWorkspace
    from academy_desktop.views.workspace import WorkspaceContext

    parts = make_url(url)
    profile = Profile("bench", parts.host or "127.0.0.1", parts.port or 5432,
                      parts.database or "", "disable")
    runner, identity = await login.sign_in(profile, parts.username or "", parts.password or "")
    workspace = StudentsWorkspace(WorkspaceContext(runner, identity))
    try:
        workspace.resize(1280, 800)
        workspace.show()
        await workspace.reload()
        return await _type_terms(workspace, terms, rounds)
    finally:
        workspace.clear()
        workspace.close()
        workspace.deleteLater()
        await runner.aclose()


async def _type_terms(workspace: Any, terms: list[str], rounds: int) -> list[float]:
    fired: list[float] = []
    painted: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

    def on_result(text: str) -> None:
        workspace.table.viewport().repaint()  # paint now, synchronously: rows on screen
        painted.put_nowait((text, time.perf_counter()))

    workspace.presenter._debounce.timeout.connect(lambda: fired.append(time.perf_counter()))
    workspace.presenter.search_finished.connect(on_result)
    samples: list[float] = []
    previous = ""
    for term in terms * rounds:
        if term == previous:
            continue
        previous = term
        workspace.search.setText(term)
        while True:
            text, end = await asyncio.wait_for(painted.get(), timeout=30)
            if text == term:
                break
        samples.append((end - fired[-1]) * 1000)
    return samples
