"""Enrollments and the append-only ledger: monthly tuition charges, sibling discounts,
payments (cash, card, bank transfer, cheque) with receipt numbers, makeup credits for
cancelled classes, a few duplicate-payment refunds, and some families who owe money.

Entries are produced month by month in date order with receipt numbers in that order,
as the desk would have posted them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from academy_desktop.db.seed.copying import new_id
from academy_desktop.db.seed.people import Student, desk_of
from academy_desktop.db.seed.sessions import ZONE, Occurrence
from academy_desktop.db.seed.timetable import Group

METHODS = ("card", "bank_transfer", "cash", "cheque")
METHOD_WEIGHTS = (55, 25, 18, 2)


@dataclass(slots=True)
class Enrollment:
    id: uuid.UUID
    student: Student
    group: Group
    enrolled_on: date

    @property
    def fee(self) -> Decimal:
        fee = self.group.program.monthly_fee + (5 if self.group.level.number >= 5 else 0)
        return Decimal(fee + (10 if self.group.curriculum.spec.min_age >= 18 else 0))


def enrollment_rows(groups: list[Group], rng: random.Random
                    ) -> tuple[list[Enrollment], list[tuple]]:
    enrollments, rows = [], []
    for group in groups:
        cur = group.curriculum
        for student, enrolled_on in group.members:
            enrollment = Enrollment(new_id(rng), student, group, enrolled_on)
            enrollments.append(enrollment)
            created = datetime.combine(enrolled_on, time(11), ZONE)
            rows.append((enrollment.id, student.id, cur.id, group.level.id, cur.program_id,
                         group.location.id, "active", enrolled_on, None, None,
                         desk_of(group.location), created, created))
            if group.level.number > 1 and rng.random() < 0.3:
                start = enrolled_on - timedelta(days=rng.randint(120, 300))
                previous = cur.levels[group.level.number - 2]
                done = datetime.combine(start, time(11), ZONE)
                rows.append((new_id(rng), student.id, cur.id, previous.id, cur.program_id,
                             group.location.id, "completed", start,
                             enrolled_on - timedelta(days=1), "Moved up after skills check",
                             desk_of(group.location), done, done))
    return enrollments, rows


ENROLLMENT_COLUMNS = ("id", "student_id", "curriculum_id", "level_id", "program_id",
                      "location_id", "status", "enrolled_on", "ended_on", "notes", "created_by",
                      "created_at", "updated_at")


def _reference(rng: random.Random, method: str, day: date) -> str | None:
    if method == "card":
        return f"AUTH {rng.randrange(10**6):06d} VISA-{rng.randrange(10**4):04d}"
    if method == "bank_transfer":
        return f"BT-{day:%y%m%d}-{rng.randrange(10**4):04d}"
    return f"CHQ {rng.randrange(10**6):06d}" if method == "cheque" else None


class Ledger:
    """Yields ledger rows month by month; receipt numbers follow posting order."""

    def __init__(self, rng: random.Random, today: date, first: date) -> None:
        self.rng, self.today, self.first = rng, today, first
        self.receipt = 100000

    def _row(self, e: Enrollment, kind: str, amount: Decimal, day: date, *, method: str | None
             = None, description: str | None = None, reason: str | None = None,
             family_payment: uuid.UUID | None = None, reference: str | None = None) -> tuple:
        desk = desk_of(e.group.location)
        posted = datetime.combine(day, time(2) if kind == "charge" else
                                  time(self.rng.randint(9, 18), self.rng.randrange(60)), ZONE)
        return (e.student.id, e.group.location.id, e.group.curriculum.program_id, e.id, kind,
                amount.quantize(Decimal("0.01")), method, reference, description, reason,
                None, family_payment, day, "academy_owner" if kind == "charge" else desk,
                posted)

    def _numbered(self, row: tuple) -> tuple:
        if row[4] not in ("payment", "refund"):
            return row
        self.receipt += 1
        return (*row[:10], self.receipt, *row[11:])

    def rows(self, enrollments: list[Enrollment], cancelled: list[Occurrence]) -> Iterator[tuple]:
        rng = self.rng
        payers: dict[object, list[Enrollment]] = {}
        for e in enrollments:
            key = id(e.student.family) if e.student.family else e.student.id
            payers.setdefault(key, []).append(e)
        late = {key for key in payers if rng.random() < 0.08}
        month = date(self.first.year, self.first.month, 1)
        while month <= self.today:
            batch: list[tuple] = []
            for key, items in payers.items():
                batch += self._month(items, month, key in late)
            batch += self._makeups(enrollments, cancelled, month)
            batch.sort(key=lambda r: (r[12], r[14]))
            yield from (self._numbered(r) for r in batch)
            month = (month + timedelta(days=32)).replace(day=1)

    def _makeups(self, enrollments: list[Enrollment], cancelled: list[Occurrence],
                 month: date) -> list[tuple]:
        if not hasattr(self, "_by_member"):
            self._by_member = {(e.student.id, e.group.id): e for e in enrollments}
        out = []
        for occ in cancelled:
            if (occ.day.year, occ.day.month) != (month.year, month.month) or occ.day >= self.today:
                continue
            for (student, _), code in zip(occ.group.members, occ.codes, strict=True):
                e = self._by_member.get((student.id, occ.group.id))
                if code == "X" and e is not None:
                    reason = f"Makeup credit: class cancelled ({occ.cancelled})"
                    out.append(self._row(e, "credit", e.fee / 4, occ.day, reason=reason))
        return out

    def _month(self, items: list[Enrollment], month: date, late: bool) -> list[tuple]:
        rng, out = self.rng, []
        billed = [e for e in items if e.enrolled_on <= month + timedelta(days=27)]
        if not billed:
            return out
        method = rng.choices(METHODS, METHOD_WEIGHTS)[0]
        pay_day = month + timedelta(days=rng.randint(0, 12))
        unpaid = late and (self.today - month).days < 62
        family_payment = new_id(rng) if len(billed) > 1 else None
        reference = _reference(rng, method, pay_day)
        for index, e in enumerate(billed):
            day = max(month, min(e.enrolled_on, self.today))
            course = f"{e.group.curriculum.spec.name} Level {e.group.level.number}"
            out.append(self._row(e, "charge", e.fee, day,
                                 description=f"Tuition {month:%B %Y} - {course}"))
            due = e.fee
            if index > 0 and e.student.family is not None:
                discount = (e.fee / 10).quantize(Decimal("0.01"))
                due -= discount
                out.append(self._row(e, "credit", discount, day, reason="Sibling discount (10%)"))
            if unpaid or pay_day > self.today:
                continue
            paid_on = max(pay_day, day)
            out.append(self._row(e, "payment", due, paid_on, method=method,
                                 reference=reference, family_payment=family_payment,
                                 description=f"Tuition {month:%B %Y}"))
            if rng.random() < 0.01 and method == "card":
                out.append(self._row(e, "payment", due, paid_on, method=method,
                                     reference=reference, description="Duplicate card charge"))
                out.append(self._row(e, "refund", due, paid_on + timedelta(days=2), method=method,
                                     reason="Duplicate card payment refunded"))
        return out


LEDGER_COLUMNS = ("student_id", "location_id", "program_id", "enrollment_id", "entry_type",
                  "amount", "method", "reference", "description", "reason", "receipt_number",
                  "family_payment_id", "transaction_date", "created_by", "created_at")
