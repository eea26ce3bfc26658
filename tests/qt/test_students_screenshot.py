"""Screenshots of the students list, a student view and the New family dialog on the demo
seed, signed in as the demo front desk. Opt-in (seeding takes a while): set
ACADEMY_SCREENSHOT_DIR to a folder and run this file; the PNGs land there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from academy_desktop.db import login
from academy_desktop.db.demo_accounts import DEMO_ACCOUNTS
from academy_desktop.db.profiles import Profile
from academy_desktop.db.seed import seed_demo
from academy_desktop.ui import theme
from academy_desktop.views.families.view import FamiliesWorkspace
from academy_desktop.views.students.view import StudentsWorkspace
from academy_desktop.views.workspace import WorkspaceContext

OUT = os.environ.get("ACADEMY_SCREENSHOT_DIR")
pytestmark = pytest.mark.skipif(not OUT, reason="set ACADEMY_SCREENSHOT_DIR to take screenshots")


def test_screenshots(qapp: Any, qtbot: Any, qloop: Any, wait_task: Any,
                     migrated_db_url: str) -> None:
    theme.apply_theme(qapp)
    out = Path(OUT or ".")
    out.mkdir(parents=True, exist_ok=True)
    seed_demo(migrated_db_url, scale="small")
    desk = next(a for a in DEMO_ACCOUNTS if a.role_name == "desk_riverside")
    url = make_url(migrated_db_url)
    profile = Profile("demo", url.host or "", url.port or 5432, url.database or "", "disable")
    runner, identity = wait_task(login.sign_in(profile, desk.role_name, desk.password))
    try:
        workspace = StudentsWorkspace(WorkspaceContext(runner, identity))
        qtbot.addWidget(workspace)
        workspace.resize(1440, 900)
        workspace.show()
        wait_task(workspace.reload())
        qtbot.waitUntil(lambda: workspace.model.rowCount() > 0)
        best = max(workspace.model.rows()[:60], key=lambda r: len(r.family or ""))
        with psycopg.connect(migrated_db_url, autocommit=True) as conn:
            conn.execute("update academy.students set allergies = 'Peanuts (EpiPen in bag)',"
                         " medical_notes = 'Asthma: inhaler before swimming' where id = %s",
                         (best.id,))
        wait_task(workspace.presenter.open_student(best.id))
        qtbot.wait(100)
        workspace.grab().save(str(out / "students.png"))
        qtbot.keyClicks(workspace.search, best.last_name[:4].lower())
        qtbot.waitUntil(lambda: workspace.presenter.query and workspace.status.text()
                        and not workspace.presenter._debounce.isActive()
                        and workspace.presenter._search._task is None, timeout=10000)
        qtbot.wait(100)
        workspace.grab().save(str(out / "students-search.png"))
        dialog = workspace.open_new_family()
        dialog.resize(900, 640)
        qtbot.wait(100)
        dialog.grab().save(str(out / "new-family.png"))
        dialog.close()
        families = FamiliesWorkspace(WorkspaceContext(runner, identity))
        qtbot.addWidget(families)
        families.resize(1440, 900)
        families.show()
        wait_task(families.reload())
        families.grab().save(str(out / "families.png"))
    finally:
        wait_task(runner.aclose())
