"""Seed helpers for the students/families tests: a two-location world inserted as the
superuser, and 0006_students applied when its Alembic revision has not landed yet.

Imported by tests/qt/test_students*.py, test_families*.py and tests/db/test_queries_students.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

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
