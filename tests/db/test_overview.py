"""Home's "Sessions today" counts each location's own calendar day, not this computer's.

Two seeded locations are moved to zones 25 hours apart (UTC+14 and UTC-11), so their
"today" is always a different date: a count by the machine's date is wrong for one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from academy_desktop.db.queries.overview import fetch_stats
from academy_desktop.db.seed import seed_demo
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.overview import StatKey

ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago")


def _count_for(url: str, location_id: object) -> int | None:
    async def go() -> int | None:
        engine = create_async_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            async with AsyncSession(engine) as session:
                stats = await fetch_stats(session, PersonKind.SUPER_ADMIN,
                                          (location_id,), scoped=True)  # type: ignore[arg-type]
        finally:
            await engine.dispose()
        return next(s.value for s in stats if s.key is StatKey.SESSIONS_TODAY)

    return asyncio.run(go())


def test_sessions_today_is_each_locations_own_day(migrated_db_url: str) -> None:
    seed_demo(migrated_db_url, scale="small")
    with psycopg.connect(migrated_db_url, autocommit=True) as conn:
        locations = [row[0] for row in conn.execute(
            "select id from academy.locations order by name limit 2")]
        for location, zone in zip(locations, ZONES, strict=True):
            conn.execute("update academy.locations set timezone = %s where id = %s",
                         (zone, location))
        # give each location sessions on both candidate days, so a wrong day shows
        counts = {}
        for location, zone in zip(locations, ZONES, strict=True):
            local_today = dt.datetime.now(ZoneInfo(zone)).date()
            counts[location] = {
                day: conn.execute(
                    "select count(*) from academy.sessions where location_id = %s"
                    " and session_date = %s", (location, day)).fetchone()[0]  # type: ignore[index]
                for day in (local_today - dt.timedelta(days=1), local_today,
                            local_today + dt.timedelta(days=1))}
    for location, zone in zip(locations, ZONES, strict=True):
        local_today = dt.datetime.now(ZoneInfo(zone)).date()
        assert _count_for(migrated_db_url, location) == counts[location][local_today]
    # the two "todays" really differ, so one machine date cannot satisfy both
    first, second = (dt.datetime.now(ZoneInfo(z)).date() for z in ZONES)
    assert first != second
