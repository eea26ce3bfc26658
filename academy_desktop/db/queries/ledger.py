"""Ledger queries for the payments desk: a family's balances and entries (under RLS),
and the money writes through 0008_desk's functions (take_payment, refund_payment,
void_entry, cash_up), each carrying the client's request id so retries never double."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.money import (
    Allocation,
    Balance,
    CashUpRow,
    LedgerEntry,
    PaymentResult,
    Receipt,
    ReceiptLine,
)

ACADEMY_NAME = "Academy"


async def family_of(session: AsyncSession, student_id: UUID) -> list[tuple[UUID, str]]:
    """The student and every child sharing a parent with them: (id, name), by name."""
    rows = (
        await session.execute(
            text("""
        select st.id, st.first_name || ' ' || st.last_name as name
          from academy.students st
         where st.id = :s
            or st.id in (select r2.student_id
                           from academy.student_parent_relationships r1
                           join academy.student_parent_relationships r2
                             on r2.parent_id = r1.parent_id
                          where r1.student_id = :s)
         order by st.first_name, st.last_name"""),
            {"s": student_id},
        )
    ).all()
    return [(r.id, r.name) for r in rows]


async def currency_of(session: AsyncSession, student_id: UUID) -> str:
    """The currency of the student's location: what the desk charges and takes there."""
    value = (
        await session.execute(
            text(
                "select l.currency from academy.students st"
                " join academy.locations l on l.id = st.location_id where st.id = :s"
            ),
            {"s": student_id},
        )
    ).scalar_one()
    return str(value)


async def payer_guess(session: AsyncSession, student_id: UUID) -> str:
    """The primary contact's name (what the desk usually types as payer)."""
    row = (
        await session.execute(
            text("""
        select p.first_name || ' ' || p.last_name
          from academy.student_parent_relationships r join academy.parents p on p.id = r.parent_id
         where r.student_id = :s order by r.is_primary_contact desc, p.last_name limit 1"""),
            {"s": student_id},
        )
    ).first()
    return str(row[0]) if row else ""


async def balances(session: AsyncSession, student_ids: Sequence[UUID]) -> list[Balance]:
    rows = (
        await session.execute(
            text("select student_id, currency, balance from academy.student_balances(:ids)"),
            {"ids": list(student_ids)},
        )
    ).all()
    return [Balance(r.student_id, r.currency, Decimal(r.balance)) for r in rows]


async def entries(session: AsyncSession, student_ids: Sequence[UUID]) -> list[LedgerEntry]:
    rows = (
        await session.execute(
            text("""
        select f.id, f.student_id, st.first_name || ' ' || st.last_name as name,
               f.entry_type::text as entry_type, f.amount, f.currency::text as currency,
               f.method::text as method, f.reference, f.description, f.reason,
               -- a payment shows its receipt's number (its only one), a refund its own
               case when f.entry_type in ('payment', 'credit')
                    then coalesce(r.receipt_number, f.receipt_number)
                    else f.receipt_number end as receipt_number,
               f.created_by, f.created_at,
               case when f.entry_type in ('payment', 'credit') and f.method is not null
                         and not exists (select 1 from academy.student_financial_records v
                                          where v.reverses_id = f.id and v.entry_type = 'void')
                    then f.amount - coalesce((select sum(x.amount)
                                                from academy.student_financial_records x
                                               where x.reverses_id = f.id
                                                 and x.entry_type = 'refund'), 0)
                    else 0 end as refundable
          from academy.student_financial_records f
          join academy.students st on st.id = f.student_id
          left join academy.payment_receipts r on r.id = f.family_payment_id
         where f.student_id = any(:ids)
         order by f.created_at desc, f.id"""),
            {"ids": list(student_ids)},
        )
    ).all()
    return [
        LedgerEntry(
            r.id,
            r.student_id,
            r.name,
            r.entry_type,
            Decimal(r.amount),
            r.currency,
            r.method,
            r.reference,
            r.description,
            r.reason,
            r.receipt_number,
            r.created_by,
            r.created_at,
            Decimal(r.refundable),
        )
        for r in rows
    ]


