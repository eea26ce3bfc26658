"""Rosters queries for instructors: one day's sessions they teach and the booked
children with attendance, through academy.roster_sessions / instructor_roster (0016),
which apply the instructor's scope once and carry no money, family or pickup columns.
Attendance writes reuse the desk's idempotent academy.check_in (``db.queries.checkin``);
star ratings go through academy.roster_criteria / rate_student (same scope, 0016)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.attendance import AttendanceStatus, RosterEntry, TodaySession


async def day_sessions(
    session: AsyncSession, day: dt.date, location_ids: Sequence[UUID] | None = None
) -> tuple[list[TodaySession], str]:
    """(sessions of ``day`` the caller teaches, time zone of their first location).

    ``location_ids`` narrows a super admin's day; an instructor's is always their own."""
    rows = (
        await session.execute(
            text("""
        select session_id, title, starts_at, ends_at, room, capacity, booked_count,
               checked_in, status, timezone
          from academy.roster_sessions(:day, :locs)"""),
            {"day": day, "locs": list(location_ids) if location_ids else None},
        )
    ).all()
    sessions = [
        TodaySession(r.session_id, r.title, r.starts_at, r.ends_at, r.room, r.capacity,
                     r.booked_count, r.checked_in, r.status)
        for r in rows
    ]
    return sessions, (str(rows[0].timezone) if rows else "")


async def rosters(
    session: AsyncSession, session_ids: Sequence[UUID], day: dt.date
) -> list[RosterEntry]:
    """Booked children of the sessions; no balance or pickup is asked for, so the
    entries carry neutral values there (0 owed, pickup not the instructor's concern)."""
    if not session_ids:
        return []
    rows = (
        await session.execute(
            text("""
        select session_id, student_id, student_number, first_name, last_name,
               preferred_name, status, medical
          from academy.instructor_roster(:ids, :day)"""),
            {"day": day, "ids": list(session_ids)},
        )
    ).all()
    statuses = {s.value: s for s in AttendanceStatus}
    return [
        RosterEntry(sid, stid, number, first, last, preferred, statuses.get(status), medical,
                    0.0, True)
        for sid, stid, number, first, last, preferred, status, medical in rows
    ]


@dataclass(frozen=True, slots=True)
class CriterionRating:
    """One criterion of a child's current rubric and its latest rating (None: unrated)."""

    criterion_id: UUID
    level_name: str
    name: str
    descriptors: tuple[str | None, ...]  # what 0, 1, 2 and 3 stars mean
    stars: int | None


async def criteria(
    session: AsyncSession, session_id: UUID, student_id: UUID
) -> list[CriterionRating]:
    """The child's current rubric in this session (refused outside the caller's own)."""
    rows = (
        await session.execute(
            text("select criterion_id, level_name, criterion, descriptors, stars"
                 " from academy.roster_criteria(:s, :st)"),
            {"s": session_id, "st": student_id},
        )
    ).all()
    return [CriterionRating(r.criterion_id, r.level_name, r.criterion,
                            tuple(r.descriptors or (None,) * 4), r.stars) for r in rows]


async def rate(
    session: AsyncSession, session_id: UUID, student_id: UUID, criterion_id: UUID,
    stars: int, client_request_id: UUID,
) -> str:
    """Record a rating; a replay of the same request id answers 'already_recorded'."""
    return str(
        (
            await session.execute(
                text("select outcome from academy.rate_student(:s, :st, :c, :n, :r)"),
                {"s": session_id, "st": student_id, "c": criterion_id, "n": stars,
                 "r": client_request_id},
            )
        ).scalar_one()
    )
