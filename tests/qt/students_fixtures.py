"""Seed helpers for the students/families tests: a two-location world inserted as the
superuser, and 0006_students applied when its Alembic revision has not landed yet.

Imported by tests/qt/test_students*.py, test_families*.py and tests/db/test_queries_students.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import delete, isValid
from sqlalchemy.engine import make_url

from academy_desktop.db import login
from academy_desktop.db.profiles import Profile
from academy_desktop.views.workspace import WorkspaceContext

SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"


def ensure_students_sql(superuser_url: str) -> None:
    """Run 0006_students.up.sql as academy_owner unless the migration already did."""
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        present = conn.execute(
            "select to_regprocedure('academy.search_people(text,int)')").fetchone()
        if present and present[0] is not None:
            return
        with conn.transaction():
            conn.execute("set local role academy_owner")
            conn.execute("set local search_path = academy, extensions")
            conn.execute((SQL_DIR / "0006_students.up.sql").read_text(encoding="utf-8"))


@dataclass
class World:
    """Two locations (A, B) with a program each, and helpers to add people."""

    url: str
    locations: dict[str, uuid.UUID] = field(default_factory=dict)
    programs: dict[str, uuid.UUID] = field(default_factory=dict)

    def one(self, statement: str, params: Any = None) -> Any:
        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute(statement, params).fetchone()
            return row[0] if row else None

    def all(self, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(statement, params).fetchall()

    def student(self, loc: str, first: str, last: str, born: date | None = date(2016, 5, 1),
                *, program: str | None = None, number: str | None = None,
                medical: str | None = None) -> uuid.UUID:
        return self.one(
            "insert into academy.students (first_name, last_name, date_of_birth, location_id,"
            " program_id, student_number, medical_notes)"
            " values (%s, %s, %s, %s, %s, coalesce(%s, 'S' || lpad(nextval("
            "'academy.student_number_seq')::text, 7, '0')), %s) returning id",
            (first, last, born, self.locations[loc], self.programs.get(program or loc),
             number, medical))

    def many_students(self, loc: str, count: int, last: str = "Zeta") -> None:
        """``count`` students named Kid000.. at ``loc`` in one statement."""
        self.one(
            "insert into academy.students (first_name, last_name, date_of_birth, location_id)"
            " select 'Kid' || lpad(i::text, 3, '0'), %s, date '2015-01-01' + i, %s"
            " from generate_series(0, %s - 1) i returning 1", (last, self.locations[loc], count))

    def parent(self, loc: str, first: str, last: str, phone: str | None = None,
               email: str | None = None) -> uuid.UUID:
        return self.one(
            "insert into academy.parents (first_name, last_name, phone, email, location_id)"
            " values (%s, %s, %s, %s, %s) returning id",
            (first, last, phone, email, self.locations[loc]))

    def link(self, student_id: uuid.UUID, parent_id: uuid.UUID, relationship: str = "mother",
             *, primary: bool = True, pickup: bool = True) -> None:
        self.one(
            "insert into academy.student_parent_relationships (student_id, parent_id,"
            " relationship, is_primary_contact, can_pickup) values (%s, %s, %s, %s, %s)"
            " returning id", (student_id, parent_id, relationship, primary, pickup))


def make_world(superuser_url: str) -> World:
    ensure_students_sql(superuser_url)
    world = World(superuser_url)
    suffix = uuid.uuid4().hex[:4].upper()
    for key in ("A", "B"):
        world.locations[key] = world.one(
            "insert into academy.locations (code, name) values (%s, %s) returning id",
            (f"{key}{suffix}", f"Location {key} {suffix}"))
        world.programs[key] = world.one(
            "insert into academy.programs (code, name) values (%s, %s) returning id",
            (f"P{key}{suffix}", f"Swimming {key} {suffix}"))
        world.one("insert into academy.location_programs (location_id, program_id)"
                  " values (%s, %s) returning location_id",
                  (world.locations[key], world.programs[key]))
    return world


# --- Qt side: a workspace signed in as a real login role -------------------------------

class Host(QWidget):
    """Stands in for the main window: collects what would go to the banner."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[BaseException] = []
        QVBoxLayout(self)

    def report_error(self, error: BaseException) -> None:
        self.errors.append(error)


@pytest.fixture
def world(migrated_db_url: str) -> World:
    """Olivia (medical alert) and her mother Ana at A; Olivier Martin at B."""
    w = make_world(migrated_db_url)
    olivia = w.student("A", "Olivia", "Martínez", number="S9000001", medical="Asthma")
    ana = w.parent("A", "Ana", "Martínez", "+15551234567", "ana@example.com")
    w.link(olivia, ana)
    w.student("B", "Olivier", "Martin", number="S9000002")
    return w


@pytest.fixture
def open_workspace(qtbot: Any, qloop: Any, wait_task: Any, login_role: Any) -> Iterator[Any]:
    """``open_workspace(world, factory=StudentsWorkspace, kind=..., locations=("A",))``."""
    from academy_desktop.views.students.view import StudentsWorkspace

    opened: list[tuple[Host, Any, Any]] = []

    def open_as(world: World, factory: Any = StudentsWorkspace, kind: str = "front_desk",
                locations: tuple[str, ...] = ("A",)) -> tuple[Any, Host]:
        role = login_role(kind, locations=[world.locations[k] for k in locations])
        url = make_url(role.url)
        revision = world.one("select version_num from academy.alembic_version")
        profile = Profile("test", url.host or "", url.port or 5432, url.database or "", "disable")
        runner, identity = wait_task(login.sign_in(profile, role.role_name, role.password,
                                                   expected_revision=revision))
        host = Host()
        workspace = factory(WorkspaceContext(runner, identity), host)
        host.layout().addWidget(workspace)
        host.resize(1280, 800)
        host.show()
        wait_task(workspace.reload())
        opened.append((host, runner, workspace))
        return workspace, host

    yield open_as
    for host, runner, workspace in opened:
        if isValid(workspace):
            workspace.clear()  # stops debounce timers: nothing may fire after the loop closes
            host.close()
            delete(host)  # now, while the loop still runs (not at a later deferred delete)
        wait_task(runner.aclose())
