"""Attendance at the desk: today's sessions, roster rows with their alerts, and the
rules the check-in screen follows (which session is "now", what one key means).

Pure Python so the screen's logic is testable without Qt or a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from uuid import UUID


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


#: One key per state (the roster and the search box both accept them).
STATUS_KEYS: dict[str, AttendanceStatus] = {
    "p": AttendanceStatus.PRESENT,
    "l": AttendanceStatus.LATE,
    "a": AttendanceStatus.ABSENT,
    "e": AttendanceStatus.EXCUSED,
}


class SaveState(StrEnum):
    """What the desk knows about the last write of a row."""

    NONE = "none"  # nothing sent from this desk
    SAVING = "saving"
    SAVED = "saved"
    FAILED = "failed"  # not saved: the row shows why and may be retried


@dataclass(frozen=True, slots=True)
class TodaySession:
    session_id: UUID
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str | None
    capacity: int
    booked_count: int
    checked_in: int
    status: str
    location: str = ""  # named in the list only when a desk sees several locations

    @property
    def seats_free(self) -> int:
        return max(self.capacity - self.booked_count, 0)

    def is_current(self, now: dt.datetime) -> bool:
        return self.starts_at - dt.timedelta(minutes=30) <= now < self.ends_at


@dataclass(slots=True)  # treat as immutable (with_status makes a new one); not frozen:
class RosterEntry:  # a frozen init cost 3 us a row, ~2.5 ms of loading a busy day
    session_id: UUID
    student_id: UUID
    student_number: str
    first_name: str
    last_name: str
    preferred_name: str | None
    status: AttendanceStatus | None
    medical: str | None
    balance_due: float  # > 0: owes money (display only; money maths uses Decimal)
    can_be_picked_up: bool
    family_ids: tuple[UUID, ...] = ()  # parents, to find siblings
    save_state: SaveState = SaveState.NONE
    save_error: str = ""

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    def with_status(
        self, status: AttendanceStatus | None, state: SaveState, error: str = ""
    ) -> RosterEntry:
        return replace(self, status=status, save_state=state, save_error=error)

    def matches(self, query: str) -> bool:
        """Part of a name (any word start, any order) or the exact student number."""
        q = query.strip().lower()
        if not q:
            return True
        if q == self.student_number.lower():
            return True
        words = f"{self.first_name} {self.preferred_name or ''} {self.last_name}".lower().split()
        return all(any(w.startswith(part) for w in words) for part in q.split())


@dataclass(frozen=True, slots=True)
class CheckInResult:
    attendance_id: UUID
    outcome: str  # recorded / already_recorded / updated


@dataclass(frozen=True, slots=True)
class UndoResult:
    session_id: UUID | None
    student_id: UUID | None
    restored_status: AttendanceStatus | None
    outcome: str  # undone / already_undone / nothing_to_undo


def current_and_next(
    sessions: list[TodaySession], now: dt.datetime
) -> tuple[UUID | None, UUID | None]:
    """The session running now (or about to start) and the one after it."""
    live = [s for s in sessions if s.status != "cancelled"]
    current = next((s for s in live if s.is_current(now)), None)
    later = [s for s in live if s.starts_at > now and s is not current]
    nxt = later[0] if later else None
    return (current.session_id if current else None, nxt.session_id if nxt else None)


def pick_session_for(
    entries: list[RosterEntry], sessions: list[TodaySession], now: dt.datetime
) -> RosterEntry | None:
    """Of one child's bookings today, the one to check into now: the current session,
    else the next one, else the latest that has started."""
    if not entries:
        return None
    by_id = {s.session_id: s for s in sessions}
    ranked = sorted(entries, key=lambda e: _rank(by_id.get(e.session_id), now))
    return ranked[0]


def _rank(session: TodaySession | None, now: dt.datetime) -> tuple[int, float]:
    if session is None:
        return (3, 0.0)
    if session.is_current(now):
        return (0, session.starts_at.timestamp())
    if session.starts_at > now:
        return (1, session.starts_at.timestamp())
    return (2, -session.starts_at.timestamp())


#: Booked children per background roster call: one call stays about 4 ms (a whole day
#: in one statement is 17-40 ms at 800-1,200 rows, ~1 s at 7,000), so a check-in sent
#: meanwhile never waits long behind it. On the benchmark machine 200 rows a call took
#: p95 8-14 ms and 100 rows p95 8-10.5 (three round trips and ~2 ms of Python a call).
BATCH_ROWS = 60


def roster_batches(
    sessions: list[TodaySession], loaded: set[UUID] | frozenset[UUID], now: dt.datetime,
    batch_rows: int = BATCH_ROWS,
) -> list[list[UUID]]:
    """The rosters not yet loaded, in the order the desk will need them (running and
    upcoming by start, then the finished ones latest first), cut into calls of about
    ``batch_rows`` booked children (a session is never split)."""
    rest = [s for s in sessions if s.session_id not in loaded]
    rest.sort(key=lambda s: _rank(s, now))
    batches: list[list[UUID]] = []
    rows = 0
    for s in rest:
        if not batches or (rows and rows + s.booked_count > batch_rows):
            batches.append([])
            rows = 0
        batches[-1].append(s.session_id)
        rows += s.booked_count
    return batches
