"""Seed data and helpers shared by the desk's tests (check-in, payments, ledger).

Seeds as the superuser (psycopg) exactly what a test needs — a location, a program, an
instructor, today's sessions, students with their family and bookings — and makes the
0008_desk SQL available even before the lead's Alembic revision runs it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from PySide6.QtWidgets import QWidget

SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"


def ensure_desk_sql(url: str) -> None:
    """Apply 0008_desk.up.sql as academy_owner when the migrations did not (yet)."""
    with psycopg.connect(url, autocommit=True) as conn:
        present = conn.execute(
            "select to_regprocedure('academy.check_in(uuid,uuid,text,uuid)') is not null"
        ).fetchone()
        if present and present[0]:
            return
        with conn.transaction():
            conn.execute("SET LOCAL ROLE academy_owner")
            conn.execute("SET LOCAL search_path = academy, extensions")
            conn.execute((SQL_DIR / "0008_desk.up.sql").read_text(encoding="utf-8"))


@dataclass
class Desk:
    """One seeded location with today's sessions; ids by friendly name."""

    url: str
    location_id: uuid.UUID
    program_id: uuid.UUID
    instructor_id: uuid.UUID
    timezone: str = "UTC"
    sessions: dict[str, uuid.UUID] = field(default_factory=dict)
    students: dict[str, uuid.UUID] = field(default_factory=dict)
    parents: dict[str, uuid.UUID] = field(default_factory=dict)

    _conn: psycopg.Connection[Any] | None = field(default=None, repr=False)

    def execute(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        # one superuser connection per test: a SCRAM login per statement costs seconds
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.url, autocommit=True)
        cur = self._conn.execute(query, params)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def add_session(
        self,
        name: str,
        starts: dt.datetime,
        minutes: int = 60,
        capacity: int = 10,
        instructor_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        if instructor_id is None:
            instructor_id = self.add_instructor(f"Coach {name}")
        row = self.execute(
            "insert into academy.sessions (location_id, program_id, instructor_id, starts_at,"
            " ends_at, capacity, title) values (%s,%s,%s,%s,%s,%s,%s) returning id",
            (
                self.location_id,
                self.program_id,
                instructor_id,
                starts,
                starts + dt.timedelta(minutes=minutes),
                capacity,
                name,
            ),
        )
        self.sessions[name] = row[0][0]
        return row[0][0]

    def add_instructor(self, name: str) -> uuid.UUID:
        first, _, last = name.partition(" ")
        row = self.execute(
            "insert into academy.instructors (first_name, last_name) values (%s,%s) returning id",
            (first, last or "Coach"),
        )
        return row[0][0]

    def add_student(
        self,
        first: str,
        last: str,
        *,
        medical: str | None = None,
        location_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        row = self.execute(
            "insert into academy.students (first_name, last_name, location_id, program_id,"
            " medical_notes) values (%s,%s,%s,%s,%s) returning id",
            (first, last, location_id or self.location_id, self.program_id, medical),
        )
        self.students[first] = row[0][0]
        return row[0][0]

    def add_parent(
        self, first: str, last: str, children: list[str], can_pickup: bool = True
    ) -> uuid.UUID:
        row = self.execute(
            "insert into academy.parents (first_name, last_name, location_id)"
            " values (%s,%s,%s) returning id",
            (first, last, self.location_id),
        )
        parent_id = row[0][0]
        for child in children:
            self.execute(
                "insert into academy.student_parent_relationships (student_id, parent_id,"
                " relationship, can_pickup) values (%s,%s,'mother',%s)",
                (self.students[child], parent_id, can_pickup),
            )
        self.parents[first] = parent_id
        return parent_id

    def book(self, session: str, *students: str) -> None:
        for name in students:
            self.execute(
                "insert into academy.session_bookings (session_id, session_date, student_id)"
                " select s.id, s.session_date, %s from academy.sessions s where s.id = %s",
                (self.students[name], self.sessions[session]),
            )

    def charge(self, student: str, amount: str, description: str = "Term fee") -> None:
        self.execute(
            "insert into academy.student_financial_records (student_id, entry_type,"
            " amount, currency, description) values (%s,'charge',%s,null,%s)",  # the location's
            (self.students[student], amount, description),
        )

    def attendance(self, session: str | None = None) -> list[tuple[Any, ...]]:
        """(student first name, status) of every attendance row (of a session)."""
        rows = self.execute(
            "select st.first_name, a.status::text from academy.student_attendance a"
            " join academy.students st on st.id = a.student_id"
            " where %s::uuid is null or a.session_id = %s order by 1",
            (self.sessions.get(session or ""), self.sessions.get(session or "")),
        )
        return [tuple(r) for r in rows]

    def ledger(self) -> list[tuple[Any, ...]]:
        return [
            tuple(r)
            for r in self.execute(
                "select st.first_name, f.entry_type::text, f.amount, f.method::text"
                " from academy.student_financial_records f"
                " join academy.students st on st.id = f.student_id order by f.created_at, 1, 2"
            )
        ]


def seed_desk(
    url: str, *, code: str = "DESK", timezone: str = "UTC", currency: str = "USD"
) -> Desk:
    """A location (in ``currency``) and program with nothing else; callers add the rest."""
    ensure_desk_sql(url)
    with psycopg.connect(url, autocommit=True) as conn:
        loc = conn.execute(
            "insert into academy.locations (code, name, timezone, currency)"
            " values (%s, %s, %s, %s) returning id",
            (code, f"Riverside {code.title()}", timezone, currency),
        ).fetchone()
        prog = conn.execute(
            "insert into academy.programs (code, name) values (%s, %s) returning id",
            (f"SW{code}", f"Swimming {code}"),
        ).fetchone()
        assert loc and prog
        conn.execute(
            "insert into academy.location_programs (location_id, program_id) values (%s, %s)",
            (loc[0], prog[0]),
        )
        instr = conn.execute(
            "insert into academy.instructors (first_name, last_name)"
            " values ('Ada', 'Coach') returning id"
        ).fetchone()
        assert instr
    return Desk(url, loc[0], prog[0], instr[0], timezone)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def rush_hour(desk: Desk) -> None:
    """Today's sessions (one running now, one next, one later) with booked children,
    a family of two, a medical note, a balance due and a child without a pickup."""
    now = now_utc()
    start = now - dt.timedelta(minutes=20)
    if start.date() != now.date():  # just after midnight: keep "now" on today's date
        start = now.replace(hour=0, minute=1)
    desk.add_session("Tadpoles", start, minutes=60, capacity=24)
    desk.add_session("Dolphins", start + dt.timedelta(minutes=61), minutes=45)
    for first, last in (
        ("Mia", "Lopez"),
        ("Leo", "Lopez"),
        ("Noah", "Kim"),
        ("Emma", "Stone"),
        ("Liam", "Brown"),
    ):
        desk.add_student(first, last, medical="Asthma: inhaler in bag" if first == "Noah" else None)
    desk.add_parent("Ana", "Lopez", ["Mia", "Leo"])
    desk.add_parent("Sue", "Kim", ["Noah"])
    desk.add_parent("Jo", "Stone", ["Emma"], can_pickup=False)
    desk.book("Tadpoles", "Mia", "Leo", "Noah", "Emma")
    desk.book("Dolphins", "Liam")
    desk.charge("Emma", "45.00")


class Host(QWidget):
    """Stands in for the main window: collects what the workspace reports as errors."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[BaseException] = []

    def report_error(self, error: BaseException) -> None:
        self.errors.append(error)


class WorkspaceOpener:
    """Signs a fresh login in over TCP and opens one workspace in a Host, the way the
    main window would; closes every window and runner at the end of the test."""

    def __init__(self, qtbot: Any, wait_task: Any, login_role: Any) -> None:
        self.qtbot, self.wait_task, self.login_role = qtbot, wait_task, login_role
        self.opened: list[tuple[Host, Any]] = []

    def open(self, desk: Desk, factory: Any, kind: str, prepare: Any = None,
             **role_options: Any) -> tuple[Any, Host]:
        from sqlalchemy.engine import make_url

        from academy_desktop.db import login
        from academy_desktop.db.profiles import Profile
        from academy_desktop.views.workspace import WorkspaceContext

        role = self.login_role(kind, locations=[desk.location_id], **role_options)
        url = make_url(role.url)
        revision = desk.execute("select version_num from academy.alembic_version")[0][0]
        profile = Profile("test", url.host or "", url.port or 5432, url.database or "", "disable")
        runner, identity = self.wait_task(
            login.sign_in(profile, role.role_name, role.password, expected_revision=revision))
        host = Host()
        workspace = factory(WorkspaceContext(runner, identity), host)
        if prepare is not None:
            prepare(workspace)
        host.resize(1280, 800)
        workspace.resize(1280, 800)
        host.show()
        self.qtbot.addWidget(host)
        self.wait_task(workspace.reload())
        self.opened.append((host, runner))
        return workspace, host

    def close_all(self) -> None:
        for host, runner in self.opened:
            host.close()
            self.wait_task(runner.aclose())
