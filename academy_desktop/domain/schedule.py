"""Calendar rules that need no database: what a week is, what a recurring pattern
expands to (RFC 5545 through python-dateutil, wall-clock times in the location's zone,
so a 17:00 class stays at 17:00 across daylight-saving changes), how overlapping
sessions share a day column, and the frozen rows the calendar screens show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from dateutil import rrule

T = TypeVar("T")

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = ISO weekday - 1


class ConflictKind(StrEnum):
    INSTRUCTOR_DOUBLE_BOOKED = "instructor_double_booked"
    INSTRUCTOR_UNAVAILABLE = "instructor_unavailable"
    LOCATION_CLOSED = "location_closed"


#: Hard conflicts never get into the database (the exclusion constraint / closures);
#: soft ones are created and recorded in schedule_conflicts for resolution.
HARD_CONFLICTS = frozenset({ConflictKind.INSTRUCTOR_DOUBLE_BOOKED, ConflictKind.LOCATION_CLOSED})


def week_start(day: date) -> date:
    """Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def week_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) in ``tz`` (a DST week is 167 or 169 hours)."""
    monday = week_start(day)
    start = datetime.combine(monday, time.min, tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)
    return start, end


# --- recurring patterns -------------------------------------------------------------------


@dataclass(frozen=True)
class PatternSpec:
    """What a person fills in to create a recurring class."""

    weekdays: tuple[int, ...]  # ISO 1 = Monday .. 7 = Sunday
    start_time: time
    duration_minutes: int
    start_date: date
    end_date: date
    timezone: str
    exdates: tuple[date, ...] = ()
    interval: int = 1

    def rrule_text(self) -> str:
        """The RRULE stored in recurring_patterns.rrule (UNTIL in UTC, RFC 5545)."""
        if not self.weekdays:
            raise ValueError("choose at least one weekday")
        days = ",".join(WEEKDAY_CODES[d - 1] for d in sorted(set(self.weekdays)))
        last = datetime.combine(self.end_date, time(23, 59, 59), tzinfo=ZoneInfo(self.timezone))
        until = last.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        parts = ["FREQ=WEEKLY", f"BYDAY={days}", f"UNTIL={until}"]
        if self.interval > 1:
            parts.insert(1, f"INTERVAL={self.interval}")
        return ";".join(parts)

    def dtstart(self) -> datetime:
        return datetime.combine(self.start_date, self.start_time, tzinfo=ZoneInfo(self.timezone))


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime  # aware, in the location's zone
    ends_at: datetime

    @property
    def local_date(self) -> date:
        return self.starts_at.date()


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach ``tz`` to a wall-clock time. A time skipped by a spring-forward change
    moves forward by the gap (01:30 -> 02:30 in London); an ambiguous autumn time takes
    its first (summer-time) instance."""
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz)
    # fold=0 reads a skipped time with the offset before the change, so the round trip
    # lands on the same instant's real wall time, later by the gap
    return round_trip if round_trip.replace(tzinfo=None) != naive else aware


def expand(
    rule: str,
    dtstart: datetime,
    duration_minutes: int,
    exdates: Iterable[date] = (),
    limit: int = 2000,
) -> list[Occurrence]:
    """Every occurrence of ``rule`` from ``dtstart`` (aware; its zone is the wall clock),
    minus exception dates. Closures are *not* removed (the preview shows them as
    conflicts); pass them to ``drop_closed`` before generating."""
    tz = dtstart.tzinfo
    if not isinstance(tz, ZoneInfo):
        raise ValueError("dtstart needs a ZoneInfo zone")
    parts = [p for p in rule.removeprefix("RRULE:").split(";") if p]
    until = next((p.split("=", 1)[1] for p in parts if p.startswith("UNTIL=")), None)
    naive_start = dtstart.replace(tzinfo=None)
    parsed = rrule.rrulestr(
        ";".join(p for p in parts if not p.startswith("UNTIL=")), dtstart=naive_start
    )
    if until is not None:
        # UNTIL is UTC (RFC 5545); compare it on the same wall clock as the occurrences
        if until.endswith("Z"):
            limit_at = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            until_local = limit_at.astimezone(tz).replace(tzinfo=None)
        elif "T" in until:
            until_local = datetime.strptime(until, "%Y%m%dT%H%M%S")
        else:
            until_local = datetime.combine(datetime.strptime(until, "%Y%m%d").date(), time.max)
        parsed = parsed.replace(until=until_local)  # type: ignore[union-attr]
    skipped = set(exdates)
    out: list[Occurrence] = []
    for naive in parsed:  # type: ignore[union-attr]
        if naive.date() in skipped:
            continue
        start = localize(naive, tz)
        out.append(Occurrence(start, start + timedelta(minutes=duration_minutes)))
        if len(out) >= limit:
            break
    return out


