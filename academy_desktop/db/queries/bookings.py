"""Bookings through the server's booking core (academy.book_session / cancel_booking):
capacity and waitlist order are decided there, in one transaction, for every screen
that books (calendar, check-in walk-ins). A full session arrives as a UserFacingError
with message_key ``session_full`` so screens can offer the waitlist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError

#: P0001 message prefixes of the booking functions -> (kind, message_key)
_REFUSALS: dict[str, ErrorKind] = {
    "session_full": ErrorKind.INVALID_INPUT,
    "session_not_bookable": ErrorKind.INVALID_INPUT,
    "request_reused": ErrorKind.INVALID_INPUT,
    "booking_attended": ErrorKind.INVALID_INPUT,
    "invalid_request": ErrorKind.INVALID_INPUT,
    "not_allowed": ErrorKind.PERMISSION_DENIED,
}


@dataclass(frozen=True)
class BookingResult:
    booking_id: UUID  # the waitlist entry's id when outcome is "waitlisted"
    outcome: str  # booked / already_booked / waitlisted


def _refusal(error: sa_exc.DBAPIError) -> UserFacingError | None:
    orig = error.orig
    state = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    message = (getattr(diag, "message_primary", None) or "") if diag else ""
    prefix = message.split(":", 1)[0]
    if state in ("P0001", "42501") and prefix in _REFUSALS:
        return UserFacingError(_REFUSALS[prefix], prefix, detail=message.split(":", 1)[-1].strip())
    return None


async def book_session(
    session: AsyncSession,
    session_id: UUID,
    student_id: UUID,
    *,
    client_request_id: UUID | None = None,
    waitlist_if_full: bool = False,
) -> BookingResult:
    """Book (or waitlist) ``student_id``. Replaying the same ``client_request_id`` returns
    the first answer, so a retried click never books twice."""
    try:
        row = (
            await session.execute(
                text("select booking_id, outcome from academy.book_session(:s, :st, :r, :w)"),
                {
                    "s": session_id,
                    "st": student_id,
                    "r": client_request_id or uuid4(),
                    "w": waitlist_if_full,
                },
            )
        ).one()
    except sa_exc.DBAPIError as error:
        refusal = _refusal(error)
        if refusal is None:
            raise
        raise refusal from error
    return BookingResult(row.booking_id, row.outcome)


async def cancel_booking(
    session: AsyncSession, booking_id: UUID, session_date: date, reason: str
) -> tuple[UUID, ...]:
    """Cancel a booking; returns the students promoted from the waitlist into the seat."""
    try:
        rows = (
            await session.execute(
                text("select promoted_student_id from academy.cancel_booking(:b, :d, :r)"),
                {"b": booking_id, "d": session_date, "r": reason},
            )
        ).all()
    except sa_exc.DBAPIError as error:
        refusal = _refusal(error)
        if refusal is None:
            raise
        raise refusal from error
    return tuple(r[0] for r in rows)


async def student_names(session: AsyncSession, ids: tuple[UUID, ...]) -> dict[UUID, str]:
    if not ids:
        return {}
    rows = (
        await session.execute(
            text(
                "select id, first_name || ' ' || last_name from academy.students where id ="
                " any(:ids)"
            ),
            {"ids": list(ids)},
        )
    ).all()
    return {r[0]: r[1] for r in rows}


async def find_students(
    session: AsyncSession, query: str, limit: int = 20
) -> list[tuple[UUID, str]]:
    """Students the caller may book, by name or number (academy.search_students)."""
    rows = (
        await session.execute(
            text(
                "select id, first_name || ' ' || last_name || ' · ' || student_number"
                " from academy.search_students(:q, :n) where is_active"
            ),
            {"q": query, "n": limit},
        )
    ).all()
    return [(r[0], r[1]) for r in rows]


async def book_pattern(session: AsyncSession, session_id: UUID, student_id: UUID) -> dict[str, int]:
    """Book ``student_id`` into this and every later scheduled occurrence of the session's
    pattern, waitlisting where full; one transaction, one book_session per occurrence."""
    ids = (
        (
            await session.execute(
                text(
                    "select s.id from academy.sessions s, academy.sessions me where me.id = :id"
                    " and s.status = 'scheduled' and s.starts_at >= me.starts_at"
                    " and (s.id = me.id or s.recurring_pattern_id = me.recurring_pattern_id)"
                    " order by s.starts_at"
                ),
                {"id": session_id},
            )
        )
        .scalars()
        .all()
    )
    counts = {"booked": 0, "already_booked": 0, "waitlisted": 0}
    for sid in ids:
        result = await book_session(session, sid, student_id, waitlist_if_full=True)
        counts[result.outcome] += 1
    return counts


async def leave_waitlist(session: AsyncSession, session_id: UUID, student_id: UUID) -> bool:
    """Take a student off a session's waitlist (the others keep their order)."""
    result = await session.execute(
        text(
            "update academy.session_waitlists set status = 'cancelled', cancelled_at = now()"
            " where session_id = :s and student_id = :st and status in ('waiting', 'offered')"
        ),
        {"s": session_id, "st": student_id},
    )
    return bool(getattr(result, "rowcount", 0))
