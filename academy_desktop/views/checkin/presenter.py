"""Check-in orchestration: loads today's sessions and rosters, and sends every write
with its own client request id, retrying a dropped connection with the *same* id (the
server answers a replay with the first result), so the row always ends Saved or NOT
saved — never unknown. Undo goes through the server's request log."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID, uuid4

from academy_desktop.db.queries import checkin as q
from academy_desktop.domain.attendance import (
    AttendanceStatus,
    CheckInResult,
    RosterEntry,
    SaveState,
    TodaySession,
    UndoResult,
)
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.models.roster import RosterModel
from academy_desktop.ui.messages import user_message

T = TypeVar("T")
RETRIES = 3


def explain(error: UserFacingError) -> str:
    """The server's own sentence when it gave one, else the shared message."""
    detail = str(error.details.get("detail") or "")
    return detail or user_message(error)


@dataclass
class Today:
    day: dt.date
    sessions: list[TodaySession]
    entries: list[RosterEntry]
    currency: str = ""
    timezone: str = ""
    #: sessions whose rosters are in ``entries`` (the rest arrive in the background)
    loaded: frozenset[UUID] = frozenset()
    #: a day without sessions: the closure reason, the next day with classes and how many
    quiet: tuple[str, dt.date | None, int] | None = None


class CheckInPresenter:
    def __init__(self, runner: Any, model: RosterModel) -> None:
        self.runner = runner
        self.model = model
        self.last_request: UUID | None = None

    async def load(
        self,
        location_ids: tuple[UUID, ...],
        now: dt.datetime | None = None,
        keep: UUID | None = None,
    ) -> Today:
        """Today's sessions and only the rosters of ``first_sessions`` (a busy day's
        ~900 rows take 15-25 ms; the desk needs the now/next ones to start): the caller
        fetches the rest with ``load_rosters``, in batches, after painting."""
        moment = now or dt.datetime.now(dt.UTC)

        async def work(session: Any) -> Today:
            today = Today(*await q.first_paint(session, location_ids, moment, keep))
            if not today.sessions and location_ids:
                today.quiet = await q.quiet_day(session, location_ids, today.day)
            return today

        return await self.runner.run(work)  # type: ignore[no-any-return]

    async def load_rosters(self, day: dt.date, session_ids: list[UUID]) -> list[RosterEntry]:
        """The rosters of ``session_ids`` (the background half of ``load``, or the one
        session the person selected before the background half arrived)."""
        if not session_ids:
            return []
        return await self.runner.run(  # type: ignore[no-any-return]
            lambda s: q.rosters(s, session_ids, day)
        )

    async def _retrying(self, work: Callable[[Any], Awaitable[T]]) -> T:
        for attempt in range(RETRIES):
            try:
                return await self.runner.run(work)  # type: ignore[no-any-return]
            except UserFacingError as error:
                if not error.transient or attempt == RETRIES - 1:
                    raise
                await asyncio.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    async def mark(
        self, entry: RosterEntry, status: AttendanceStatus, walk_in: bool = False
    ) -> CheckInResult:
        """Write one child's state; the model row shows Saving…, then Saved or NOT saved."""
        request = uuid4()
        self.model.update_entry(entry.with_status(entry.status, SaveState.SAVING))
        if walk_in:

            def work(s: Any) -> Awaitable[CheckInResult]:
                return q.walk_in(s, entry.session_id, entry.student_id, request)
        else:

            def work(s: Any) -> Awaitable[CheckInResult]:
                return q.check_in(s, entry.session_id, entry.student_id, status, request)

        try:
            result = await self._retrying(work)
        except UserFacingError as error:
            self.model.update_entry(
                entry.with_status(entry.status, SaveState.FAILED, explain(error))
            )
            raise
        self.model.update_entry(entry.with_status(status, SaveState.SAVED))
        self.last_request = request
        return result

    async def undo(self) -> UndoResult:
        result: UndoResult = await self._retrying(lambda s: q.undo_check_in(s, None))
        if result.outcome == "undone" and result.session_id and result.student_id:
            entry = self.model.entry(result.session_id, result.student_id)
            if entry is not None:
                self.model.update_entry(entry.with_status(result.restored_status, SaveState.SAVED))
        return result

    async def close(self, session_id: UUID) -> int:
        return await self._retrying(  # type: ignore[no-any-return]
            lambda s: q.close_session(s, session_id)
        )

    async def find_walk_ins(self, query: str) -> list[tuple[UUID, str, str]]:
        return await self.runner.run(  # type: ignore[no-any-return]
            lambda s: q.search_walk_ins(s, query)
        )
