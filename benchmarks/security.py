"""What row-level security costs the front desk (issue 3): its hot queries - student
search, today's sessions and rosters of its location, a student's balance, the week
schedule, and the student view - as the real `desk_riverside` login under RLS, against
exactly the same work done by the superuser, whom RLS does not narrow.

Both sides call the app's own query functions (academy_desktop/db/queries) through an
AsyncSession like DbRunner, interleaved call by call so machine load hits both alike.
SECURITY DEFINER readers (search_people, desk_roster, ...) run as their owner on either
side; for the superuser every definer function that asks who is calling is cloned into
pg_temp with the scope helpers replaced by the desk's actual values, so the baseline
returns the same rows (checked) minus only the cost of working out who is asking.
Goal: ratio_vs_owner (p50 RLS / p50 owner) <= 1.3 on every metric; roster_plain_rls
(the roster rows through plain RLS, not what the app runs) shows the bookings policy.

    python3 dev.py bench security [--scale large] [--repeat N] [--url SUPERUSER_URL]
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db.demo_accounts import demo_account
from academy_desktop.db.queries import calendar as calq
from academy_desktop.db.queries import checkin as cq
from academy_desktop.db.queries import ledger as lq
from academy_desktop.db.queries import students as sq
from benchmarks._database import drop_database, role_url, seeded, server_url
from benchmarks._harness import SessionRunner, parse_args, percentiles, report

DESK = "desk_riverside"
GOAL = 1.3

Work = Callable[[Any], Awaitable[Any]]


#: the scope helpers (0005) and the SQL type of what each returns
HELPERS = {"my_kind": "text", "my_user_id": "uuid", "my_parent_id": "uuid",
           "my_instructor_id": "uuid", "is_super_admin": "boolean",
           "my_location_ids": "uuid[]", "my_program_ids": "uuid[]",
           "my_student_ids": "uuid[]", "my_session_ids": "uuid[]"}
_ASKS_WHO = re.compile(r"session_user|\b(?:" + "|".join(HELPERS) + r")\(\)")


@dataclasses.dataclass
class Clones:
    """pg_temp copies of the SECURITY DEFINER functions that ask who is calling, with
    each scope helper replaced by what it returns for the desk; ``unreplayable`` are
    those that still ask (session_user): the owner side must not call them."""

    ddl: list[str]
    names: set[str]
    unreplayable: set[str]

    def rewrite(self, sql: str, strict: bool = True) -> str:
        for name in self.unreplayable if strict else ():
            if f"academy.{name}(" in sql:
                raise SystemExit(f"academy.{name} asks who is calling in a way the owner "
                                 "side cannot replay; extend benchmarks/security.py")
        for name in self.names:
            sql = re.sub(rf"\bacademy\.{name}\(", f"pg_temp.{name}(", sql)
        return sql


class OwnerSession:
    """Hands the app's statements to the session with calls of scope-asking definer
    functions pointed at their pg_temp clones; SQL, binding and row building unchanged."""

    def __init__(self, session: Any, clones: Clones) -> None:
        self._session = session
        self._clones = clones

    async def execute(self, statement: Any, params: Any = None) -> Any:
        from sqlalchemy import text

        return await self._session.execute(text(self._clones.rewrite(str(statement))), params)


def _literal(value: Any, kind: str) -> str:
    if value is None:
        return f"(NULL::{kind})"
    if isinstance(value, list):
        return "('{" + ",".join(str(v) for v in value) + f"}}'::{kind})"
    return f"('{value}'::{kind})"


def owner_clones(superuser_url: str, desk_url: str) -> Clones:
    """Clone every definer function that asks who is calling (helpers read once, as the
    desk); the clones are tried on a throw-away connection so a bad one is left out."""
    with psycopg.connect(desk_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        values = conn.execute("select " + ", ".join(f"academy.{h}()" for h in HELPERS)
                              ).fetchone()
    assert values is not None
    with psycopg.connect(superuser_url) as conn:
        rows = conn.execute(
            "select p.proname, pg_get_functiondef(p.oid) from pg_proc p"
            " where p.pronamespace = 'academy'::regnamespace and p.prosecdef"
            " and p.prokind = 'f' and not p.proname = any(%s)",
            ([*HELPERS, "whoami"],)).fetchall()
    bodies: dict[str, str] = {}
    unreplayable: set[str] = set()
    for name, body in rows:
        if not _ASKS_WHO.search(body):
            continue
        for (helper, kind), value in zip(HELPERS.items(), values, strict=True):
            body = re.sub(rf"(?:\bacademy\.)?\b{helper}\(\)", _literal(value, kind), body)
        if "session_user" in body:
            unreplayable.add(name)
        else:
            bodies[name] = body.replace("CREATE OR REPLACE FUNCTION", "CREATE FUNCTION", 1)
    clones = Clones(["SET LOCAL check_function_bodies = off"], set(bodies), unreplayable)
    with psycopg.connect(superuser_url) as conn:
        conn.execute("SET check_function_bodies = off")
        for name, body in bodies.items():
            try:
                with conn.transaction():
                    conn.execute(clones.rewrite(body, strict=False))
                clones.ddl.append(clones.rewrite(body, strict=False))
            except psycopg.Error:
                clones.names.discard(name)
                clones.unreplayable.add(name)
    return clones


def _fixtures(url: str, rng: random.Random) -> dict[str, Any]:
    """The desk's location, its day, students with history, and search terms."""
    with psycopg.connect(url) as conn:
        location = conn.execute("select id from academy.locations where name = 'Riverside'"
                                ).fetchone()[0]  # type: ignore[index]
        # its next open day (today unless the location is closed: the seed closes on
        # public holidays, and a roster ratio over no rows measures nothing)
        day = conn.execute(
            "select coalesce(min(s.session_date), academy.location_today(%(l)s))"
            " from academy.sessions s where s.location_id = %(l)s and s.is_active"
            " and s.session_date between academy.location_today(%(l)s)"
            " and academy.location_today(%(l)s) + 7", {"l": location}).fetchone()[0]  # type: ignore[index]
        busy = [r[0] for r in conn.execute(
            "select b.student_id from academy.session_bookings b"
            " join academy.students s on s.id = b.student_id"
            " where s.location_id = %s and b.session_date between %s - 60 and %s"
            " group by b.student_id order by count(*) desc, b.student_id limit 200",
            (location, day, day))]
        names = [r[0] for r in conn.execute(
            "select last_name from academy.students where location_id = %s"
            " order by md5(id::text) limit 60", (location,))]
        body = conn.execute("select to_regprocedure('academy.student_panels_body(uuid, date,"
                            " timestamptz, date, boolean, uuid[], uuid[])')").fetchone()
    terms = [n[:k].lower() for n in names for k in (3, 5) if len(n) >= k]
    rng.shuffle(busy)
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(), dt.UTC)
    return {"location": location, "day": day, "students": busy[:40] or [None],
            "panels_body": body is not None and body[0] is not None,
            "terms": terms, "week": (start, start + dt.timedelta(days=7))}


