"""Recurring patterns (RRULE text) and the dated sessions expanded from them with
python-dateutil, skipping closure days, plus each session's roster outcome.

A session's roster outcome is kept as one character per group member (booked, cancelled,
present, late, absent, excused, not yet enrolled) so bookings, attendance, progress and
booked_count are all derived from the same draw without holding millions of rows.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from academy_desktop.db.seed.copying import new_id
from academy_desktop.db.seed.people import TIMEZONE
from academy_desktop.db.seed.timetable import Group

ZONE = ZoneInfo(TIMEZONE)
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
HOLDS = frozenset("BPLA")  # codes whose booking holds a seat (booked, attended, no_show)
CANCEL_REASONS = ("Coach unwell - no substitute available", "Facility maintenance",
                  "Severe weather warning")


@dataclass(slots=True)
class Occurrence:
    id: uuid.UUID
    group: Group
    day: date
    starts_at: datetime
    ends_at: datetime
    cancelled: str | None
    codes: str  # one character per group member, see module docstring


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.isoweekday()) % 7)
    if n > 0:
        return day + timedelta(weeks=n - 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def closure_days(first: date, last: date, today: date) -> dict[date, str]:
    """Holidays the academy closes on (never today: the desk demo opens on today)."""
    days: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        thanksgiving = _nth_weekday(year, 11, 4, 4)
        days |= {date(year, 1, 1): "New Year's Day", _nth_weekday(year, 1, 1, 3): "MLK Day",
                 _nth_weekday(year, 5, 1, -1): "Memorial Day", date(year, 7, 4): "Independence Day",
                 _nth_weekday(year, 9, 1, 1): "Labor Day", thanksgiving: "Thanksgiving",
                 thanksgiving + timedelta(days=1): "Thanksgiving break",
                 date(year, 12, 24): "Christmas Eve", date(year, 12, 25): "Christmas Day",
                 date(year, 12, 26): "Winter break", date(year, 12, 31): "New Year's Eve"}
    return {d: name for d, name in days.items() if first <= d <= last and d != today}


def pattern_row(group: Group, first: date, last: date, exdates: list[date],
                program_id: uuid.UUID) -> tuple:
    start = time(group.start // 60, group.start % 60)
    dtstart = datetime.combine(first + timedelta(days=(group.weekday - first.isoweekday()) % 7),
                               start, ZONE)
    created = datetime.combine(first - timedelta(days=14), time(10), ZONE)
    title = f"{group.curriculum.spec.name} - Level {group.level.number}"
    return (group.id, group.location.id, program_id, group.level.id, group.instructor.id, title,
            f"FREQ=WEEKLY;BYDAY={BYDAY[group.weekday]}", dtstart, group.minutes, TIMEZONE,
            first, last, group.capacity, exdates, group.room, None, "padmin_swim"
            if group.program.name == "Swimming" else "padmin_ball", created, created)


def _planner(group: Group) -> str:
    return "padmin_swim" if group.program.name == "Swimming" else "padmin_ball"


PATTERN_COLUMNS = ("id", "location_id", "program_id", "level_id", "instructor_id", "title",
                   "rrule", "dtstart", "duration_minutes", "timezone", "start_date", "end_date",
                   "capacity", "exdates", "room", "notes", "created_by", "created_at",
                   "updated_at")


def _codes(rng: random.Random, group: Group, day: date, today: date, cancelled: bool) -> str:
    out = []
    for _, enrolled_on in group.members:
        if enrolled_on > day:
            out.append(" ")
        elif cancelled:
            out.append("X")
        elif day >= today:
            out.append("C" if rng.random() < 0.03 else "B")
        else:
            out.append(rng.choices("PLAE", (85, 5, 6, 4))[0])
    return "".join(out)


def expand(rng: random.Random, group: Group, first: date, last: date, closed: set[date],
           today: date, maintenance: dict[tuple[uuid.UUID, date], str]) -> Iterator[Occurrence]:
    dtstart = datetime.combine(
        first + timedelta(days=(group.weekday - first.isoweekday()) % 7),
        time(group.start // 60, group.start % 60))
    rule = rrulestr(f"FREQ=WEEKLY;BYDAY={BYDAY[group.weekday]}", dtstart=dtstart)
    for local in rule.between(dtstart, datetime.combine(last, time(23, 59)), inc=True):
        day = local.date()
        if day in closed:
            continue
        reason = maintenance.get((group.location.id, day)) \
            if group.program.name == "Swimming" else None
        if reason is None and day != today and rng.random() < 0.01:
            reason = rng.choice(CANCEL_REASONS)
        starts = local.replace(tzinfo=ZONE)
        yield Occurrence(new_id(rng), group, day, starts, starts + timedelta(minutes=group.minutes),
                         reason, _codes(rng, group, day, today, reason is not None))


def session_row(occ: Occurrence, today: date, first: date, program_id: uuid.UUID) -> tuple:
    group = occ.group
    booked = sum(code in HOLDS for code in occ.codes)
    status = "cancelled" if occ.cancelled else ("completed" if occ.day < today else "scheduled")
    created = datetime.combine(first - timedelta(days=14), time(10), ZONE)
    cancelled_at = occ.starts_at - timedelta(hours=20) if occ.cancelled else None
    return (occ.id, group.location.id, program_id, group.level.id, group.instructor.id,
            group.id, occ.day, occ.starts_at, occ.ends_at, group.capacity, booked, status,
            f"{group.curriculum.spec.name} - Level {group.level.number}", group.room,
            occ.cancelled, cancelled_at, created, created, _planner(group))


SESSION_COLUMNS = ("id", "location_id", "program_id", "level_id", "instructor_id",
                   "recurring_pattern_id", "session_date", "starts_at", "ends_at", "capacity",
                   "booked_count", "status", "title", "room", "cancelled_reason",
                   "cancelled_at", "created_at", "updated_at", "created_by")
