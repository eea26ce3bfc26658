"""Calendar timings against a real server, as real logins: a location's week query and
paint, an instructor's week, switching weeks end to end, generating a term (one
location, 12 weeks, ~500 sessions through generate_pattern_sessions in batches) and
booking latency through book_session.

Uses its own database on the local server (or ``--url``, a superuser URL of a server),
migrated to head and filled with a synthetic timetable of the chosen scale.
Targets (issue 8): week query <= 5 ms, paint <= 200 ms, instructor week <= 3 ms,
switch <= 100 ms, term <= 2 s, booking p95 <= 10 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

# this file is named like the stdlib's `calendar`: never let it shadow that module
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.modules.pop("calendar", None)

import os  # noqa: E402
import random  # noqa: E402
import secrets  # noqa: E402
import time  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db import migrate  # noqa: E402
from academy_desktop.db.provisioning import provision_account  # noqa: E402
from academy_desktop.db.queries.calendar_week import _WEEK_SQL  # noqa: E402
from academy_desktop.domain.schedule import (  # noqa: E402
    PatternSpec,
    WeekSession,
    batched,
    expand,
    week_bounds,
)
from benchmarks._harness import parse_args, percentiles, report, time_calls  # noqa: E402

SIZES = {"small": (3, 8, 300), "large": (20, 40, 3000), "huge": (20, 80, 10000)}
TZ = "Europe/London"
WEEK_SQL = (
    _WEEK_SQL.replace(":start", "%(start)s")
    .replace(":end", "%(end)s")
    .replace(":locations", "%(locations)s")
    .replace(":program", "%(program)s")
    .replace(":level", "%(level)s")
    .replace(":instructor", "%(instructor)s")
)


def _server_url(given: str | None) -> str:
    if given:
        return given
    from academy_desktop.db.local_server import LocalServer

    server = LocalServer()
    server.start()
    return server.superuser_url()


def _fresh_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    parts = psycopg.conninfo.conninfo_to_dict(url)
    url = (
        f"postgresql://{parts['user']}:{parts.get('password', '')}@{parts.get('host', '127.0.0.1')}"
        f":{parts.get('port', 5432)}/{name}"
    )
    migrate.upgrade(url)
    return url


def _login_url(url: str, role: str, password: str) -> str:
    head, db = url.rsplit("/", 1)
    host = head.split("@", 1)[1]
    return f"postgresql://{role}:{password}@{host}/{db}"


def _seed(url: str, scale: str, rng: random.Random) -> dict:
    locations, instructors_per, students = SIZES[scale]
    monday = date.today() - timedelta(days=date.today().weekday())
    ids: dict = {"locations": [], "instructors": [], "students": [], "sessions": []}
    with psycopg.connect(url, autocommit=True) as conn:
        programs = [
            conn.execute(
                "insert into academy.programs (code, name, color) values (%s, %s, %s) returning id",
                (f"B{i}", f"Bench {i}", c),
            ).fetchone()[0]
            for i, c in enumerate(("#2e7d32", "#1565c0", "#c62828", "#6a1b9a"))
        ]
        ids["programs"] = programs
        for n in range(locations):
            loc = conn.execute(
                "insert into academy.locations (code, name, timezone) values"
                " (%s, %s, %s) returning id",
                (f"BL{n}", f"Bench {n}", TZ),
            ).fetchone()[0]
            ids["locations"].append(loc)
            for p in programs:
                conn.execute(
                    "insert into academy.location_programs (location_id, program_id)"
                    " values (%s, %s)",
                    (loc, p),
                )
            rows = []
            for i in range(instructors_per):
                iid = conn.execute(
                    "insert into academy.instructors (first_name, last_name)"
                    " values ('Coach', %s) returning id",
                    (f"L{n}I{i}",),
                ).fetchone()[0]
                conn.execute(
                    "insert into academy.instructor_location_assignments (instructor_id,"
                    " location_id) values (%s, %s)",
                    (iid, loc),
                )
                ids["instructors"].append((loc, iid))
                # a full teaching week (6 days x 4 classes) for 6 weeks around today
                for week in range(-2, 4):
                    for day in range(6):
                        for slot in range(4):
                            start = datetime.combine(
                                monday + timedelta(weeks=week, days=day),
                                datetime.min.time(),
                                ZoneInfo(TZ),
                            ) + timedelta(hours=9 + slot * 2 + (i % 2))
                            rows.append(
                                (
                                    loc,
                                    rng.choice(programs),
                                    iid,
                                    start.date(),
                                    start,
                                    start + timedelta(minutes=60),
                                    12,
                                    f"Class {slot}",
                                )
                            )
            with conn.cursor().copy(
                "copy academy.sessions (location_id, program_id, instructor_id,"
                " session_date, starts_at, ends_at, capacity, title) from stdin"
            ) as cp:
                for row in rows:
                    cp.write_row(row)
        for n in range(students):
            ids["students"].append(
                conn.execute(
                    "insert into academy.students (first_name, last_name, location_id, program_id)"
                    " values ('Kid', %s, %s, %s) returning id",
                    (f"B{n}", ids["locations"][0], programs[0]),
                ).fetchone()[0]
            )
        conn.execute("analyze")
        loc0 = ids["locations"][0]
        ids["sessions"] = [
            r[0]
            for r in conn.execute(
                "select id from academy.sessions where location_id = %s and starts_at > now()",
                (loc0,),
            )
        ]
        for kind, extra in (
            ("front_desk", {}),
            ("instructor", {"instructor_id": ids["instructors"][0][1]}),
        ):
            role = f"bench_{kind[:5]}_{secrets.token_hex(3)}"
            _ROLES.append(role)
            password = "Bench-" + secrets.token_urlsafe(12)
            provision_account(
                conn,
                role_name=role,
                kind=kind,
                password=password,
                display_name=f"Bench {kind}",
                location_ids=[loc0],
                **extra,
            )
            ids[kind] = _login_url(url, role, password)
    ids["monday"] = monday
    return ids


def _week_rows(conn: psycopg.Connection, monday: date, **filters: object) -> list[WeekSession]:
    start, end = week_bounds(monday, ZoneInfo(TZ))
    params = {
        "start": start,
        "end": end,
        "locations": None,
        "program": None,
        "level": None,
        "instructor": None,
        **filters,
    }
    cur = conn.execute(WEEK_SQL, params)
    names = [d.name for d in cur.description or []]
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r, strict=True))
        out.append(
            WeekSession(
                id=row["id"],
                title=row["title"],
                location_id=row["location_id"],
                program_id=row["program_id"],
                program_name=row["program_name"] or "",
                program_color=row["program_color"],
                level_name=row["level_name"],
                instructor_id=row["instructor_id"],
                instructor_name=row["instructor_name"],
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                capacity=row["capacity"],
                booked=row["booked_count"],
                waiting=row["waiting"],
                status=row["status"],
            )
        )
    return out


_ROLES: list[str] = []  # login roles made for this run (cluster-global): dropped at the end


def main() -> None:
    args = parse_args("calendar")
    rng = random.Random(8)
    server = _server_url(args.url)
    name = f"academy_bench_calendar_{args.scale}_{secrets.token_hex(3)}"
    try:
        url = _fresh_database(server, name)
        ids = _seed(url, args.scale, rng)
        results = _measure(ids, args.repeat, rng)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            for role in _ROLES:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    report("calendar", args.scale, results)


def _measure(ids: dict, repeat: int, rng: random.Random) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from academy_desktop.models.week import WeekModel
    from academy_desktop.views.calendar.week_view import WeekView

    app = QApplication.instance() or QApplication([])
    monday, loc0 = ids["monday"], ids["locations"][0]
    results: dict = {}
    with (
        psycopg.connect(ids["front_desk"], autocommit=True) as desk,
        psycopg.connect(ids["instructor"], autocommit=True) as instructor,
    ):
        results["location_week_query"] = percentiles(
            time_calls(lambda: _week_rows(desk, monday, locations=[loc0]), repeat)
        )
        results["location_week_server"] = _server_side(desk, monday, repeat, locations=[loc0])
        results["instructor_week_server"] = _server_side(instructor, monday, repeat)
        results["instructor_week_query"] = percentiles(
            time_calls(lambda: _week_rows(instructor, monday), repeat)
        )
        sessions = _week_rows(desk, monday, locations=[loc0])
        model = WeekModel()
        view = WeekView(model)
        view.resize(1400, 900)

        def paint() -> None:
            model.set_week(monday, ZoneInfo(TZ), sessions)
            view.grab()

        results["week_paint"] = percentiles(time_calls(paint, max(20, repeat // 10)))
        results["week_paint"]["sessions"] = len(sessions)
        weeks = [monday + timedelta(weeks=w) for w in range(-2, 4)]

        def switch() -> None:
            week = rng.choice(weeks)
            model.set_week(week, ZoneInfo(TZ), _week_rows(desk, week, locations=[loc0]))
            view.repaint()

        results["switch_week"] = percentiles(time_calls(switch, max(20, repeat // 10)))
        results["generate_term"] = _generate_term(desk, ids, loc0)
        results["book_session"] = _bookings(desk, ids, repeat, rng)
    del app
    return results


def _server_side(conn: psycopg.Connection, monday: date, repeat: int, **filters: object) -> dict:
    """Execution time the server reports (EXPLAIN ANALYZE), without client and network."""
    start, end = week_bounds(monday, ZoneInfo(TZ))
    params = {
        "start": start,
        "end": end,
        "locations": None,
        "program": None,
        "level": None,
        "instructor": None,
        **filters,
    }
    samples = []
    for _ in range(repeat):
        plan = conn.execute("explain (analyze, format json) " + WEEK_SQL, params).fetchone()[0]
        samples.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
    return percentiles(samples)


def _generate_term(desk: psycopg.Connection, ids: dict, loc0: object) -> dict:
    start_day = ids["monday"] + timedelta(weeks=8)
    began = time.perf_counter()
    created = 0
    specs = []
    for slot in range(7):
        spec = PatternSpec(
            (1, 2, 3, 4, 5, 6),
            datetime.min.time().replace(hour=8 + slot * 2),
            60,
            start_day,
            start_day + timedelta(weeks=12) - timedelta(days=1),
            TZ,
        )
        specs.append(spec)
    # one instructor per slot keeps the term free of double bookings
    pool = [iid for loc, iid in ids["instructors"] if loc == loc0]
    for slot, spec in enumerate(specs):
        pid = desk.execute(
            "insert into academy.recurring_patterns (location_id, program_id, instructor_id, title,"
            " rrule, dtstart, duration_minutes, timezone, start_date, end_date, capacity)"
            " values (%s, %s, %s, 'Term', %s, %s, 60, %s, %s, %s, 10) returning id",
            (
                loc0,
                ids["programs"][0],
                pool[slot],
                spec.rrule_text(),
                spec.dtstart(),
                TZ,
                spec.start_date,
                spec.end_date,
            ),
        ).fetchone()[0]
        occurrences = expand(spec.rrule_text(), spec.dtstart(), 60)
        for batch in batched(occurrences, 100):
            made = desk.execute(
                "select session_id from academy.generate_pattern_sessions(%s, %s)",
                (pid, [o.starts_at for o in batch]),
            ).fetchall()
            created += sum(1 for (sid,) in made if sid is not None)
    elapsed = (time.perf_counter() - began) * 1000
    return {"total_ms": round(elapsed, 1), "sessions": created}


def _bookings(desk: psycopg.Connection, ids: dict, repeat: int, rng: random.Random) -> dict:
    pairs = set()
    while len(pairs) < repeat + 5:
        pairs.add((rng.choice(ids["sessions"]), rng.choice(ids["students"])))
    todo = list(pairs)

    def book() -> None:
        session, student = todo.pop()
        desk.execute(
            "select * from academy.book_session(%s, %s, gen_random_uuid(), true)",
            (session, student),
        )

    return percentiles(time_calls(book, repeat))


if __name__ == "__main__":
    main()
