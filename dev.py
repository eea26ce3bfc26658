#!/usr/bin/env python3
"""Developer entry point, standard library only, so a fresh machine needs just Python 3.11+.

    python3 dev.py demo [--screenshot FILE.png] [--user ROLE]   open the app on demo data
    python3 dev.py test [PYTEST ARGS...]                           run the whole test suite
    python3 dev.py bench NAME [--scale small|large|huge]           run benchmarks/NAME.py
    python3 dev.py lint                                            ruff check + format check
    python3 dev.py i18n [LANG ...]                                 update resources/i18n/*.ts
                                                                   from the code, compile .qm

Each command creates `.venv` when missing and (re)installs the project when
`pyproject.toml` changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".academy-install-stamp"
DEMO_USER = "desk_riverside"  # see academy_desktop/db/demo_accounts.py


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must explain, not crash
        sys.exit(f"Python 3.11+ is required (this is {sys.version.split()[0]}).")
    if not venv_bin("python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing Academy Desktop and its dependencies into .venv ...", flush=True)
    python = str(venv_bin("python"))
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def run(args: list[str], **env: str) -> int:
    return subprocess.call(args, cwd=ROOT, env={**os.environ, **env})


def has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def command_demo(args: list[str]) -> int:
    screenshot = "--screenshot" in args
    if not screenshot and not has_display():
        print("No display available: use `python3 dev.py demo --screenshot shot.png` "
              "or run on a desktop session.")
        return 2
    ensure_environment()
    admin = str(venv_bin("academy-admin"))
    for step in (["local", "start"], ["db", "upgrade"], ["db", "seed", "--demo", "--if-empty"]):
        code = run([admin, *step])
        if code:
            return code
    if "--user" not in args:
        args = [*args, "--user", DEMO_USER]
    env = {}
    if screenshot:
        env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    return run([str(venv_bin("python")), "-m", "academy_desktop.app", "--profile", "local",
                "--demo", *args], **env)


def command_test(args: list[str]) -> int:
    ensure_environment()
    return run([str(venv_bin("python")), "-m", "pytest", *args], QT_QPA_PLATFORM="offscreen")


def command_bench(args: list[str]) -> int:
    if not args:
        names = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem[0] != "_")
        print("usage: python3 dev.py bench NAME [--scale small|large|huge]; NAME in", names)
        return 2
    ensure_environment()
    script = ROOT / "benchmarks" / f"{args[0]}.py"
    if not script.exists():
        print(f"No benchmark named {args[0]!r} in benchmarks/.")
        return 2
    # as a module from the root: run as a script, benchmarks/ would head sys.path and its
    # calendar.py would shadow the stdlib's, which silently drops psycopg to pure Python
    module = f"benchmarks.{args[0]}"
    return run([str(venv_bin("python")), "-m", module, *args[1:]], QT_QPA_PLATFORM="offscreen")


def command_lint(args: list[str]) -> int:
    """`ruff check` over the tree (the rules are in pyproject.toml). No `ruff format`
    check: the code is formatted by hand to 100 columns, not by the formatter."""
    ensure_environment()
    return run([str(venv_bin("ruff")), "check", ".", *args])


def command_i18n(args: list[str]) -> int:
    """pyside6-lupdate over the package into each catalogue (new strings are added as
    unfinished, translations kept, vanished ones marked obsolete), then pyside6-lrelease
    into the .qm the app loads. ``LANG`` arguments create catalogues that do not exist."""
    ensure_environment()
    folder = ROOT / "resources" / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in folder.glob("academy_desktop_*.ts")}
    wanted |= {f"academy_desktop_{lang}.ts" for lang in args}
    if not wanted:
        print("No catalogues in resources/i18n: name a language, e.g. `dev.py i18n es`.")
        return 2
    catalogues = [str(Path("resources") / "i18n" / name) for name in sorted(wanted)]
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "academy_desktop").rglob("*.py"))
    return (run([str(venv_bin("pyside6-lupdate")), "-locations", "none", *sources,
                 "-ts", *catalogues])
            or run([str(venv_bin("pyside6-lrelease")), "-nounfinished", *catalogues]))


COMMANDS = {"demo": command_demo, "test": command_test, "bench": command_bench,
            "lint": command_lint, "i18n": command_i18n}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
