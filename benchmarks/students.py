"""Students timings against a real server: search per keystroke (3+ characters, 1-2
characters, student number, phone), a students-list page (first and deep, server-sorted),
opening a student with every panel - as the demo front desk under RLS, and the same work by
a role RLS does not narrow (super admin for search, the owner for plain SQL) - and, in the
real widget offscreen, a keystroke to the result rows painted (after the debounce).

Data: ``benchmarks/_database.seeded`` (``--scale large`` reuses the shared, already seeded
``academy_bench_large``; small seeds a throwaway database). Targets (issue 5): search 3+
chars p95 <= 5 ms at large, <= 15 ms at huge; 1-2 chars p95 <= 10 ms; RLS/owner <= 1.5;
open a student <= 50 ms; a list page <= 10 ms; keystroke to painted rows <= 50 ms.
The tables search reads are loaded into shared buffers first (``_warm``).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db.demo_accounts import DEMO_ACCOUNTS
from academy_desktop.db.queries import families
from academy_desktop.db.queries import students as queries
from academy_desktop.domain.students import SortKey, StudentFilter
from benchmarks._database import drop_database, role_url, seeded, server_url
from benchmarks._harness import SessionRunner, parse_args, percentiles, report, time_calls


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def _queries(url: str, location: Any, rng: random.Random) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        conn.execute("select setseed(0.5)")  # the same people every run: runs compare
        people = conn.execute(
            "select first_name, last_name, student_number from academy.students"
            " where location_id = %s order by random() limit 60", (location,)).fetchall()
        phones = [r[0] for r in conn.execute(
            "select phone from academy.parents where location_id = %s and phone is not null"
            " order by random() limit 30", (location,))]
    three = []
    for first, last, _number in people:
        three += [last[:3].lower(), last[:5].lower(), _typo(f"{first} {last}".lower(), rng)]
    return {"search_3plus": three, "search_1_2": [p[1][:rng.choice((1, 2))] for p in people],
            "search_number": [p[2] for p in people],
            "search_phone": [p[-7:] for p in phones]}


def _time_each(runner: SessionRunner, make: Callable[[str], Callable[[Any], Awaitable[Any]]],
               items: list[str], repeat: int) -> dict[str, float]:
    calls = [make(item) for item in items]
    counter = iter(range(10**9))
    return percentiles(time_calls(lambda: runner.call(calls[next(counter) % len(calls)]),
                                  repeat))


def _timed(runner: SessionRunner, work: Callable[[Any], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    runner.call(work)
    return (time.perf_counter() - start) * 1000


def _server(url: str, statement: str, params: list[tuple[Any, ...]],
            repeat: int) -> dict[str, float]:
    """Planning + execution time the server reports (EXPLAIN ANALYZE, TIMING OFF) as the
    same role: the database's share, without the client, the network and the load on it."""
    samples = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1),
                         autocommit=True) as conn:
        for i in range(repeat + 5):
            plan = conn.execute("explain (analyze, timing off, summary) " + statement,
                                params[i % len(params)]).fetchall()
            if i >= 5:  # warm-up: a pooled connection has its plans cached
                samples.append(sum(float(line.split(":")[1].split()[0])
                                   for (line,) in plan if line.endswith(" ms")))
    found = percentiles(samples)
    return {"server_p50_ms": found["p50_ms"], "server_p95_ms": found["p95_ms"]}


#: what a keystroke's search and a list page read (tables and every index on them)
_SEARCHED = ("students", "parents", "student_parent_relationships", "search_words",
             "search_word_people", "locations", "programs", "levels", "student_enrollments")


