"""The order and size of the check-in screen's background roster calls."""

from __future__ import annotations

import datetime as dt
import uuid

from academy_desktop.domain.attendance import TodaySession, roster_batches

BASE = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def session(hours: float, booked: int) -> TodaySession:
    start = BASE + dt.timedelta(hours=hours)
    return TodaySession(uuid.uuid4(), "x", start, start + dt.timedelta(hours=1), None,
                        40, booked, 0, "scheduled")


def test_nearest_first_and_never_more_than_a_batch_unless_one_session_is() -> None:
    """Running, then upcoming by start, then finished ones latest first; a session is
    never split, so one bigger than a batch travels alone."""
    early, before, now_running, soon, later, huge = (
        session(-4, 30), session(-2, 30), session(0, 30), session(1.5, 30),
        session(3, 30), session(5, 250),
    )
    day = [early, before, now_running, soon, later, huge]
    now = BASE + dt.timedelta(minutes=10)
    batches = roster_batches(day, frozenset(), now, batch_rows=60)
    ids = [s.session_id for s in (now_running, soon, later, huge, before, early)]
    assert [i for b in batches for i in b] == ids
    assert batches == [ids[0:2], ids[2:3], ids[3:4], ids[4:6]]


def test_skips_loaded_rosters_and_keeps_empty_sessions() -> None:
    a, b, c = session(1, 0), session(2, 10), session(3, 0)
    assert roster_batches([a, b, c], {b.session_id}, BASE) == [[a.session_id, c.session_id]]
    assert roster_batches([a, b, c], {a.session_id, b.session_id, c.session_id}, BASE) == []
    assert roster_batches([], set(), BASE) == []
