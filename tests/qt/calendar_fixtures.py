"""Seed helpers for the calendar and booking tests: a location with programs, instructors,
sessions and students inserted as the superuser, so each test then acts as a real login.

Also makes sure 0007_calendar's SQL is in the database while its Alembic revision is
not wired yet (the lead chains it after 0006); once it is, ``ensure_calendar_schema``
finds the functions and does nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg

SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"
_numbers = itertools.count(1)


def plain_url(url: str) -> str:
    """libpq URL (psycopg) from a SQLAlchemy one."""
    return url.replace("postgresql+psycopg://", "postgresql://").replace(
        "postgresql+psycopg_async://", "postgresql://"
    )


def ensure_calendar_schema(superuser_url: str) -> None:
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn:
        found = conn.execute(
            "select to_regprocedure('academy.book_session(uuid,uuid,uuid,boolean)')"
        ).fetchone()
        if found and found[0] is not None:
            return
        with conn.transaction():
            conn.execute("set local role academy_owner")
            conn.execute("set local search_path = academy, extensions")
            conn.execute((SQL_DIR / "0007_calendar.up.sql").read_text())


@dataclass
class Academy:
    """Ids of what ``seed_academy`` created."""

    url: str
    location_id: UUID
    tz: ZoneInfo
    program_ids: list[UUID]
    instructor_ids: list[UUID]
    level_ids: list[UUID] = field(default_factory=list)
    student_ids: list[UUID] = field(default_factory=list)

    def connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(plain_url(self.url), autocommit=True)

    def add_session(
        self,
        instructor_id: UUID,
        starts: datetime,
        minutes: int = 60,
        capacity: int = 10,
        program: int = 0,
        title: str = "Class",
        pattern_id: UUID | None = None,
        location_id: UUID | None = None,
    ) -> UUID:
        with self.connect() as conn:
            row = conn.execute(
                "insert into academy.sessions (location_id, program_id, level_id, instructor_id,"
                " session_date, starts_at, ends_at, capacity, title, recurring_pattern_id)"
                " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning id",
                (
                    location_id or self.location_id,
                    self.program_ids[program],
                    self.level_ids[program] if self.level_ids else None,
                    instructor_id,
                    starts.date(),
                    starts,
                    starts + timedelta(minutes=minutes),
                    capacity,
                    title,
                    pattern_id,
                ),
            ).fetchone()
        assert row
        return row[0]

    def add_students(self, n: int) -> list[UUID]:
        out = []
        with self.connect() as conn:
            for _ in range(n):
                k = next(_numbers)
                row = conn.execute(
                    "insert into academy.students (first_name, last_name, location_id, program_id)"
                    " values (%s, %s, %s, %s) returning id",
                    (f"Kid{k}", f"Family{k}", self.location_id, self.program_ids[0]),
                ).fetchone()
                assert row
                out.append(row[0])
        self.student_ids += out
        return out


def seed_academy(
    superuser_url: str, tz: str = "Europe/London", instructors: int = 2, programs: int = 2
) -> Academy:
    ensure_calendar_schema(superuser_url)
    k = next(_numbers)
    colors = ["#2e7d32", "#1565c0", "#c62828", "#6a1b9a"]
    with psycopg.connect(plain_url(superuser_url), autocommit=True) as conn:
        loc = conn.execute(
            "insert into academy.locations (code, name, timezone) values (%s, %s, %s) returning id",
            (f"L{k}", f"Riverside {k}", tz),
        ).fetchone()[0]  # type: ignore[index]
        program_ids, level_ids = [], []
        for p in range(programs):
            pid = conn.execute(
                "insert into academy.programs (code, name, color) values (%s, %s, %s) returning id",
                (f"P{k}X{p}", f"{['Swim', 'Tennis', 'Judo', 'Gym'][p % 4]} {k}", colors[p % 4]),
            ).fetchone()[0]  # type: ignore[index]
            conn.execute(
                "insert into academy.location_programs (location_id, program_id) values (%s, %s)",
                (loc, pid),
            )
            program_ids.append(pid)
        instructor_ids = []
        for i in range(instructors):
            iid = conn.execute(
                "insert into academy.instructors (first_name, last_name) values (%s, %s)"
                " returning id",
                (["Ana", "Ben", "Cleo", "Dev"][i % 4], f"Coach{k}x{i}"),
            ).fetchone()[0]  # type: ignore[index]
            conn.execute(
                "insert into academy.instructor_location_assignments"
                " (instructor_id, location_id) values (%s, %s)",
                (iid, loc),
            )
            instructor_ids.append(iid)
    return Academy(superuser_url, loc, ZoneInfo(tz), program_ids, instructor_ids, level_ids)


def local(academy: Academy, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=academy.tz)
