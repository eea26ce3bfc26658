"""Recurring patterns end to end as a real front-desk login: preview flags a double
booking, a closure and time outside availability; generation in batches creates the
rest; cancelling one / following occurrences; substitutes."""

from __future__ import annotations

import sys
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries import bookings, calendar
from academy_desktop.domain.schedule import ConflictKind, PatternSpec, batched, drop_closed, expand

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from calendar_fixtures import Academy, local, seed_academy
from db_sessions import run_as


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return seed_academy(migrated_db_url)


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday() + 7)


def test_preview_generate_cancel_and_substitute(academy: Academy, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[academy.location_id])
    ana, ben = academy.instructor_ids
    monday = _next_monday()
    academy.add_session(ana, local(academy, monday + timedelta(days=7), 17, 30), title="Busy")
    with academy.connect() as su:
        su.execute(
            "insert into academy.location_closures (location_id, closed_on, reason)"
            " values (%s, %s, 'Holiday')",
            (academy.location_id, monday + timedelta(days=2)),
        )
        su.execute(
            "insert into academy.instructor_availability (instructor_id, weekday, start_time,"
            " end_time, valid_from) values (%s, 1, '16:00', '20:00', %s)",
            (ana, monday),
        )
    spec = PatternSpec(
        weekdays=(1, 3),
        start_time=time(17),
        duration_minutes=60,
        start_date=monday,
        end_date=monday + timedelta(days=20),
        timezone=str(academy.tz),
    )
    occurrences = expand(spec.rrule_text(), spec.dtstart(), spec.duration_minutes)
    assert len(occurrences) == 6

    async def preview(s: AsyncSession) -> Any:
        return await calendar.check_occurrences(
            s, academy.location_id, academy.program_ids[0], ana, occurrences
        )

    conflicts = run_as(desk.url, preview)
    kinds = {i: {c.kind for c in cs} for i, cs in conflicts.items()}
    assert ConflictKind.INSTRUCTOR_DOUBLE_BOOKED in kinds[2]  # the second Monday
    assert ConflictKind.LOCATION_CLOSED in kinds[1]  # the first Wednesday
    assert ConflictKind.INSTRUCTOR_UNAVAILABLE in kinds[1]  # no availability on Wednesdays
    assert 0 not in kinds

    async def generate(s: AsyncSession) -> Any:
        pid = await calendar.create_pattern(
            s,
            location_id=academy.location_id,
            program_id=academy.program_ids[0],
            level_id=None,
            instructor_id=ana,
            title="Juniors",
            spec=spec,
            capacity=8,
        )
        closed = await calendar.closures(s, academy.location_id, spec.start_date, spec.end_date)
        made = []
        for batch in batched(drop_closed(occurrences, closed), 2):
            made += await calendar.generate_batch(s, pid, [o.starts_at for o in batch])
        return pid, made

    pattern_id, made = run_as(desk.url, generate)
    assert len(made) == 5 and sum(1 for _, sid in made if sid is None) == 1
    sessions = run_as(desk.url, lambda s: calendar.pattern_sessions(s, pattern_id))
    assert [x.starts_at.date() for x in sessions] == [
        o.local_date
        for o in occurrences
        if o.local_date not in (monday + timedelta(days=2), monday + timedelta(days=7))
    ]
    with academy.connect() as su:
        soft = su.execute(
            "select count(*) from academy.schedule_conflicts where recurring_pattern_id = %s"
            " and kind = 'instructor_unavailable'",
            (pattern_id,),
        ).fetchone()
    assert soft == (2,)  # the two Wednesdays that were created

    first = sessions[0]
    (kid,) = academy.add_students(1)
    run_as(desk.url, lambda s: bookings.book_session(s, first.id, kid))
    who = run_as(desk.url, lambda s: calendar.cancel_sessions(s, first.id, "one", "Pool closed"))
    assert len(who) == 1 and who[0].startswith("Kid")
    after = run_as(desk.url, lambda s: calendar.pattern_sessions(s, pattern_id))
    assert [x.status for x in after].count("cancelled") == 1

    third = after[2]
    conflicts_sub = run_as(desk.url, lambda s: calendar.assign_substitute(s, third.id, ben))
    assert conflicts_sub == []
    details = run_as(desk.url, lambda s: calendar.session_details(s, third.id))
    assert details.session.instructor_id == ben and details.session.substitute_for
    assert details.pattern_rule and "BYDAY=MO,WE" in details.pattern_rule

    # Ben now teaches the third occurrence: giving him an overlapping class is refused
    late = academy.add_session(ana, third.starts_at + timedelta(minutes=30), title="Late")
    with pytest.raises(sa_exc.IntegrityError, match="sessions_instructor_overlap_excl"):
        run_as(desk.url, lambda s: calendar.assign_substitute(s, late, ben))

    who = run_as(
        desk.url, lambda s: calendar.cancel_sessions(s, after[3].id, "following", "Term ends")
    )
    assert who == []
    final = run_as(desk.url, lambda s: calendar.pattern_sessions(s, pattern_id))
    assert [x.status for x in final] == ["cancelled", "scheduled", "scheduled", "cancelled"]
    with academy.connect() as su:  # the pattern ends the day before: end date and RRULE
        end, rule = su.execute(
            "select end_date, rrule from academy.recurring_patterns where id = %s",
            (pattern_id,),
        ).fetchone()
    assert end == after[3].starts_at.astimezone(academy.tz).date() - timedelta(days=1)
    assert expand(rule, spec.dtstart(), 60)[-1].local_date == after[2].starts_at.date()


def test_generated_term_keeps_wall_clock_across_dst(academy: Academy, login_role: Any) -> None:
    """A Sunday 01:30 class in London over the March change: the skipped 01:30 becomes
    02:30 that day; all other weeks stay at 01:30 local, and session_date is local."""
    desk = login_role("front_desk", locations=[academy.location_id])
    ana = academy.instructor_ids[0]
    year = date.today().year + 1
    spec = PatternSpec(
        weekdays=(7,),
        start_time=time(1, 30),
        duration_minutes=45,
        start_date=date(year, 3, 15),
        end_date=date(year, 4, 12),
        timezone=str(academy.tz),
    )
    occurrences = expand(spec.rrule_text(), spec.dtstart(), spec.duration_minutes)

    async def generate(s: AsyncSession) -> Any:
        pid = await calendar.create_pattern(
            s,
            location_id=academy.location_id,
            program_id=academy.program_ids[0],
            level_id=None,
            instructor_id=ana,
            title="Night swim",
            spec=spec,
            capacity=5,
        )
        await calendar.generate_batch(s, pid, [o.starts_at for o in occurrences])
        return await calendar.pattern_sessions(s, pid)

    sessions = run_as(desk.url, generate)
    local_times = [
        (
            x.starts_at.astimezone(academy.tz).date(),
            x.starts_at.astimezone(academy.tz).strftime("%H:%M"),
        )
        for x in sessions
    ]
    assert len(local_times) == 4
    changed = [t for d, t in local_times if t != "01:30"]
    assert changed == ["02:30"]  # the last Sunday of March has no 01:30
    with academy.connect() as su:
        dates = su.execute(
            "select session_date from academy.sessions where title = 'Night swim' order by 1"
        ).fetchall()
    assert [r[0] for r in dates] == [d for d, _ in local_times]
