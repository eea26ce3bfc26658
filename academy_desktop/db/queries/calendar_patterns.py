"""Recurring patterns: conflicts of candidate occurrences (academy.check_occurrences,
the preview), creating a pattern, generating its occurrences in batches on the server
(academy.generate_pattern_sessions) and reading a pattern's sessions back."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.queries.calendar_week import _ALL_TIME, _WEEK_SQL, _week_session
from academy_desktop.domain.schedule import (
    Conflict,
    ConflictKind,
    Occurrence,
    PatternSpec,
    WeekSession,
)


async def check_occurrences(
    session: AsyncSession,
    location_id: UUID,
    program_id: UUID,
    instructor_id: UUID,
    occurrences: Sequence[Occurrence],
    ignore_session_id: UUID | None = None,
) -> dict[int, list[Conflict]]:
    """Conflicts per occurrence index (0-based) as the server sees them."""
    rows = (
        await session.execute(
            text(
                "select idx, kind, detail from academy.check_occurrences(:l, :p, :i,"
                " cast(:s as timestamptz[]), cast(:e as timestamptz[]), :ignore)"
            ),
            {
                "l": location_id,
                "p": program_id,
                "i": instructor_id,
                "s": [o.starts_at for o in occurrences],
                "e": [o.ends_at for o in occurrences],
                "ignore": ignore_session_id,
            },
        )
    ).all()
    out: dict[int, list[Conflict]] = {}
    for idx, kind, detail in rows:
        out.setdefault(idx - 1, []).append(Conflict(ConflictKind(kind), detail or ""))
    return out


async def create_pattern(
    session: AsyncSession,
    *,
    location_id: UUID,
    program_id: UUID,
    level_id: UUID | None,
    instructor_id: UUID,
    title: str,
    spec: PatternSpec,
    capacity: int,
    room: str | None = None,
) -> UUID:
    return (
        await session.execute(
            text(
                "insert into academy.recurring_patterns (location_id, program_id, level_id,"
                " instructor_id,"
                " title, rrule, dtstart, duration_minutes, timezone, start_date, end_date,"
                " capacity,"
                " exdates, room) values (:l, :p, :lv, :i, :t, :r, :d, :m, :tz, :sd, :ed, :c, :x,"
                " :room)"
                " returning id"
            ),
            {
                "l": location_id,
                "p": program_id,
                "lv": level_id,
                "i": instructor_id,
                "t": title,
                "r": spec.rrule_text(),
                "d": spec.dtstart(),
                "m": spec.duration_minutes,
                "tz": spec.timezone,
                "sd": spec.start_date,
                "ed": spec.end_date,
                "c": capacity,
                "x": list(spec.exdates),
                "room": room,
            },
        )
    ).scalar_one()


async def generate_batch(
    session: AsyncSession, pattern_id: UUID, starts: Sequence[datetime]
) -> list[tuple[datetime, UUID | None]]:
    """Create one batch of occurrences; None ids were refused as hard conflicts."""
    rows = (
        await session.execute(
            text(
                "select starts_at, session_id from academy.generate_pattern_sessions(:p,"
                " cast(:s as timestamptz[]))"
            ),
            {"p": pattern_id, "s": list(starts)},
        )
    ).all()
    return [(r[0], r[1]) for r in rows]


async def pattern_sessions(session: AsyncSession, pattern_id: UUID) -> list[WeekSession]:
    rows = (
        await session.execute(
            text(
                _WEEK_SQL.replace(
                    "where s.starts_at < :end",
                    "where s.recurring_pattern_id = :pid and s.starts_at < :end",
                )
            ),
            {"pid": pattern_id, **_ALL_TIME},
        )
    ).all()
    return [_week_session(r) for r in rows]


def with_until(rule: str, last_day: date, tz: ZoneInfo) -> str:
    """``rule`` ending on ``last_day`` (local): UNTIL replaced, COUNT dropped."""
    last = datetime.combine(last_day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    parts = [p for p in rule.split(";") if not re.match(r"(UNTIL|COUNT)=", p)]
    return ";".join([*parts, f"UNTIL={last:%Y%m%dT%H%M%SZ}"])


async def end_pattern(session: AsyncSession, pattern_id: UUID, last_day: date) -> None:
    """End a pattern on ``last_day``: end date, its RRULE's UNTIL and exception dates
    agree (what "this and following" does to the part before the chosen occurrence)."""
    row = (
        await session.execute(
            text("select rrule, timezone, start_date from academy.recurring_patterns"
                 " where id = :p for update"),
            {"p": pattern_id},
        )
    ).first()
    if row is None:
        return
    last = max(last_day, row.start_date)
    await session.execute(
        text(
            "update academy.recurring_patterns set end_date = :last, rrule = :rule,"
            " exdates = array(select d from unnest(exdates) d where d <= :last),"
            " row_version = row_version + 1 where id = :p"
        ),
        {"last": last, "rule": with_until(row.rrule, last, ZoneInfo(row.timezone)),
         "p": pattern_id},
    )
