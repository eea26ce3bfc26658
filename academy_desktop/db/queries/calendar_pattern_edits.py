"""Editing a recurring class as a class: "all" rewrites its pattern (RRULE, days, time,
length, seats, end date) in place; "this and following" splits it at the chosen
occurrence — the old pattern ends the day before, a new one starts on that day with the
new rule. Then the occurrences are brought in line with the rule, in one transaction.

The rule for what already exists (from the cut day on):
- occurrences that started already, were cancelled or completed, or were changed on
  their own (``sessions.pattern_exception``: time, seats or substitute edited for that
  one occurrence) are kept exactly as they are; their date is not generated again;
- the others on a date the new rule still has are moved to the new time, length and
  seats (bookings and waitlist stay with them);
- the others on a date the new rule dropped are removed: hidden when nobody is booked
  or waiting, otherwise cancelled through academy.cancel_sessions (bookings cancelled
  with the reason, waitlist cleared, makeup credits) and the students are reported;
- dates the new rule adds are generated (closures skipped; a double booking is refused
  by the database and reported). A move that double-books refuses the whole edit.
Sessions before the cut day (history) keep their times and their original pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries.calendar_edits import _record_conflict
from academy_desktop.db.queries.calendar_patterns import (
    check_occurrences,
    end_pattern,
    generate_batch,
)
from academy_desktop.db.queries.calendar_week import closures
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.schedule import (
    WEEKDAY_CODES,
    Conflict,
    Occurrence,
    PatternSpec,
    batched,
    drop_closed,
    expand,
)

REMOVED_REASON = "Class moved to other days"


@dataclass(frozen=True)
class PatternChange:
    """The class as the edit dialog shows it: a weekly rule and its settings."""

    weekdays: tuple[int, ...]  # ISO 1 = Monday
    start_time: time
    duration_minutes: int
    capacity: int
    end_date: date


@dataclass(frozen=True)
class PatternEditResult:
    pattern_id: UUID  # the pattern holding the edited occurrences (a new one when split)
    split: bool
    moved: int
    created: int
    removed: int
    kept: int  # started, cancelled or individually changed occurrences left alone
    cancelled_booked: tuple[str, ...]  # students of removed occurrences that had bookings
    refused: tuple[date, ...]  # new dates the database refused (double booking)
    conflicts: tuple[Conflict, ...]  # soft conflicts recorded for review


_PATTERN_SQL = """
select p.id, p.rrule, p.dtstart, p.duration_minutes, p.timezone, p.start_date, p.end_date,
       p.capacity, p.exdates, me.session_date as cut_day,
       (select max(x.session_date) from academy.sessions x
         where x.recurring_pattern_id = p.id) as last_day
  from academy.sessions me join academy.recurring_patterns p on p.id = me.recurring_pattern_id
 where me.id = :id
   for update of p
"""


def _rule_parts(rule: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in rule.removeprefix("RRULE:").split(";") if "=" in p)


def rule_weekdays(rule: str) -> tuple[int, ...]:
    """ISO weekdays of a weekly RRULE's BYDAY (``MO,WE`` -> (1, 3))."""
    days = _rule_parts(rule).get("BYDAY", "")
    codes = [d[-2:] for d in days.split(",")]
    return tuple(WEEKDAY_CODES.index(c) + 1 for c in codes if c in WEEKDAY_CODES)


async def pattern_change_of(session: AsyncSession, session_id: UUID) -> PatternChange | None:
    """The session's class as a PatternChange (what the edit dialog starts from)."""
    p = (await session.execute(text(_PATTERN_SQL.replace("for update of p", "")),
                               {"id": session_id})).first()
    if p is None:
        return None
    local_start = p.dtstart.astimezone(ZoneInfo(p.timezone))
    return PatternChange(
        weekdays=rule_weekdays(p.rrule) or (local_start.isoweekday(),),
        start_time=local_start.time().replace(tzinfo=None),
        duration_minutes=p.duration_minutes,
        capacity=p.capacity,
        end_date=p.end_date or p.last_day or p.cut_day + timedelta(weeks=12),
    )


