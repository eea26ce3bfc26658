"""Staged roster loading for the check-in screen: the first paint carries only the
rosters of the sessions the desk acts on first; the rest of the day's follow in the
background, nearest first, in calls of about ``BATCH_ROWS`` children (each ~4 ms, so
a check-in never queues behind a whole day: ~20 ms at 900 rows, ~1 s at 7,000). This
object remembers which sessions' rosters are in the model, drops results of a superseded
reload (``generation``), and lets an action that must see every booking of the day
(Enter-by-name, whole family, mark-all) wait for the rest."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from academy_desktop.domain.attendance import TodaySession, roster_batches
from academy_desktop.models.roster import RosterModel
from academy_desktop.ui.aio import spawn


class StagedRosters:
    def __init__(self, presenter: Any, model: RosterModel, owner: Any,
                 on_added: Callable[[], None]) -> None:
        self.presenter = presenter
        self.model = model
        self.owner = owner  # the QObject whose destruction cancels the background work
        self.on_added = on_added
        self.day: dt.date | None = None
        self.loaded: set[UUID] = set()  # sessions whose rosters are in the model
        self.rest: asyncio.Task[None] | None = None  # the background half of a reload
        self.generation = 0  # results of an older reload (or a clear) are dropped

    def begin(self) -> int:
        """A new reload (or a clear) starts: anything still on its way is stale."""
        self.generation += 1
        self.rest = None
        return self.generation

    def painted(self, generation: int, sessions: list[TodaySession],
                now: dt.datetime | None = None) -> None:
        """The first paint (``day`` and ``loaded`` set) is on screen: fetch the
        remaining rosters in the background."""
        batches = roster_batches(sessions, self.loaded, now or dt.datetime.now(dt.UTC))
        self.rest = (
            spawn(self._load_batches(generation, batches), self.owner, "StagedRosters.rest")
            if batches else None
        )

    async def _load_batches(self, generation: int, batches: list[list[UUID]]) -> None:
        """One batch after another; the session list is refilled once at the end, not
        per batch (a busy day is 15+ batches, and a refill rebuilds every row)."""
        try:
            for session_ids in batches:
                if generation != self.generation:
                    return
                await self.load(generation, [i for i in session_ids if i not in self.loaded],
                                refresh=False)
        finally:
            if generation == self.generation:
                self.on_added()

    def missing(self, sessions: list[TodaySession]) -> list[UUID]:
        return [s.session_id for s in sessions if s.session_id not in self.loaded]

    def ensure(self, session_id: UUID | None) -> None:
        """A session the person selected: its roster at once if it is not here yet."""
        if session_id is not None and self.day is not None and session_id not in self.loaded:
            spawn(self.load(self.generation, [session_id]), self.owner, "StagedRosters.one")

    async def load(self, generation: int, session_ids: list[UUID], refresh: bool = True) -> None:
        """Add the rosters of ``session_ids`` (skipping any that arrived meanwhile by
        another path: those rows may already carry newer save states)."""
        if self.day is None or not session_ids:
            return
        entries = await self.presenter.load_rosters(self.day, session_ids)
        if generation != self.generation:
            return
        new = set(session_ids) - self.loaded
        self.model.add_entries([e for e in entries if e.session_id in new])
        self.loaded |= new
        if refresh:
            self.on_added()

    async def wait_all(self, sessions: list[TodaySession]) -> None:
        """Until every roster of the day is in the model: the background half when it
        is on its way (or, if it failed, directly), so no choice rests on part of it."""
        task = self.rest
        if task is not None and not task.done():
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(task)
        missing = self.missing(sessions)
        if missing:
            await self.load(self.generation, missing)

    def when_all(self, sessions: list[TodaySession], action: Callable[[], None]) -> None:
        """Run ``action`` now when every roster of ``sessions`` is in, else as soon as
        they are (tens of ms; input stays live meanwhile)."""
        if not self.missing(sessions):
            action()
        else:
            spawn(self._then(sessions, action), self.owner, "StagedRosters.when_all")

    async def _then(self, sessions: list[TodaySession], action: Callable[[], None]) -> None:
        await self.wait_all(sessions)
        action()
