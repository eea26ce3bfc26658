"""Field-by-field checks of what the desk types about people, before anything is saved.

The database has CHECK constraints too (the last word); these rules exist so each bad
field gets its own message next to it and nothing is sent. Quotes, SQL-looking text and
emoji are ordinary text here (queries bind parameters); only length, shape and dates
are refused. Phone numbers are normalised to E.164 with ``phonenumbers``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

import phonenumbers

from academy_desktop.domain.students import StudentChanges

NAME_MAX = 200
EMAIL_MAX = 254
NOTES_MAX = 4000
ALLERGIES_MAX = 2000
EARLIEST_BIRTH = date(1900, 1, 1)
RELATIONSHIPS = ("mother", "father", "guardian", "grandparent", "stepparent", "sibling", "other")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS = re.compile(r"^[0-9+()./\s-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IssueCode(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    CONTROL_CHARS = "control_chars"
    EMAIL_INVALID = "email_invalid"
    PHONE_LETTERS = "phone_letters"
    PHONE_INVALID = "phone_invalid"
    DATE_INVALID = "date_invalid"
    DATE_IN_FUTURE = "date_in_future"
    DATE_TOO_EARLY = "date_too_early"
    CHILD_OLDER_THAN_PARENT = "child_older_than_parent"
    CONTACT_REQUIRED = "contact_required"
    NO_CHILDREN = "no_children"
    NO_PARENTS = "no_parents"
    RELATIONSHIP_INVALID = "relationship_invalid"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with one field; ``field`` is e.g. ``parents.0.phone``."""

    field: str
    code: IssueCode
    limit: int | None = None


