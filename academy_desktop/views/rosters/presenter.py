"""Rosters orchestration: the desk's check-in presenter (idempotent writes with a client
request id, retried with the same id; undo; close) with the instructor's own reads in
place of the desk's, so nothing here ever asks for a balance, a family or a pickup."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

from academy_desktop.db.queries import rosters as q
from academy_desktop.views.checkin.presenter import CheckInPresenter, Today


class RostersPresenter(CheckInPresenter):
    async def load_day(
        self, day: dt.date, location_ids: tuple[UUID, ...] | None = None
    ) -> Today:
        """The caller's sessions of ``day`` and their rosters, in one unit of work.

        ``location_ids`` narrows a super admin's day; the server ignores it for an
        instructor, whose day is always the sessions they teach."""

        async def work(session: Any) -> Today:
            sessions, zone = await q.day_sessions(session, day, location_ids)
            entries = await q.rosters(session, [s.session_id for s in sessions], day)
            return Today(day, sessions, entries, "", zone)

        return await self.runner.run(work)  # type: ignore[no-any-return]

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