def drop_closed(occurrences: Sequence[Occurrence], closures: Iterable[date]) -> list[Occurrence]:
    closed = set(closures)
    return [o for o in occurrences if o.local_date not in closed]


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    detail: str = ""

    @property
    def hard(self) -> bool:
        return self.kind in HARD_CONFLICTS


@dataclass(frozen=True)
class PreviewRow:
    occurrence: Occurrence
    conflicts: tuple[Conflict, ...] = ()

    @property
    def will_create(self) -> bool:
        return not any(c.hard for c in self.conflicts)


# --- what the screens show ----------------------------------------------------------------


@dataclass(frozen=True)
class WeekSession:
    id: UUID
    title: str
    location_id: UUID
    program_id: UUID
    program_name: str
    program_color: str | None
    level_name: str | None
    instructor_id: UUID
    instructor_name: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    waiting: int
    status: str
    pattern_id: UUID | None = None
    room: str | None = None
    substitute_for: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class AvailabilityWindow:
    instructor_id: UUID
    weekday: int  # ISO
    start: time
    end: time
    available: bool = True


@dataclass(frozen=True)
class RosterEntry:
    booking_id: UUID
    session_date: date
    student_id: UUID
    name: str
    status: str  # booked / attended / no_show / cancelled


@dataclass(frozen=True)
class WaitlistEntry:
    position: int
    student_id: UUID
    name: str


@dataclass(frozen=True)
class SessionDetails:
    session: WeekSession
    roster: tuple[RosterEntry, ...] = ()
    waitlist: tuple[WaitlistEntry, ...] = ()
    pattern_rule: str | None = None
    pattern_title: str | None = None
    pattern_range: tuple[date, date | None] | None = None


@dataclass(frozen=True)
class Choice:
    """An option of a filter or form combo."""

    id: UUID
    name: str
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def describe_rule(rule: str) -> str:
    """Short English description of a weekly RRULE ("Mon, Wed every week")."""
    names = dict(zip(WEEKDAY_CODES, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))
    parts = dict(p.split("=", 1) for p in rule.removeprefix("RRULE:").split(";") if "=" in p)
    days = ", ".join(names.get(d, d) for d in parts.get("BYDAY", "").split(",") if d)
    interval = int(parts.get("INTERVAL", "1"))
    every = "every week" if interval == 1 else f"every {interval} weeks"
    return f"{days} {every}".strip()


# --- side-by-side layout of overlapping blocks --------------------------------------------


def lay_out_day(spans: Sequence[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    """For each span, (column, columns): overlapping sessions share the day's width.
    Spans are grouped into clusters of transitive overlap; each cluster gets as many
    columns as its widest moment."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1]))
    result: list[tuple[int, int]] = [(0, 1)] * len(spans)
    cluster: list[int] = []
    column_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close() -> None:
        for i in cluster:
            result[i] = (result[i][0], len(column_ends))

    for i in order:
        start, end = spans[i]
        if cluster_end is not None and start >= cluster_end:
            close()
            cluster, column_ends, cluster_end = [], [], None
        for col, col_end in enumerate(column_ends):
            if col_end <= start:
                column_ends[col] = end
                break
        else:
            col = len(column_ends)
            column_ends.append(end)
        result[i] = (col, 0)
        cluster.append(i)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close()
    return result