class ValidationFailed(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(", ".join(f"{i.field}: {i.code.value}" for i in issues))
        self.issues = issues


@dataclass(frozen=True, slots=True)
class ParentDraft:
    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    relationship: str = "guardian"
    date_of_birth: str = ""
    link_to: UUID | None = None  # an existing parent chosen instead of creating a twin


@dataclass(frozen=True, slots=True)
class ChildDraft:
    first_name: str
    last_name: str
    date_of_birth: str = ""
    medical_notes: str = ""
    allergies: str = ""


@dataclass(frozen=True, slots=True)
class CleanParent:
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    relationship: str
    date_of_birth: date | None
    link_to: UUID | None = None


@dataclass(frozen=True, slots=True)
class CleanChild:
    first_name: str
    last_name: str
    date_of_birth: date | None
    medical_notes: str | None
    allergies: str | None


@dataclass(frozen=True, slots=True)
class CleanFamily:
    location_id: UUID
    parents: tuple[CleanParent, ...]
    children: tuple[CleanChild, ...] = field(default=())


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, where: str, code: IssueCode, limit: int | None = None) -> None:
        self.issues.append(Issue(where, code, limit))

    def text(self, where: str, value: str, *, required: bool, limit: int) -> str | None:
        value = (value or "").strip()
        if not value:
            if required:
                self.add(where, IssueCode.REQUIRED)
            return None
        if len(value) > limit:
            self.add(where, IssueCode.TOO_LONG, limit)
            return None
        if _CONTROL.search(value):
            self.add(where, IssueCode.CONTROL_CHARS)
            return None
        return value

    def email(self, where: str, value: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if len(value) > EMAIL_MAX:
            self.add(where, IssueCode.TOO_LONG, EMAIL_MAX)
        elif not _EMAIL.match(value):
            self.add(where, IssueCode.EMAIL_INVALID)
        else:
            return value
        return None

    def phone(self, where: str, value: str, region: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not _PHONE_CHARS.match(value):
            letters = re.search(r"[^\W\d_]", value)
            self.add(where, IssueCode.PHONE_LETTERS if letters else IssueCode.PHONE_INVALID)
            return None
        normalised = normalise_phone(value, region)
        if normalised is None:
            self.add(where, IssueCode.PHONE_INVALID)
        return normalised

    def birth(self, where: str, value: str, today: date, *, required: bool) -> date | None:
        value = (value or "").strip()
        if not value:
            if required:
                self.add(where, IssueCode.REQUIRED)
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.add(where, IssueCode.DATE_INVALID)
            return None
        if parsed > today:
            self.add(where, IssueCode.DATE_IN_FUTURE)
        elif parsed < EARLIEST_BIRTH:
            self.add(where, IssueCode.DATE_TOO_EARLY)
        else:
            return parsed
        return None


def normalise_phone(value: str, region: str = "US") -> str | None:
    """E.164 form of ``value`` (``+15551234567``), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):  # 555 and new ranges are fine
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None, region: str = "US") -> str:
    """A stored E.164 number as the desk reads it: national form at home ("(508) 555-8374"),
    international elsewhere; the stored text when it does not parse."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == region
    form = (phonenumbers.PhoneNumberFormat.NATIONAL if home
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, form)


def validate_family(location_id: UUID | None, parents: list[ParentDraft],
                    children: list[ChildDraft], today: date,
                    region: str = "US") -> CleanFamily:
    """Clean the "New family" form or raise ``ValidationFailed`` with every issue."""
    c = _Collector()
    if location_id is None:
        c.add("location", IssueCode.REQUIRED)
    if not parents:
        c.add("parents", IssueCode.NO_PARENTS)
    if not children:
        c.add("children", IssueCode.NO_CHILDREN)
    clean_parents = [_clean_parent(c, f"parents.{i}", p, today, region)
                     for i, p in enumerate(parents)]
    clean_children = [_clean_child(c, f"children.{i}", ch, today)
                      for i, ch in enumerate(children)]
    parent_births = [p.date_of_birth for p in clean_parents if p.date_of_birth]
    for i, child in enumerate(clean_children):
        if child.date_of_birth and any(child.date_of_birth <= b for b in parent_births):
            c.add(f"children.{i}.date_of_birth", IssueCode.CHILD_OLDER_THAN_PARENT)
    if c.issues:
        raise ValidationFailed(c.issues)
    assert location_id is not None
    return CleanFamily(location_id, tuple(clean_parents), tuple(clean_children))


def _clean_parent(c: _Collector, where: str, p: ParentDraft, today: date,
                  region: str) -> CleanParent:
    first = c.text(f"{where}.first_name", p.first_name, required=p.link_to is None, limit=NAME_MAX)
    last = c.text(f"{where}.last_name", p.last_name, required=p.link_to is None, limit=NAME_MAX)
    phone = c.phone(f"{where}.phone", p.phone, region)
    email = c.email(f"{where}.email", p.email)
    born = c.birth(f"{where}.date_of_birth", p.date_of_birth, today, required=False)
    if p.relationship not in RELATIONSHIPS:
        c.add(f"{where}.relationship", IssueCode.RELATIONSHIP_INVALID)
    if (p.link_to is None and not (p.phone or "").strip() and not (p.email or "").strip()):
        c.add(f"{where}.phone", IssueCode.CONTACT_REQUIRED)
    return CleanParent(first or "", last or "", phone, email, p.relationship, born, p.link_to)


def _clean_child(c: _Collector, where: str, ch: ChildDraft, today: date) -> CleanChild:
    first = c.text(f"{where}.first_name", ch.first_name, required=True, limit=NAME_MAX)
    last = c.text(f"{where}.last_name", ch.last_name, required=True, limit=NAME_MAX)
    born = c.birth(f"{where}.date_of_birth", ch.date_of_birth, today, required=True)
    medical = c.text(f"{where}.medical_notes", ch.medical_notes, required=False, limit=NOTES_MAX)
    allergies = c.text(f"{where}.allergies", ch.allergies, required=False, limit=ALLERGIES_MAX)
    return CleanChild(first or "", last or "", born, medical, allergies)


def validate_student_changes(first_name: str, last_name: str, preferred_name: str,
                             date_of_birth: str, medical_notes: str, allergies: str,
                             notes: str, today: date) -> StudentChanges:
    """Clean the student edit form or raise ``ValidationFailed``."""
    c = _Collector()
    first = c.text("first_name", first_name, required=True, limit=NAME_MAX)
    last = c.text("last_name", last_name, required=True, limit=NAME_MAX)
    preferred = c.text("preferred_name", preferred_name, required=False, limit=NAME_MAX)
    born = c.birth("date_of_birth", date_of_birth, today, required=False)
    medical = c.text("medical_notes", medical_notes, required=False, limit=NOTES_MAX)
    allergy = c.text("allergies", allergies, required=False, limit=ALLERGIES_MAX)
    note = c.text("notes", notes, required=False, limit=NOTES_MAX)
    if c.issues:
        raise ValidationFailed(c.issues)
    return StudentChanges(first or "", last or "", preferred, born, medical, allergy, note)
