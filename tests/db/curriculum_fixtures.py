"""Seed helpers for the curriculum editor's tests: a small tree per program, inserted as
the superuser, and the 0009 functions applied if the Alembic chain has not reached them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"


def ensure_curriculum_functions(superuser_url: str) -> None:
    """Apply 0009_curriculum.up.sql as academy_owner unless a migration already did."""
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        present = conn.execute(
            "select to_regprocedure("
            "'academy.move_curriculum_node(text, uuid, uuid, integer, integer)')"
        ).fetchone()[0]  # type: ignore[index]
        if present is None:
            with conn.transaction():
                conn.execute("SET LOCAL ROLE academy_owner")
                conn.execute((SQL_DIR / "0009_curriculum.up.sql").read_text(encoding="utf-8"))


@dataclass
class Tree:
    """Ids of a seeded tree: program > course > curriculum > level > 2 modules >
    2 sections each > 2 lessons each (names "M1", "M1S1", "M1S1L1", ...)."""

    program: uuid.UUID
    course: uuid.UUID
    curriculum: uuid.UUID
    level: uuid.UUID
    ids: dict[str, uuid.UUID] = field(default_factory=dict)


def seed_tree(superuser_url: str, code: str = "SWIM", name: str = "Swimming") -> Tree:
    with psycopg.connect(superuser_url, autocommit=True) as conn:

        def one(query: str, params: tuple[Any, ...]) -> uuid.UUID:
            return conn.execute(query, params).fetchone()[0]  # type: ignore[index,no-any-return]

        program = one(
            "insert into academy.programs (code, name) values (%s, %s) returning id", (code, name)
        )
        course = one(
            "insert into academy.courses (program_id, name) values (%s, %s) returning id",
            (program, f"{name} course"),
        )
        curriculum = one(
            "insert into academy.curriculums (course_id, program_id, name, min_age, max_age)"
            " values (%s, %s, 'Kids 5-8', 5, 8) returning id",
            (course, program),
        )
        level = one(
            "insert into academy.levels (curriculum_id, program_id, level_number, name)"
            " values (%s, %s, 1, 'Level 1') returning id",
            (curriculum, program),
        )
        tree = Tree(program, course, curriculum, level)
        for m in (1, 2):
            mod = one(
                "insert into academy.modules (level_id, program_id, name, position)"
                " values (%s, %s, %s, %s) returning id",
                (level, program, f"M{m}", m - 1),
            )
            tree.ids[f"M{m}"] = mod
            for s in (1, 2):
                sec = one(
                    "insert into academy.sections (module_id, program_id, name, position)"
                    " values (%s, %s, %s, %s) returning id",
                    (mod, program, f"M{m}S{s}", s - 1),
                )
                tree.ids[f"M{m}S{s}"] = sec
                for le in (1, 2):
                    tree.ids[f"M{m}S{s}L{le}"] = one(
                        "insert into academy.lessons"
                        " (section_id, program_id, name, position, duration_minutes)"
                        " values (%s, %s, %s, %s, 30) returning id",
                        (sec, program, f"M{m}S{s}L{le}", le - 1),
                    )
        return tree


def fetch(url: str, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()