def _metrics(fx: dict[str, Any], clones: Clones) -> dict[str, Callable[[int, bool], Work]]:
    """metric -> (i, as_owner) -> work; the same i gives both sides the same input."""
    loc, day, kids, terms = fx["location"], fx["day"], fx["students"], fx["terms"]

    def s(session: Any, owner: bool) -> Any:
        return OwnerSession(session, clones) if owner else session

    def search(i: int, owner: bool) -> Work:
        return lambda ss: sq.search_people(s(ss, owner), terms[i % len(terms)])

    def roster(i: int, owner: bool) -> Work:
        async def go(ss: Any) -> list[Any]:
            today = await cq.today_sessions(s(ss, owner), [loc], day)
            return await cq.rosters(s(ss, owner), [t.session_id for t in today], day)
        return go

    def roster_rls(i: int, owner: bool) -> Work:
        async def go(ss: Any) -> list[Any]:  # the same roster rows through plain RLS
            from sqlalchemy import text
            today = await cq.today_sessions(ss, [loc], day)
            sql = re.sub(r"%\((\w+)\)s", r":\1", cq.RLS_ROSTER_SQL)
            return (await ss.execute(text(sql), {"day": day,
                                                 "ids": [t.session_id for t in today]})).all()
        return go

    def balance(i: int, owner: bool) -> Work:
        return lambda ss: lq.balances(s(ss, owner), [kids[i % len(kids)]])

    def week(i: int, owner: bool) -> Work:
        start, end = fx["week"]
        return lambda ss: calq.week_sessions(s(ss, owner), start, end, location_ids=[loc])

    def student_view(i: int, owner: bool) -> Work:
        return lambda ss: sq.student_detail(s(ss, owner), kids[i % len(kids)], today=day)

    def view_rls(i: int, owner: bool) -> Work:
        async def go(ss: Any) -> Any:  # every panel through plain RLS (0011's body)
            from sqlalchemy import text
            return (await ss.execute(text(_PANELS_RLS), {
                "id": kids[i % len(kids)], "today": day, "since": day - dt.timedelta(days=365),
                "now": dt.datetime.combine(day, dt.time(), dt.UTC)})).scalar()
        return go

    metrics = {"student_search": search, "today_roster": roster, "roster_plain_rls": roster_rls,
               "student_balance": balance, "week_schedule": week, "student_view": student_view}
    if fx["panels_body"]:
        metrics["student_view_plain_rls"] = view_rls
    return metrics


