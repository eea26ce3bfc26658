"""Startup: cold start to a painted sign-in dialog, and sign-in to a populated main window.

* ``cold_start_to_sign_in``: a fresh ``python -m academy_desktop.app`` process per sample
  (offscreen), timed from just before spawning it to the dialog's first paint (the app
  prints the wall-clock time of that paint when ``ACADEMY_STARTUP_PROBE`` is set).
  Includes interpreter start and every import - what a person waits for.
* ``sign_in_to_main_window[user]``: in one process, ``login.sign_in`` (TCP + SCRAM,
  revision check, whoami, record_login) plus building the main window and its first
  workspace load (Home's counts), until ``initial_load_finished``.

Runs against the local demo server, started, migrated and seeded (if empty) first.
Goals (issue 4): < 1 s and < 1.5 s.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._harness import parse_args, percentiles, report

ROOT = Path(__file__).resolve().parent.parent
USERS = ("desk_riverside", "admin_sam", "coach_maya")


def _admin(*args: str) -> None:
    admin = Path(sys.executable).with_name("academy-admin")
    subprocess.run([str(admin), *args], check=True, stdout=subprocess.DEVNULL)


def cold_start(repeat: int) -> list[float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ACADEMY_STARTUP_PROBE": "1"}
    samples = []
    for _ in range(repeat):
        start = time.time()
        done = subprocess.run([sys.executable, "-m", "academy_desktop.app"], env=env,
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
        painted = [line for line in done.stdout.splitlines() if line.startswith("first-paint")]
        if not painted:
            raise SystemExit(f"no first paint reported: {done.stdout} {done.stderr}")
        samples.append((float(painted[0].split()[1]) - start) * 1000)
    return samples


def sign_in_samples(repeat: int) -> dict[str, list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    from academy_desktop.db import login, profiles
    from academy_desktop.db.demo_accounts import demo_account
    from academy_desktop.ui import theme
    from academy_desktop.views.catalog import register_all
    from academy_desktop.views.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # as the app does: closing one window is not quitting
    theme.apply_theme(app)
    register_all()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    profile = profiles.local_profile()

    async def once(user: str) -> float:
        start = time.perf_counter()
        runner, identity = await login.sign_in(profile, user, demo_account(user).password)
        window = MainWindow(runner, identity)
        loaded = asyncio.Event()
        window.initial_load_finished.connect(loaded.set)
        window.show()
        if window._initial_done:
            loaded.set()
        await asyncio.wait_for(loaded.wait(), 30)
        elapsed = (time.perf_counter() - start) * 1000
        await window.shutdown()
        window.close()
        window.deleteLater()
        return elapsed

    async def run_all() -> dict[str, list[float]]:
        results: dict[str, list[float]] = {}
        for user in USERS:
            await once(user)  # warm-up: first-use imports of that role's workspaces
            results[user] = [await once(user) for _ in range(repeat)]
        return results

    with loop:
        return loop.run_until_complete(run_all())


def main() -> None:
    args = parse_args("startup")
    _admin("local", "start")
    _admin("db", "upgrade")
    _admin("db", "seed", "--demo", "--if-empty")
    repeat = min(args.repeat, 15)
    results = {"cold_start_to_sign_in": percentiles(cold_start(repeat))}
    for user, samples in sign_in_samples(repeat).items():
        results[f"sign_in_to_main_window[{user}]"] = percentiles(samples)
    report("startup", args.scale, results)


if __name__ == "__main__":
    main()
