"""What the students and families screens show: frozen rows and rules (age, balance, alerts).

Queries in ``db/queries/students.py`` and ``families.py`` build these; the Qt models and
views only read them. Nothing here knows about Qt or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID


def age_on(date_of_birth: date | None, today: date) -> int | None:
    """Whole years between ``date_of_birth`` and ``today`` (None when unknown)."""
    if date_of_birth is None:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


class SortKey(StrEnum):
    NAME = "name"
    NUMBER = "number"
    BIRTH = "birth"
    LOCATION = "location"
    PROGRAM = "program"


@dataclass(frozen=True, slots=True)
class StudentFilter:
    """Server-side filters of the students list; None means "any"."""

    location_id: UUID | None = None
    program_id: UUID | None = None
    level_id: UUID | None = None
    active: bool | None = True


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One line of the students list or of a search result (a student or a parent)."""

    kind: str  # "student" | "parent"
    id: UUID
    first_name: str
    last_name: str
    student_number: str | None = None
    preferred_name: str | None = None
    date_of_birth: date | None = None
    location_name: str | None = None
    program_name: str | None = None
    level_name: str | None = None
    family: str | None = None
    phone: str | None = None
    email: str | None = None
    is_active: bool = True
    match_rank: int = 0

    @property
    def is_student(self) -> bool:
        return self.kind == "student"

    @property
    def display_name(self) -> str:
        first = self.first_name
        if self.preferred_name and self.preferred_name != self.first_name:
            first = f"{self.first_name} ({self.preferred_name})"
        return f"{self.last_name}, {first}"


@dataclass(frozen=True, slots=True)
class StudentPage:
    rows: tuple[PersonRow, ...]
    offset: int
    has_more: bool


@dataclass(frozen=True, slots=True)
class Choice:
    """An id and its display name, for filter and form combo boxes."""

    id: UUID
    name: str


@dataclass(frozen=True, slots=True)
class FilterChoices:
    locations: tuple[Choice, ...] = ()
    programs: tuple[Choice, ...] = ()
    levels: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class StudentProfile:
    id: UUID
    student_number: str
    first_name: str
    last_name: str
    preferred_name: str | None
    date_of_birth: date | None
    gender: str | None
    location_id: UUID
    location_name: str
    program_name: str | None
    school: str | None
    medical_notes: str | None
    allergies: str | None
    notes: str | None
    joined_on: date
    is_active: bool
    row_version: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class FamilyLink:
    """A parent/guardian of a student, with what they may do for the child."""

    parent_id: UUID
    first_name: str
    last_name: str
    relationship: str
    phone: str | None
    email: str | None
    is_primary_contact: bool
    is_emergency_contact: bool
    can_pickup: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class EnrollmentLine:
    program: str
    curriculum: str
    level: str | None
    status: str
    enrolled_on: date


@dataclass(frozen=True, slots=True)
class SessionLine:
    starts_at: datetime
    title: str
    location: str
    status: str


@dataclass(frozen=True, slots=True)
class AttendanceLine:
    day: date
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class ProgressLine:
    level: str
    criterion: str
    stars: int
    assessed_at: datetime


@dataclass(frozen=True, slots=True)
class LedgerLine:
    day: date
    entry_type: str
    signed_amount: Decimal  # positive raises what is owed
    currency: str
    description: str | None


_SIGN = {"charge": 1, "refund": 1, "adjustment": 1, "payment": -1, "credit": -1}


def signed_amount(entry_type: str, amount: Decimal, reversed_type: str | None = None) -> Decimal:
    """Effect of one ledger entry on the balance owed (docs/schema.md, Ledger)."""
    if entry_type == "void":
        return -signed_amount(reversed_type or "charge", amount)
    return amount * _SIGN.get(entry_type, 0)


class AlertKind(StrEnum):
    MEDICAL = "medical"
    BALANCE_DUE = "balance_due"
    NO_PICKUP = "no_pickup"
    ARCHIVED = "archived"


@dataclass(frozen=True, slots=True)
class StudentDetail:
    profile: StudentProfile
    family: tuple[FamilyLink, ...] = ()
    enrollments: tuple[EnrollmentLine, ...] = ()
    upcoming: tuple[SessionLine, ...] = ()
    attendance: tuple[AttendanceLine, ...] = ()
    progress: tuple[ProgressLine, ...] = ()
    balance: Decimal = Decimal("0")
    currency: str = "USD"
    transactions: tuple[LedgerLine, ...] = field(default=())
    photo: bytes | None = None  # scaled JPEG/PNG/WebP as stored (students.photo)

    def alerts(self) -> tuple[AlertKind, ...]:
        """What the desk must not miss, most urgent first."""
        found: list[AlertKind] = []
        if (self.profile.medical_notes or "").strip() or (self.profile.allergies or "").strip():
            found.append(AlertKind.MEDICAL)
        if self.balance > 0:
            found.append(AlertKind.BALANCE_DUE)
        if not any(link.can_pickup for link in self.family):
            found.append(AlertKind.NO_PICKUP)
        if not self.profile.is_active:
            found.append(AlertKind.ARCHIVED)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class StudentChanges:
    """Editable fields of a student (the edit-in-place form)."""

    first_name: str
    last_name: str
    preferred_name: str | None
    date_of_birth: date | None
    medical_notes: str | None
    allergies: str | None
    notes: str | None
    location_id: UUID | None = None  # a move to another location; None keeps it


@dataclass(frozen=True, slots=True)
class FamilySummary:
    """One family (a parent, the other parents of their children, all the children): one
    row of the families workspace, named after its first parent in name order."""

    parent_id: UUID
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    location_name: str
    children: tuple[str, ...]
    balance: Decimal
    other_parents: tuple[str, ...] = ()  # the family's other parents/guardians
    parent_ids: tuple[UUID, ...] = ()  # every parent of the family (this one included)
    currency: str = "USD"  # the lead parent's location's

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