async def take_payment(
    session: AsyncSession,
    request_id: UUID,
    payer: str,
    method: str,
    reference: str | None,
    allocations: Sequence[Allocation],
    currency: str | None = None,
) -> PaymentResult:
    """Take one payment (one receipt number); ``currency`` None means the location's,
    anything else must be it (the server refuses a mismatch or a mix)."""
    row = (
        await session.execute(
            text(
                "select receipt_number, receipt_id, total, credit_amount, outcome"
                " from academy.take_payment(:r, :payer, :method, :ref, cast(:alloc as jsonb), :cur)"
            ),
            {
                "r": request_id,
                "payer": payer,
                "method": method,
                "ref": reference or None,
                "alloc": json.dumps([a.as_json() for a in allocations]),
                "cur": currency,
            },
        )
    ).one()
    return PaymentResult(
        row.receipt_number,
        row.receipt_id,
        Decimal(row.total),
        Decimal(row.credit_amount),
        row.outcome,
    )


async def receipt(session: AsyncSession, receipt_id: UUID) -> Receipt:
    head = (
        await session.execute(
            text("""
        select r.receipt_number, l.name as location, r.payer, r.method::text as method,
               r.reference, r.currency::text as currency, r.total, r.credit_amount,
               coalesce(u.full_name, r.created_by) as staff, r.created_at
          from academy.payment_receipts r
          join academy.locations l on l.id = r.location_id
          left join academy.users u on u.role_name = r.created_by
         where r.id = :id"""),
            {"id": receipt_id},
        )
    ).one()
    lines = (
        await session.execute(
            text("""
        select st.first_name || ' ' || st.last_name as name, f.entry_type::text as kind, f.amount
          from academy.student_financial_records f join academy.students st on st.id = f.student_id
         where f.family_payment_id = :id and f.entry_type in ('payment', 'credit')
         order by name, kind desc"""),
            {"id": receipt_id},
        )
    ).all()
    return Receipt(
        head.receipt_number,
        ACADEMY_NAME,
        head.location,
        head.payer,
        head.method,
        head.reference,
        head.currency,
        Decimal(head.total),
        Decimal(head.credit_amount),
        head.staff,
        head.created_at,
        tuple(ReceiptLine(r.name, r.kind, Decimal(r.amount)) for r in lines),
    )


async def refund(
    session: AsyncSession, request_id: UUID, entry_id: UUID, amount: Decimal, reason: str
) -> tuple[UUID, int | None, str]:
    row = (
        await session.execute(
            text(
                "select entry_id, receipt_number, outcome"
                " from academy.refund_payment(:r, :e, :a, :why)"
            ),
            {"r": request_id, "e": entry_id, "a": f"{amount:.2f}", "why": reason},
        )
    ).one()
    return row.entry_id, row.receipt_number, row.outcome


async def void(session: AsyncSession, request_id: UUID, entry_id: UUID, reason: str) -> str:
    row = (
        await session.execute(
            text("select outcome from academy.void_entry(:r, :e, :why)"),
            {"r": request_id, "e": entry_id, "why": reason},
        )
    ).one()
    return str(row.outcome)


async def cash_up(
    session: AsyncSession, location_id: UUID, day: dt.date | None = None
) -> tuple[dt.date, str, str, list[CashUpRow]]:
    """(day, location name, its currency, rows) — the location's local today unless
    ``day`` is given."""
    if day is None:
        day = (
            await session.execute(text("select academy.location_today(:l)"), {"l": location_id})
        ).scalar_one()
    found = (
        await session.execute(
            text("select name, currency::text from academy.locations where id = :l"),
            {"l": location_id},
        )
    ).one_or_none()
    if found is None:  # not one of the caller's locations (RLS hides it)
        raise UserFacingError(ErrorKind.PERMISSION_DENIED)
    name, currency = found
    rows = (
        await session.execute(
            text("select * from academy.cash_up(:l, :d)"), {"l": location_id, "d": day}
        )
    ).all()
    return (
        day,
        name,
        currency,
        [
            CashUpRow(
                r.method,
                r.staff_role,
                r.staff_name,
                r.currency,
                Decimal(r.received),
                Decimal(r.paid_out),
                Decimal(r.net),
                int(r.entries),
            )
            for r in rows
        ],
    )
