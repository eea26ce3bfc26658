"""Home/Today counts: small, cheap counts scoped by RLS.

Each count runs in its own savepoint so a table that a given server does not have yet
(older schema, or not granted to this role) yields "—" instead of failing the page.
Counts are whatever RLS lets the person see, narrowed to the chosen location.
"""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.overview import Stat, StatKey

log = logging.getLogger(__name__)

# (key, SQL). ``:scoped`` is false for "all my locations", then RLS alone decides.
_SQL: dict[StatKey, str] = {
    # "today" is each location's own calendar day (sessions.session_date is local), not
    # this computer's: a desk PC on UTC at 21:00 in New York is already on tomorrow
    StatKey.SESSIONS_TODAY: (
        "select count(*) from academy.sessions s"
        " left join academy.locations l on l.id = s.location_id"
        " where s.session_date between :day_before and :day_after"
        " and s.session_date = case when :fixed then :day"
        " else coalesce((cast(:now as timestamptz) at time zone l.timezone)::date, :day) end"
        " and (not :scoped or s.location_id = any(:ids))"),
    StatKey.STUDENTS: (
        "select count(*) from academy.students where (not :scoped or location_id = any(:ids))"),
    StatKey.FAMILIES: (
        "select count(*) from academy.parents where (not :scoped or location_id = any(:ids))"),
    StatKey.PROGRAMS: "select count(*) from academy.programs",
    StatKey.LOCATIONS: "select count(*) from academy.locations",
}

STATS_FOR: dict[PersonKind, tuple[StatKey, ...]] = {
    PersonKind.FRONT_DESK: (StatKey.SESSIONS_TODAY, StatKey.STUDENTS, StatKey.FAMILIES),
    PersonKind.PROGRAM_ADMIN: (StatKey.PROGRAMS, StatKey.SESSIONS_TODAY, StatKey.STUDENTS),
    PersonKind.INSTRUCTOR: (StatKey.SESSIONS_TODAY, StatKey.STUDENTS),
    PersonKind.SUPER_ADMIN: (StatKey.SESSIONS_TODAY, StatKey.STUDENTS, StatKey.FAMILIES,
                             StatKey.PROGRAMS, StatKey.LOCATIONS),
    PersonKind.PARENT: (StatKey.SESSIONS_TODAY, StatKey.STUDENTS),
}

_MISSING_STATES = {"42P01", "42703", "42883", "42501", "3F000"}


async def fetch_stats(session: AsyncSession, kind: PersonKind,
                      location_ids: tuple[UUID, ...], scoped: bool,
                      today: dt.date | None = None) -> list[Stat]:
    day = today or dt.date.today()
    params = {"day": day, "day_before": day - dt.timedelta(days=1),
              "day_after": day + dt.timedelta(days=1), "fixed": today is not None,
              "now": dt.datetime.now(dt.UTC), "ids": list(location_ids), "scoped": scoped}
    return [Stat(key, await _count(session, _SQL[key], params)) for key in STATS_FOR[kind]]


async def _count(session: AsyncSession, sql: str, params: dict[str, object]) -> int | None:
    try:
        async with session.begin_nested():
            return int((await session.execute(text(sql), params)).scalar_one())
    except sa_exc.DBAPIError as error:
        state = getattr(error.orig, "sqlstate", None)
        if state not in _MISSING_STATES:
            raise
        log.info("overview count unavailable (%s): %s", state, sql.split(" where")[0])
        return None
