"""Composition root: QApplication + qasync loop, sign-in, main window, switch user.

Also the headless entry points: ``--screenshot FILE.png`` signs in offscreen and saves
the main window once its first workspace has loaded; without a display (and without
``--screenshot``) it says so in one line instead of a Qt platform-plugin crash.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")  # before qasync picks a binding

log = logging.getLogger("academy_desktop.app")
#: benchmarks/startup.py sets this: print the wall-clock time of the sign-in dialog's
#: first paint and exit at once (measures the real entry point, imports included)
STARTUP_PROBE = "ACADEMY_STARTUP_PROBE"
NO_DISPLAY = "No display available: run with --screenshot FILE.png or on a desktop session"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="academy-desktop")
    parser.add_argument("--profile", help="connection profile name (e.g. local)")
    parser.add_argument("--user", help="sign in directly as this role")
    parser.add_argument("--password-env", metavar="VAR",
                        help="read the password from environment variable VAR")
    parser.add_argument("--demo", action="store_true",
                        help="use the published demo password of --user")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="sign in offscreen, save the main window, exit")
    return parser.parse_args(argv)


def has_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def direct_password(args: argparse.Namespace) -> str | None:
    if args.password_env:
        return os.environ.get(args.password_env)
    if args.demo and args.user:
        from academy_desktop.db.demo_accounts import demo_account

        try:
            return demo_account(args.user).password
        except KeyError as exc:  # a typo on the command line: say so, no traceback
            raise SystemExit(str(exc.args[0])) from None
    return None


class Shell:
    """Keeps the sign-in dialog and main window alive and swaps them on switch user."""

    def __init__(self) -> None:
        # the workspace catalog (every screen, SQLAlchemy...) is imported after the
        # sign-in dialog has painted, in the background: see _warm_up
        self.window = None  # type: ignore[var-annotated]
        self.dialog = None  # type: ignore[var-annotated]

    def show_sign_in(self, profile: str | None = None, user: str | None = None) -> None:
        from academy_desktop.views.signin.dialog import SignInDialog

        self.dialog = SignInDialog()
        if profile:
            self.dialog.select_profile(profile)
        if user:
            self.dialog.username.setText(user)
            self.dialog.password.setFocus()
        self.dialog.signed_in.connect(self.open_main_window)
        self.dialog.rejected.connect(self._dialog_rejected)
        _on_first_paint(self.dialog, _probe_exit if os.environ.get(STARTUP_PROBE)
                        else _warm_up)
        self.dialog.open()

    def open_main_window(self, runner: object, identity: object,
                         settings: object = None) -> object:
        from academy_desktop.views.catalog import register_all
        from academy_desktop.views.main_window import MainWindow

        register_all()
        self.window = MainWindow(runner, identity, settings=settings)  # type: ignore[arg-type]
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.show()
        return self.window

    def switch_user(self) -> None:
        from academy_desktop.ui.aio import spawn

        spawn(self._switch_user(), None, "switch-user")

    async def _switch_user(self) -> None:
        window, self.window = self.window, None
        self.show_sign_in()  # first, so the app always has a visible window
        if window is not None:
            window.hide()
            await window.shutdown()
            window.deleteLater()

    def _dialog_rejected(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self.window is None:
            QApplication.instance().quit()


def _on_first_paint(widget: object, callback: Callable[[], None]) -> None:
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                callback()
            return False

    widget.installEventFilter(FirstPaint(widget))  # type: ignore[attr-defined, arg-type]


def _probe_exit() -> None:
    import time

    print(f"first-paint {time.time():.6f}", flush=True)
    os._exit(0)  # a probe: nothing to clean up, and no loop teardown to time


_WARM_MODULES = ("academy_desktop.db.login", "academy_desktop.views.main_window",
                 "academy_desktop.views.catalog")
_warmed = False


def _warm_up() -> None:
    """Import what sign-in and the main window need while the person types (off the GUI
    thread), so the dialog paints first and signing in does not wait for imports."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    import importlib

    from academy_desktop.ui.aio import spawn

    async def warm() -> None:
        for name in _WARM_MODULES:
            await asyncio.to_thread(importlib.import_module, name)

    spawn(warm(), None, "warm-up imports")


