"""Entry point: headless refusal in one line, and the screenshot path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from academy_desktop.app import NO_DISPLAY, SCREENSHOT_SIZE, Shell, run_screenshot
from academy_desktop.db.profiles import ProfileStore
from academy_desktop.ui import theme


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display detection is Linux")
def test_no_display_prints_one_line_and_exits_2() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "academy_desktop.app"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout.strip() == NO_DISPLAY
    assert done.stderr == ""


def test_screenshot_after_initial_load(qapp, qloop, academy_db, wait_task,
                                       tmp_path: Path) -> None:
    theme.apply_theme(qapp)
    person = academy_db.add_person("front_desk", display_name="Alex Moreno",
                                   locations=("Northgate", "Harbour View"))
    role, password = person.role_name, person.password
    ProfileStore().upsert(academy_db.profile)
    shot = tmp_path / "shot.png"
    shell = Shell()
    wait_task(run_screenshot(shell, "test", role, password, shot), timeout=30000)
    image = QImage(str(shot))
    assert not image.isNull()
    # desk-sized, not the offscreen screen's minimum width
    assert (image.width(), image.height()) == SCREENSHOT_SIZE
    # throw-away settings: a front desk's first start, which opens Check-in
    assert shell.window.settings.last_workspace("front_desk") == "checkin"
    assert "academy-shot-" in shell.window.settings._q.fileName()
    keep = os.environ.get("ACADEMY_KEEP_SCREENSHOT")
    if keep:
        image.save(keep)
    assert shell.window is not None and shell.window.runner.closed
    shell.window.deleteLater()


def test_default_settings_are_the_tests_own(tmp_path: Path) -> None:
    """isolated_env points the default format at the test's folder; Settings() must use
    it (QSettings(org, app) alone ignored it and wrote to the real user's file)."""
    from academy_desktop.ui.settings import Settings

    assert Settings()._q.fileName().startswith(str(tmp_path))


def test_unknown_demo_user_is_a_message_not_a_traceback() -> None:
    import argparse

    from academy_desktop.app import direct_password

    args = argparse.Namespace(password_env=None, demo=True, user="super_admin")
    with pytest.raises(SystemExit, match="not a demo login"):
        direct_password(args)
    args.user = "desk_riverside"
    assert direct_password(args)
