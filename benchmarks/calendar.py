"""Calendar timings against a real server, as real logins: a location's week query and
paint, an instructor's week, switching weeks end to end, generating a term (one
location, 12 weeks, ~500 sessions through generate_pattern_sessions in batches) and
booking latency through book_session.

Runs on the demo-seeded database of the chosen scale (``benchmarks/_database.seeded``:
``large`` is the shared 100k-student one, never dropped) and measures its busiest
location of the current week. The term is generated in a transaction that is rolled
back, and this run's bookings are deleted afterwards: the shared database keeps nothing.
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
import uuid  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db.provisioning import provision_account  # noqa: E402
from academy_desktop.db.queries.calendar_week import _WEEK_SQL  # noqa: E402
from academy_desktop.domain.schedule import (  # noqa: E402
    PatternSpec,
    WeekSession,
    batched,
    expand,
    week_bounds,
)
from benchmarks._database import drop_database, role_url, seeded, server_url  # noqa: E402
from benchmarks._harness import parse_args, percentiles, report, time_calls  # noqa: E402

WEEK_SQL = (
    _WEEK_SQL.replace(":start", "%(start)s")
    .replace(":end", "%(end)s")
    .replace(":locations", "%(locations)s")
    .replace(":program", "%(program)s")
    .replace(":level", "%(level)s")
    .replace(":instructor", "%(instructor)s")
)
TZ = "UTC"  # replaced by the measured location's zone in _pick

_BUSIEST = """
select s.location_id, l.timezone, count(*) from academy.sessions s
  join academy.locations l on l.id = s.location_id
 where s.starts_at >= %(start)s and s.starts_at < %(end)s and s.is_active
 group by 1, 2 order by 3 desc limit 1