async def sign_in_directly(profile_name: str, user: str, password: str) -> tuple[object, object]:
    from academy_desktop.db import login, profiles

    profile = profiles.ProfileStore().get(profile_name)
    if profile is None:
        raise SystemExit(f"Unknown profile {profile_name!r}")
    resolved = await asyncio.to_thread(profiles.resolve, profile)
    return await login.sign_in(resolved, user, password)


#: A desk-sized window for screenshots (the offscreen screen would leave it at its
#: minimum width).
SCREENSHOT_SIZE = (1440, 900)


async def run_screenshot(shell: Shell, profile: str, user: str, password: str,
                         path: Path, timeout: float = 30) -> None:
    """Sign in, wait for the first workspace load, save the window to ``path``.

    The window uses throw-away settings: the picture shows what the person sees on a
    first start, and the person's own remembered layout is neither used nor changed.
    """
    import tempfile

    from PySide6.QtCore import QSettings

    from academy_desktop.ui.settings import Settings

    runner, identity = await sign_in_directly(profile, user, password)
    scratch = tempfile.TemporaryDirectory(prefix="academy-shot-")
    settings = Settings(QSettings(str(Path(scratch.name) / "settings.ini"),
                                  QSettings.Format.IniFormat))
    window = shell.open_main_window(runner, identity, settings)
    window.resize(*SCREENSHOT_SIZE)  # type: ignore[attr-defined]
    loaded = asyncio.Event()
    window.initial_load_finished.connect(loaded.set)  # type: ignore[attr-defined]
    if window._initial_done:  # type: ignore[attr-defined]
        loaded.set()
    await asyncio.wait_for(loaded.wait(), timeout)
    await asyncio.sleep(0.2)  # let the last layout/paint pass run
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):  # type: ignore[attr-defined]
        raise OSError(f"could not write {path}")
    await window.shutdown()  # type: ignore[attr-defined]
    scratch.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    """The ``academy-desktop`` entry point; ends the process itself once the GUI ran
    (see ``_end_process``)."""
    args = parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif not has_display():
        print(NO_DISPLAY)
        return 2
    import qasync
    from PySide6.QtWidgets import QApplication

    from academy_desktop.ui import i18n, logging_setup, theme

    log_path = logging_setup.setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Academy")
    app.setApplicationName("Academy Desktop")
    i18n.install_translation(app)  # before the first window: ACADEMY_LANG or the system
    app.setQuitOnLastWindowClosed(False)  # we end the loop ourselves, after cleanup
    theme.apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return _end_process(_run(args, app, loop, log_path))


def _run(args: argparse.Namespace, app: object, loop: asyncio.AbstractEventLoop,
         log_path: Path) -> int:
    shell = Shell()
    password = direct_password(args)
    try:
        with loop:
            if args.screenshot:
                if not (args.user and password is not None):
                    print("--screenshot needs --user and --password-env (or --demo)")
                    return 2
                loop.run_until_complete(run_screenshot(
                    shell, args.profile or "local", args.user, password,
                    Path(args.screenshot)))
                print(f"Saved {args.screenshot}")
                return 0
            if args.user and password is not None:
                runner, identity = loop.run_until_complete(
                    sign_in_directly(args.profile or "local", args.user, password))
                shell.open_main_window(runner, identity)
            else:
                shell.show_sign_in(args.profile, args.user)
            closed = asyncio.Event()
            app.lastWindowClosed.connect(closed.set)  # type: ignore[attr-defined]
            loop.run_until_complete(closed.wait())
            if shell.window is not None:
                loop.run_until_complete(shell.window.shutdown())
            return 0
    except Exception as error:
        from academy_desktop.domain.errors import UserFacingError
        from academy_desktop.ui import messages

        if isinstance(error, UserFacingError):
            print(messages.user_message(error))
        else:
            log.exception("fatal error")
            print(f"Academy Desktop stopped unexpectedly; details in {log_path}")
        return 1


def _end_process(code: int) -> int:
    """Exit without the interpreter's final garbage collection, after our own cleanup.

    With PySide6 6.12 + qasync that collection aborts ("Fatal Python error:
    none_dealloc/bool_dealloc", exit 134) after a long GUI session: a C-extension
    reference-count bug, not ours. Everything is closed and flushed by now.
    """
    import logging as _logging

    sys.stdout.flush()
    sys.stderr.flush()
    _logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