def _warm(url: str) -> None:
    """Load what search reads into shared buffers, as on a server that has been taking
    searches all day (pg_prewarm's autoprewarm restores the same after a restart):
    otherwise every first use of an index page is an OS read, and a benchmark of
    never-repeated keystrokes would time the disk cache, not the query. The extension
    is dropped again: the shared database keeps nothing."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create extension if not exists pg_prewarm with schema extensions")
        try:
            conn.execute(
                "select extensions.pg_prewarm(c.oid) from pg_class c"
                " left join pg_index i on i.indexrelid = c.oid"
                " where c.relnamespace = 'academy'::regnamespace and c.relkind in ('r', 'i')"
                " and coalesce(i.indrelid, c.oid)::regclass::text"
                " = any(array(select 'academy.' || unnest(%s::text[])))", (list(_SEARCHED),))
        finally:
            conn.execute("drop extension pg_prewarm")


def main() -> None:
    args = parse_args("students")
    server = server_url(args.url)
    url, throwaway = seeded(server, args.scale)
    try:
        _run(args, url)
    finally:
        if throwaway:  # the shared large database is reused by every benchmark: never drop it
            drop_database(server, url)


def _run(args: Any, url: str) -> None:
    desk = next(a for a in DEMO_ACCOUNTS if a.role_name == "desk_riverside")
    admin = next(a for a in DEMO_ACCOUNTS if a.kind == "super_admin")
    with psycopg.connect(url) as conn:
        location = conn.execute("select id from academy.locations where name = 'Riverside'"
                                ).fetchone()[0]  # type: ignore[index]
        some = [r[0] for r in conn.execute(
            "select id from academy.students where location_id = %s order by random()"
            " limit 50", (location,))]
    rng = random.Random(5)
    terms = _queries(url, location, rng)
    _warm(url)
    rls = SessionRunner(role_url(url, desk.role_name, desk.password))
    wide = SessionRunner(role_url(url, admin.role_name, admin.password))
    owner = SessionRunner(url)
    results: dict[str, dict[str, Any]] = {}
    try:
        for name, items in terms.items():
            def search(q: str) -> Callable[[Any], Awaitable[Any]]:
                return lambda s: queries.search_people(s, q)
            results[name] = _time_each(rls, search, items, args.repeat)
            base = _time_each(wide, search, items, args.repeat)
            results[name]["unscoped_p95_ms"] = base["p95_ms"]
            results[name]["ratio_p95"] = round(results[name]["p95_ms"] / base["p95_ms"], 2)
            results[name] |= _server(role_url(url, desk.role_name, desk.password),
                                     "select * from academy.search_people(%s, 50)",
                                     [(q,) for q in items], args.repeat)
        mine = StudentFilter(location_id=None)
        scoped = StudentFilter(location_id=location)
        for name, offset in (("students_page_first", 0), ("students_page_deep", 1000)):
            def page(_: str, off: int = offset, f: StudentFilter = mine) -> Any:
                return lambda s: queries.list_students(s, f, SortKey.NAME, False, off)

            def page_owner(_: str, off: int = offset) -> Any:
                return lambda s: queries.list_students(s, scoped, SortKey.NAME, False, off)
            results[name] = _time_each(rls, page, ["x"], args.repeat)
            base = _time_each(owner, page_owner, ["x"], args.repeat)
            results[name]["owner_p95_ms"] = base["p95_ms"]
            results[name]["ratio_p95"] = round(results[name]["p95_ms"] / base["p95_ms"], 2)
            results[name] |= _server(  # the page function's share (0018), as the desk
                role_url(url, desk.role_name, desk.password),
                "select * from academy.students_page('name', false, null, null, null, true,"
                " %s, %s)", [(offset, queries.PAGE_SIZE + 1)], args.repeat)

        def detail(sid: Any) -> Callable[[Any], Awaitable[Any]]:
            return lambda s: queries.student_detail(s, sid)
        # a first visit reads the student's rows from disk (bookings, attendance partitions):
        # timed once on its own, then desk and owner both measured on warm data
        first = percentiles([_timed(rls, detail(sid)) for sid in some])
        results["open_student"] = _time_each(rls, detail, some, max(20, args.repeat // 4))
        results["open_student"]["first_visit_p50_ms"] = first["p50_ms"]
        results["open_student"]["first_visit_p95_ms"] = first["p95_ms"]
        base = _time_each(owner, detail, some, max(20, args.repeat // 4))
        results["open_student"]["owner_p95_ms"] = base["p95_ms"]
        results["open_student"]["ratio_p95"] = round(
            results["open_student"]["p95_ms"] / base["p95_ms"], 2)
        results["open_student"] |= _server(
            role_url(url, desk.role_name, desk.password),
            "select academy.student_panels(%s, current_date, now(), current_date - 365)",
            [(sid,) for sid in some], max(20, args.repeat // 4))
        # the families workspace's first page (500 families, name order): no goal in the
        # issue; here so a return of the 163 s plan (fixed in 0020) shows
        for name, runner in (("families_page", rls), ("families_page_super_admin", wide)):
            results[name] = _time_each(
                runner, lambda _: lambda s: families.list_families(s), ["x"],
                max(10, args.repeat // 10))
    finally:
        for runner in (rls, wide, owner):
            runner.close()
    from benchmarks._students_widget import keystroke_to_paint

    results["keystroke_to_paint"] = keystroke_to_paint(
        role_url(url, desk.role_name, desk.password), terms["search_3plus"][:40])
    report("students", args.scale, results)


if __name__ == "__main__":
    main()