async def edit_pattern(
    session: AsyncSession, session_id: UUID, scope: str, change: PatternChange
) -> PatternEditResult:
    """Rewrite (``all``) or split (``following``) the pattern of ``session_id`` and bring
    its occurrences in line (see the module docstring for what is kept)."""
    if scope not in ("following", "all"):
        raise ValueError(scope)
    p = (await session.execute(text(_PATTERN_SQL), {"id": session_id})).first()
    if p is None:
        raise UserFacingError(ErrorKind.NOT_FOUND)
    tz = ZoneInfo(p.timezone)
    today = datetime.now(tz).date()
    cut = p.cut_day if scope == "following" else max(p.start_date, today)
    if change.end_date < cut or not change.weekdays:
        raise UserFacingError(ErrorKind.INVALID_INPUT, "pattern_dates")
    split = scope == "following" and cut > p.start_date
    spec = PatternSpec(
        weekdays=change.weekdays,
        start_time=change.start_time,
        duration_minutes=change.duration_minutes,
        start_date=cut if split else p.start_date,
        end_date=change.end_date,
        timezone=p.timezone,
        exdates=tuple(d for d in p.exdates if d >= cut),
        interval=int(_rule_parts(p.rrule).get("INTERVAL", "1")),
    )
    target = await _save_pattern(session, p, spec, change.capacity, split)
    wanted = {
        o.local_date: o
        for o in expand(spec.rrule_text(), spec.dtstart(), spec.duration_minutes, spec.exdates)
        if o.local_date >= cut
    }
    plan = await _plan(session, p.id, cut, wanted)
    if split:
        await session.execute(
            text(
                "update academy.sessions set recurring_pattern_id = :t"
                " where recurring_pattern_id = :p and session_date >= :cut"
            ),
            {"t": target, "p": p.id, "cut": cut},
        )
    booked = await _remove(session, plan["drop"])
    conflicts = await _move(session, plan["move"], change.capacity)
    created, refused = await _create(session, target, plan["new"])
    return PatternEditResult(
        target, split, len(plan["move"]), created, len(plan["drop"]), plan["kept"],
        tuple(booked), tuple(refused), tuple(conflicts),
    )


async def _save_pattern(
    session: AsyncSession, p: Any, spec: PatternSpec, capacity: int, split: bool
) -> UUID:
    """Split: end the old pattern the day before the cut and insert the new one.
    Otherwise rewrite the pattern in place. Returns the pattern that carries on."""
    values = {
        "rrule": spec.rrule_text(),
        "dtstart": spec.dtstart(),
        "m": spec.duration_minutes,
        "sd": spec.start_date,
        "ed": spec.end_date,
        "c": capacity,
        "x": list(spec.exdates),
        "p": p.id,
    }
    if not split:
        await session.execute(
            text(
                "update academy.recurring_patterns set rrule = :rrule, dtstart = :dtstart,"
                " duration_minutes = :m, start_date = :sd, end_date = :ed, capacity = :c,"
                " exdates = :x, is_active = true, row_version = row_version + 1 where id = :p"
            ),
            values,
        )
        return p.id
    await end_pattern(session, p.id, spec.start_date - timedelta(days=1))
    return (
        await session.execute(
            text(
                "insert into academy.recurring_patterns (location_id, program_id, level_id,"
                " instructor_id, title, rrule, dtstart, duration_minutes, timezone, start_date,"
                " end_date, capacity, exdates, room, notes)"
                " select location_id, program_id, level_id, instructor_id, title, :rrule,"
                " :dtstart, :m, timezone, :sd, :ed, :c, :x, room, notes"
                " from academy.recurring_patterns where id = :p returning id"
            ),
            values,
        )
    ).scalar_one()


