"""Rosters orchestration: the desk's check-in presenter (idempotent writes with a client
request id, retried with the same id; undo; close) with the instructor's own reads in
place of the desk's, so nothing here ever asks for a balance, a family or a pickup."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

from academy_desktop.db.queries import rosters as q
from academy_desktop.domain.attendance import RosterEntry, TodaySession, current_and_next
from academy_desktop.views.checkin.presenter import CheckInPresenter, Today


def shown_first(sessions: list[TodaySession], now: dt.datetime, keep: UUID | None) -> list[UUID]:
    """The session the list will select (``SessionList.show_sessions``): the one kept
    from before, else the one running (or about to), else the next, else the first."""
    ids = {s.session_id for s in sessions}
    current, nxt = current_and_next(sessions, now)
    first = sessions[0].session_id if sessions else None
    return next(([c] for c in (keep, current, nxt, first) if c is not None and c in ids), [])


class RostersPresenter(CheckInPresenter):
    async def load_day(
        self, day: dt.date, location_ids: tuple[UUID, ...] | None = None,
        keep: UUID | None = None,
    ) -> Today:
        """The caller's sessions of ``day`` and the roster of the one shown first, in one
        unit of work; any other roster is fetched when its session is selected
        (``load_rosters``). A super admin's day over every location is ~2,200 sessions
        and 15,000 children at 100k students: 0.3-2 s in one call.

        ``location_ids`` narrows a super admin's day; the server ignores it for an
        instructor, whose day is always the sessions they teach."""
        now = dt.datetime.now(dt.UTC)

        async def work(session: Any) -> Today:
            sessions, zone = await q.day_sessions(session, day, location_ids)
            first = shown_first(sessions, now, keep)
            entries = await q.rosters(session, first, day)
            return Today(day, sessions, entries, "", zone, frozenset(first))

        return await self.runner.run(work)  # type: ignore[no-any-return]

    async def load_rosters(self, day: dt.date, session_ids: list[UUID]) -> list[RosterEntry]:
        """The instructor's reading of these rosters (no money, family or pickup)."""
        if not session_ids:
            return []
        return await self.runner.run(  # type: ignore[no-any-return]
            lambda s: q.rosters(s, session_ids, day)
        )

    async def criteria(self, session_id: UUID, student_id: UUID) -> list[q.CriterionRating]:
        return await self.runner.run(  # type: ignore[no-any-return]
            lambda s: q.criteria(s, session_id, student_id)
        )

    async def rate(
        self, session_id: UUID, student_id: UUID, criterion_id: UUID, stars: int
    ) -> str:
        """One request id for the rating, reused by every retry: at most one row."""
        request = uuid4()
        return await self._retrying(  # type: ignore[no-any-return]
            lambda s: q.rate(s, session_id, student_id, criterion_id, stars, request)
        )
