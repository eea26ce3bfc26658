"""The room rule: domain -> db | models -> ui -> views -> app (DESIGN.md §1)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "academy_desktop"
# room -> rooms (and third-party roots) it must not import
FORBIDDEN: dict[str, set[str]] = {
    "domain": {"db", "models", "ui", "views", "app", "PySide6", "sqlalchemy", "psycopg"},
    "db": {"models", "ui", "views", "app", "PySide6", "qasync"},
    "models": {"db", "ui", "views", "app", "sqlalchemy", "psycopg"},
    "ui": {"views", "app"},
    "views": {"app"},
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _room_of(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "academy_desktop":
        return parts[1] if len(parts) > 1 else ""
    return parts[0]


def test_rooms_import_only_earlier_rooms() -> None:
    problems = []
    for room, banned in FORBIDDEN.items():
        for path in (PACKAGE / room).rglob("*.py"):
            for name in _imports(path):
                if _room_of(name) in banned:
                    problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not problems, "\n".join(problems)


def test_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from academy_desktop.views.main_window import MainWindow\nimport PySide6\n")
    rooms = {_room_of(n) for n in _imports(bad)}
    assert {"views", "PySide6"} <= rooms