async def _plan(
    session: AsyncSession, pattern_id: UUID, cut: date, wanted: dict[date, Occurrence]
) -> dict[str, Any]:
    """Sort the pattern's sessions from ``cut`` into kept / moved / dropped, and the
    dates still to generate."""
    rows = (
        await session.execute(
            text(
                "select s.id, s.session_date, s.status::text as status, s.pattern_exception,"
                " s.starts_at, s.location_id, s.program_id, s.instructor_id, s.booked_count,"
                " exists (select 1 from academy.session_waitlists w where w.session_id = s.id"
                "   and w.status in ('waiting', 'offered')) as waiting"
                " from academy.sessions s where s.recurring_pattern_id = :p"
                " and s.session_date >= :cut and s.is_active order by s.starts_at"
            ),
            {"p": pattern_id, "cut": cut},
        )
    ).all()
    now = datetime.now(UTC)
    taken: set[date] = set()
    plan: dict[str, Any] = {"move": [], "drop": [], "kept": 0}
    for r in rows:
        if r.status != "scheduled" or r.pattern_exception or r.starts_at <= now:
            plan["kept"] += 1
            taken.add(r.session_date)
        elif r.session_date in wanted and r.session_date not in taken:
            plan["move"].append((r, wanted[r.session_date]))
            taken.add(r.session_date)
        else:
            plan["drop"].append(r)
    plan["new"] = [o for d, o in sorted(wanted.items()) if d not in taken and o.starts_at > now]
    if rows and plan["new"]:
        closed = await closures(session, rows[0].location_id, cut, max(wanted))
        plan["new"] = drop_closed(plan["new"], closed)
    return plan


async def _remove(session: AsyncSession, dropped: list[Any]) -> list[str]:
    """Hide empty occurrences; cancel booked ones with their bookings (credits and all)."""
    empty = [r.id for r in dropped if r.booked_count == 0 and not r.waiting]
    booked = [r.id for r in dropped if r.id not in empty]
    if empty:
        await session.execute(
            text(
                "update academy.sessions set status = 'cancelled', is_active = false,"
                " cancelled_at = now(), cancelled_reason = :r where id = any(:ids)"
            ),
            {"ids": empty, "r": REMOVED_REASON},
        )
    if not booked:
        return []
    names = await session.execute(
        text(
            "select distinct coalesce(st.first_name || ' ' || st.last_name, '?')"
            " from academy.cancel_sessions(cast(:ids as uuid[]), :r) c"
            " left join academy.students st on st.id = c.student_id order by 1"
        ),
        {"ids": booked, "r": REMOVED_REASON},
    )
    return list(names.scalars().all())


async def _move(
    session: AsyncSession, moves: list[tuple[Any, Occurrence]], capacity: int
) -> list[Conflict]:
    """New time, length and seats for kept dates; soft conflicts recorded."""
    found: list[Conflict] = []
    for r, o in moves:
        await session.execute(
            text(
                "update academy.sessions set starts_at = :s, ends_at = :e, capacity = :c"
                " where id = :id"
            ),
            {"s": o.starts_at, "e": o.ends_at, "c": capacity, "id": r.id},
        )
        checked = await check_occurrences(
            session, r.location_id, r.program_id, r.instructor_id, [o], r.id
        )
        for c in checked.get(0, []):
            if not c.hard:
                await _record_conflict(
                    session, r.id, r.instructor_id, r.location_id, o.local_date, c
                )
                found.append(c)
    return found


async def _create(
    session: AsyncSession, pattern_id: UUID, new: list[Occurrence]
) -> tuple[int, list[date]]:
    created, refused = 0, []
    by_start = {o.starts_at: o for o in new}
    for batch in batched(new, 500):
        for starts, sid in await generate_batch(session, pattern_id, [o.starts_at for o in batch]):
            if sid is None:
                refused.append(by_start.get(starts, Occurrence(starts, starts)).local_date)
            else:
                created += 1
    return created, refused
