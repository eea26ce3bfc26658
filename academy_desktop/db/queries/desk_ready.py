"""The check-in screen's first paint in one statement: ``academy.desk_first_paint``
(0017_desk_ready) returns the location's day, currency and zone, today's sessions and
the rosters of the sessions running now/next/selected as one json value, with the
caller's scope applied once on the server. Five statements (five round trips, the RLS
helpers re-run in each) were most of the screen's ready time at rush hour.

Rows come as json arrays and are unpacked positionally here (a rush hour is a few
hundred roster rows; per-field attribute access cost more than the query)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.attendance import AttendanceStatus, RosterEntry, TodaySession

#: (day, sessions, roster entries, currency, time zone, sessions whose rosters are in)
Ready = tuple[dt.date, list[TodaySession], list[RosterEntry], str, str, frozenset[UUID]]

_STATUSES = {s.value: s for s in AttendanceStatus}


async def desk_first_paint(
    session: AsyncSession, location_ids: Sequence[UUID], now: dt.datetime, keep: UUID | None
) -> Ready:
    """One round trip: what ``checkin.first_paint`` returns. A person who is neither a
    front desk nor a super admin is refused by the server (permission denied)."""
    raw = (
        await session.execute(
            text("select academy.desk_first_paint(:locs, :now, cast(:keep as uuid))"),
            {"locs": list(location_ids), "now": now, "keep": keep},
        )
    ).scalar_one()
    return parse_ready(raw)


def parse_ready(raw: dict[str, Any]) -> Ready:
    """The server's json as the screen's objects (same values as the RLS path's)."""
    sessions = parse_sessions(raw["sessions"])
    ids = {str(s.session_id): s.session_id for s in sessions}
    return (
        dt.date.fromisoformat(raw["day"]),
        sessions,
        parse_roster(raw["roster"], ids),
        raw["currency"] or "",
        raw["timezone"] or "",
        frozenset(ids.get(i) or UUID(i) for i in raw["first"]),
    )


def parse_sessions(rows: list[list[Any]]) -> list[TodaySession]:
    """[id, title, starts, ends, room, capacity, booked, checked_in, status, location]."""
    iso = dt.datetime.fromisoformat
    return [
        TodaySession(UUID(sid), title, iso(starts), iso(ends), room, capacity, booked,
                     checked_in, status, location)
        for sid, title, starts, ends, room, capacity, booked, checked_in, status, location
        in rows
    ]


def parse_roster(rows: list[list[Any]], session_ids: dict[str, UUID]) -> list[RosterEntry]:
    """desk_roster's columns, one array per row; session ids reuse the sessions' UUIDs."""
    statuses = _STATUSES
    return [
        RosterEntry(session_ids.get(sid) or UUID(sid), UUID(stid), number, first, last,
                    preferred, statuses.get(status), medical, float(balance), pickup,
                    tuple(map(UUID, family)))
        for sid, stid, number, first, last, preferred, status, medical, balance, pickup, family
        in rows
    ]