#: the student view's panels as RLS shows them (0011's body, scope left to the policies)
_PANELS_RLS = ("select academy.student_panels_body(:id, :today, :now, :since,"
               " true, null, null)")


def _size(result: Any) -> int:
    """Rows a call returned (a student view: the rows of all its panels)."""
    if isinstance(result, dict):
        return sum(len(v) for v in result.values() if isinstance(v, list))
    if hasattr(result, "rows"):
        return len(result.rows)
    if isinstance(result, Sequence):
        return len(result)
    parts = [getattr(result, f.name) for f in dataclasses.fields(result)]
    return sum(len(v) for v in parts if isinstance(v, tuple))


def _compare(desk: SessionRunner, owner: SessionRunner, make: Callable[[int, bool], Work],
             repeat: int) -> dict[str, Any]:
    """Interleave desk and owner calls on the same inputs; same row counts required."""
    samples: dict[bool, list[float]] = {False: [], True: []}
    rows = {False: 0, True: 0}
    for i in range(-5, repeat):  # five warm-up rounds
        for as_owner in ((False, True) if i % 2 else (True, False)):
            runner = owner if as_owner else desk
            work = make(i, as_owner)
            start = time.perf_counter()
            got = runner.call(work)
            elapsed = (time.perf_counter() - start) * 1000
            if i >= 0:
                samples[as_owner].append(elapsed)
                rows[as_owner] += _size(got)
    if rows[False] != rows[True]:
        raise SystemExit(f"desk and owner got different rows ({rows[False]} vs {rows[True]})")
    rls, base = percentiles(samples[False]), percentiles(samples[True])
    return {**rls, "owner_p50_ms": base["p50_ms"], "owner_p95_ms": base["p95_ms"],
            "ratio_vs_owner": round(rls["p50_ms"] / base["p50_ms"], 2),
            "ratio_p95": round(rls["p95_ms"] / base["p95_ms"], 2),
            "rows_per_call": round(rows[False] / max(1, repeat), 1),
            "meets_goal": rls["p50_ms"] / base["p50_ms"] <= GOAL}


def run(url: str, repeat: int, only: list[str] | None) -> dict[str, Any]:
    """Every metric (or those in ``only``) on the seeded database at superuser ``url``."""
    account = demo_account(DESK)
    desk_url = role_url(url, account.role_name, account.password)
    fx = _fixtures(url, random.Random(3))
    desk = SessionRunner(desk_url, pool_size=1)
    clones = owner_clones(url, desk_url)
    owner = SessionRunner(url, on_connect=";\n".join(clones.ddl), pool_size=1)
    results: dict[str, Any] = {}
    try:
        for name, make in _metrics(fx, clones).items():
            if not only or name in only:
                results[name] = _compare(desk, owner, make, repeat)
    finally:
        desk.close()
        owner.close()
    return results


def main() -> None:
    args = parse_args("security", lambda p: p.add_argument(
        "--only", action="append", help="run just this metric (repeatable)"))
    server = server_url(args.url)
    with contextlib.redirect_stdout(sys.stderr):  # the seed reports progress: stdout is JSON only
        url, throwaway = seeded(server, args.scale)
    try:
        results = run(url, args.repeat, args.only)
    finally:
        if throwaway:
            drop_database(server, url)
    report("security", args.scale, results)


if __name__ == "__main__":
    main()
