"""Demo and benchmark data: `seed_demo(url, scale=..., seed=...)` fills an empty,
migrated database with a realistic academy (the spec's "Data Seeding Strategy" and
"Testing Data"), reproducibly for a given seed.

One code path for every scale: `small` is the desk demo (three locations, ~180
students, six months of sessions around today), `large`/`huge` are the benchmark sizes.
Everything is loaded with COPY inside one transaction; see docs/demo-data.md.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from academy_desktop.db.migrate import libpq_url
from academy_desktop.db.seed import activity, finishing, ledger, people, sessions, staff
from academy_desktop.db.seed.copying import Progress, copy_rows, shuffled
from academy_desktop.db.seed.curriculum import load_curriculum
from academy_desktop.db.seed.indexes import deferred_indexes
from academy_desktop.db.seed.scales import Scale, get_scale
from academy_desktop.db.seed.timetable import Filler, plan_groups

__all__ = ["SeedSummary", "seed_demo"]


@dataclass(frozen=True)
class SeedSummary:
    counts: dict[str, int]
    seconds: float

    def line(self) -> str:
        parts = ", ".join(f"{n:,} {table}" for table, n in self.counts.items())
        return f"Seeded in {self.seconds:.1f}s: {parts}"


def seed_demo(url: str, *, scale: str = "small", seed: int = 2026,
              only_if_empty: bool = False) -> SeedSummary | None:
    """Seed the database at `url` (a superuser URL); None when skipped as non-empty."""
    started = time.perf_counter()
    with psycopg.connect(libpq_url(url)) as conn:
        has_students = conn.execute("select exists (select from academy.students)").fetchone()
        if has_students and has_students[0]:
            if only_if_empty:
                print("Demo data already present")
                return None
            raise RuntimeError("academy.students is not empty: seed an empty database")
        with deferred_indexes(conn):  # rebuilt once after the COPYs (see indexes.py)
            counts = _generate(conn, get_scale(scale), seed)
        conn.commit()
        conn.autocommit = True
        finishing.refresh_and_analyze(conn)
    summary = SeedSummary(counts, time.perf_counter() - started)
    print(summary.line())
    return summary


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _generate(conn: psycopg.Connection[Any], scale: Scale, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    today = datetime.now(sessions.ZONE).date()
    first = today - timedelta(days=round(30.44 * scale.months_back))
    last = today + timedelta(days=round(30.44 * scale.months_ahead))
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for table in ("session_bookings", "student_attendance"):
        conn.execute("select academy.ensure_monthly_partitions(%s::regclass, %s, %s)",
                     (f"academy.{table}", first, months))
    counts: dict[str, int] = {}
    pools = people.NamePools(seed, 400 if scale.students < 10_000 else 3000)
    locations, location_rows = people.make_locations(scale.locations, rng, pools)
    counts["locations"] = copy_rows(conn, "locations", people.LOCATION_COLUMNS, location_rows,
                                    bulk=True)
    tree = load_curriculum(conn, rng, datetime.now(sessions.ZONE))
    copy_rows(conn, "location_programs", ("location_id", "program_id", "starts_on"),
              [(loc.id, pid, first - timedelta(days=900)) for loc in locations
               for pid in tree.program_ids.values()], bulk=True)
    team = staff.make_staff(rng, pools, locations, scale.instructors_per_location, tree, today)

    maker = people.FamilyMaker(rng, pools, today)
    demo_family = maker.new_family(locations[0], "Bennett", (("Olivia", "Bennett", "mother"),
                                                             ("Daniel", "Bennett", "father")))
    kids = [maker.new_student(locations[0], age, demo_family) for age in (7, 10)]
    filler = Filler(rng, maker, today, first, kids)
    weights = [2.0 if loc.index == 0 else rng.uniform(0.6, 1.4) for loc in locations]
    seats = int(scale.students * 1.05 * scale.class_share)
    groups = plan_groups(rng, tree, locations, team, filler, seats, weights)
    leaves = staff.add_time_off(team, rng, today, max(2, len(team.instructors) // 10))
    for key, (table, columns) in staff.STAFF_COLUMNS.items():
        copy_rows(conn, table, columns, team.rows[key], bulk=True)
    counts["instructors"] = len(team.instructors)
    while len(maker.students) < scale.students:  # former students, no current class
        maker.new_student(rng.choice(locations), rng.randint(5, 17))
    counts |= _load_people(conn, rng, maker, groups, tree.program_ids, today)

    closures = sessions.closure_days(first, last, today)
    maintenance = {(loc.id, first + timedelta(days=rng.randint(7, 60))): "Pool maintenance"
                   for loc in locations}
    pattern_rows = [sessions.pattern_row(g, first, last, sorted(
        d for d in closures if d.isoweekday() == g.weekday), g.curriculum.program_id)
        for g in groups]
    counts["recurring_patterns"] = copy_rows(conn, "recurring_patterns", sessions.PATTERN_COLUMNS,
                                             pattern_rows, bulk=True)
    occurrences = [occ for g in groups for occ in
                   sessions.expand(rng, g, first, last, set(closures), today, maintenance)]
    occurrences.sort(key=lambda o: o.starts_at)
    counts |= _load_activity(conn, rng, scale, occurrences, groups, today, first)
    counts["schedule_conflicts"] = copy_rows(
        conn, "schedule_conflicts", finishing.CONFLICT_COLUMNS,
        finishing.conflict_rows(occurrences, leaves, closures, today), bulk=True)
    ids = {"locations": {loc.name: loc.id for loc in locations}, "programs": tree.program_ids,
           "instructor": team.instructors[0].id, "parent": demo_family.parents[0][0]}
    counts["logins"] = finishing.provision_demo_logins(conn, ids)
    return counts


def _load_people(conn: psycopg.Connection[Any], rng: random.Random, maker: people.FamilyMaker,
                 groups: list[Any], program_ids: dict[str, Any], today: date) -> dict[str, int]:
    joined: dict[Any, date] = {}
    # the primary program is that of the latest enrollment: the one whose level the list
    # and search show (a kid who started in swimming and moved to basketball is "Basketball")
    primary: dict[Any, tuple[date, Any]] = {}
    for group in groups:
        for student, enrolled_on in group.members:
            started = enrolled_on - timedelta(days=rng.randint(0, 100 * group.level.number))
            joined[student.id] = min(started, joined.get(student.id, date.max))
            if enrolled_on >= primary.get(student.id, (date.min, None))[0]:
                primary[student.id] = (enrolled_on, program_ids[group.program.name])
    first_program = {sid: program for sid, (_on, program) in primary.items()}
    for student in maker.students:
        joined.setdefault(student.id, today - timedelta(days=rng.randint(200, 1500)))
    order = sorted(maker.students, key=lambda s: (joined[s.id], s.id))
    rows = [people.student_row(rng, s, n, joined[s.id], first_program.get(s.id), maker.pools)
            for n, s in enumerate(order, start=1)]
    return {
        "parents": copy_rows(conn, "parents", people.PARENT_COLUMNS,
                             shuffled(maker.parent_rows, rng), bulk=True),
        "students": copy_rows(conn, "students", people.STUDENT_COLUMNS, shuffled(rows, rng),
                              bulk=True),
        "student_parent_relationships": copy_rows(conn, "student_parent_relationships",
                                                  people.LINK_COLUMNS,
                                                  shuffled(maker.link_rows, rng), bulk=True),
    }


def _load_activity(conn: psycopg.Connection[Any], rng: random.Random, scale: Scale,
                   occurrences: list[sessions.Occurrence], groups: list[Any], today: date,
                   first: date) -> dict[str, int]:
    show = scale.show_progress and sys.stderr.isatty()
    counts: dict[str, int] = {}
    seats = sum(len(o.codes) for o in occurrences)
    past = sum(len(o.codes) for o in occurrences if o.day < today)

    def load(table: str, columns: tuple[str, ...], rows: Any, total: int) -> None:
        bar = Progress(table, total, show)
        counts[table] = copy_rows(conn, table, columns, rows, bulk=True, progress=bar)
        bar.finish()

    load("sessions", sessions.SESSION_COLUMNS,
         (sessions.session_row(o, today, first, o.group.curriculum.program_id)
          for o in occurrences), len(occurrences))
    enrollments, enrollment_rows = ledger.enrollment_rows(groups, rng)
    load("student_enrollments", ledger.ENROLLMENT_COLUMNS, shuffled(enrollment_rows, rng),
         len(enrollment_rows))
    load("session_bookings", activity.BOOKING_COLUMNS, activity.booking_rows(occurrences, rng),
         seats)
    load("student_attendance", activity.ATTENDANCE_COLUMNS,
         activity.attendance_rows([o for o in occurrences if o.day < today], rng), past)
    load("student_progress", activity.PROGRESS_COLUMNS,
         activity.progress_rows(occurrences, rng, scale.progress_every_weeks, today, first),
         past * 4 // scale.progress_every_weeks)
    load("session_waitlists", activity.WAITLIST_COLUMNS,
         activity.waitlist_rows(occurrences, rng, today), len(groups))
    # bulk loads skip triggers: set what 0013's waitlist trigger keeps (sessions.waiting_count)
    conn.execute("SET LOCAL session_replication_role = replica")
    conn.execute("UPDATE academy.sessions s SET waiting_count = w.n FROM (SELECT session_id,"
                 " count(*) AS n FROM academy.session_waitlists WHERE status IN ('waiting',"
                 " 'offered') GROUP BY session_id) w WHERE s.id = w.session_id")
    conn.execute("SET LOCAL session_replication_role = origin")
    book = ledger.Ledger(rng, today, first)
    load("student_financial_records", ledger.LEDGER_COLUMNS,
         book.rows(enrollments, [o for o in occurrences if o.cancelled]), len(enrollments) * 8)
    students = conn.execute("select count(*) from academy.students").fetchone()
    finishing.move_sequences(conn, students[0] if students else 0, book.receipt)
    return counts