"""


def _pick(server: str, url: str, rng: random.Random) -> dict:
    """The busiest location of this week in the seeded database, its busiest instructor,
    its students and upcoming sessions, and a front-desk and an instructor login."""
    global TZ
    monday = date.today() - timedelta(days=date.today().weekday())
    ids: dict = {"monday": monday}
    with psycopg.connect(url, autocommit=True) as conn:
        start, end = week_bounds(monday, ZoneInfo("UTC"))
        loc, TZ, _ = conn.execute(_BUSIEST, {"start": start, "end": end}).fetchone()
        ids["locations"] = [loc]
        ids["instructor_id"] = conn.execute(
            "select instructor_id from academy.sessions where location_id = %s"
            " and starts_at >= %s and starts_at < %s group by 1 order by count(*) desc limit 1",
            (loc, start, end),
        ).fetchone()[0]
        ids["pool"] = [
            r[0]
            for r in conn.execute(
                "select instructor_id from academy.instructor_location_assignments"
                " where location_id = %s order by instructor_id",
                (loc,),
            )
        ]
        ids["programs"] = [
            r[0]
            for r in conn.execute(
                "select program_id from academy.location_programs where location_id = %s"
                " order by program_id",
                (loc,),
            )
        ]
        ids["students"] = [
            r[0]
            for r in conn.execute(
                "select id from academy.students where location_id = %s and is_active"
                " order by id limit 3000",
                (loc,),
            )
        ]
        ids["sessions"] = [
            r[0]
            for r in conn.execute(
                "select id from academy.sessions where location_id = %s and status = 'scheduled'"
                " and starts_at > now() and starts_at < now() + interval '28 days'",
                (loc,),
            )
        ]
        # provisioning links the instructor to the bench login: put the real link back after
        ids["instructor_user"] = conn.execute(
            "select user_id from academy.instructors where id = %s", (ids["instructor_id"],)
        ).fetchone()[0]
        for kind, extra in (
            ("front_desk", {}),
            ("instructor", {"instructor_id": ids["instructor_id"]}),
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
                location_ids=[loc],
                **extra,
            )
            ids[kind] = role_url(url, role, password).replace("+psycopg", "")
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
    server = server_url(args.url)
    url, throwaway = seeded(server, args.scale)
    ids: dict = {}
    try:
        ids = _pick(server, url, rng)
        results = _measure(ids, args.repeat, rng)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            if "instructor_user" in ids:
                conn.execute(
                    "update academy.instructors set user_id = %s where id = %s",
                    (ids["instructor_user"], ids["instructor_id"]),
                )
            if _REQUESTS:  # the bookings this run made: the shared database keeps no trace
                conn.execute(
                    "delete from academy.session_waitlists where client_request_id = any(%s)",
                    (_REQUESTS,),
                )
                conn.execute(
                    "delete from academy.session_bookings where client_request_id = any(%s)",
                    (_REQUESTS,),
                )
            _forget_accounts(conn, _ROLES)
        if throwaway:
            drop_database(server, url)
        with psycopg.connect(server, autocommit=True) as conn:
            for role in _ROLES:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    report("calendar", args.scale, results)


def _forget_accounts(conn: psycopg.Connection, roles: list[str]) -> None:
    """The run's accounts leave the shared database with their roles (each run used to
    leave two ``users`` rows behind)."""
    users = "(select id from academy.users where role_name = any(%s))"
    for table in ("user_location_assignments", "user_program_assignments",
                  "password_reset_tokens"):
        conn.execute(f"delete from academy.{table} where user_id in {users}", (roles,))
    conn.execute("delete from academy.users where role_name = any(%s)", (roles,))


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
        results["generate_term"] = _generate_term(ids["front_desk"], ids, loc0)
        results["book_session"] = _bookings(desk, ids, repeat, rng)
    del app
    return results


def _server_side(conn: psycopg.Connection, monday: date, repeat: int, **filters: object) -> dict:
    """Planning + execution time the server reports (EXPLAIN ANALYZE), without client and
    network. TIMING OFF: per-node clocks cost more than the query on this class of
    machine (a 0.2 ms instructor week read 15 ms with them on)."""
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
        plan = conn.execute(
            "explain (analyze, timing off, format json) " + WEEK_SQL, params
        ).fetchone()[0]
        samples.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
    return percentiles(samples)


def _generate_term(desk_url: str, ids: dict, loc0: object) -> dict:
    """Seven daily slots, Monday to Saturday, 12 weeks (~500 sessions) far enough ahead
    to be free, generated in batches of 100 as the desk; rolled back at the end so the
    shared database never fills up with benchmark terms."""
    start_day = ids["monday"] + timedelta(weeks=60)
    pool = ids["pool"] or [ids["instructor_id"]]
    created = 0
    with psycopg.connect(desk_url) as desk:
        began = time.perf_counter()
        for slot in range(7):
            spec = PatternSpec(
                (1, 2, 3, 4, 5, 6),
                datetime.min.time().replace(hour=8 + slot * 2),
                60,
                start_day,
                start_day + timedelta(weeks=12) - timedelta(days=1),
                TZ,
            )
            pid = desk.execute(
                "insert into academy.recurring_patterns (location_id, program_id, instructor_id,"
                " title, rrule, dtstart, duration_minutes, timezone, start_date, end_date,"
                " capacity) values (%s, %s, %s, 'Term', %s, %s, 60, %s, %s, %s, 10) returning id",
                (
                    loc0,
                    ids["programs"][0],
                    pool[slot % len(pool)],  # one instructor per slot: no double bookings
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
        desk.rollback()
    return {"total_ms": round(elapsed, 1), "sessions": created}


_REQUESTS: list[uuid.UUID] = []  # client_request_ids of this run's bookings (deleted after)


def _bookings(desk: psycopg.Connection, ids: dict, repeat: int, rng: random.Random) -> dict:
    pairs = set()
    while len(pairs) < repeat + 5:
        pairs.add((rng.choice(ids["sessions"]), rng.choice(ids["students"])))
    todo = list(pairs)

    def book() -> None:
        session, student = todo.pop()
        request = uuid.uuid4()
        _REQUESTS.append(request)
        desk.execute(
            "select * from academy.book_session(%s, %s, %s, true)", (session, student, request)
        )

    return percentiles(time_calls(book, repeat))


if __name__ == "__main__":
    main()
