"""Field-by-field validation of people: what is refused, what is accepted as text."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from academy_desktop.domain.students import age_on, signed_amount
from academy_desktop.domain.validation import (
    ChildDraft,
    IssueCode,
    ParentDraft,
    ValidationFailed,
    normalise_phone,
    validate_family,
    validate_student_changes,
)

TODAY = date(2026, 11, 25)
LOC = uuid.uuid4()


def issues(parents: list[ParentDraft], children: list[ChildDraft]) -> dict[str, IssueCode]:
    with pytest.raises(ValidationFailed) as failed:
        validate_family(LOC, parents, children, TODAY)
    return {i.field: i.code for i in failed.value.issues}


def good_parent(**kw: str) -> ParentDraft:
    fields = {"first_name": "Ana", "last_name": "Ruiz", "phone": "(555) 123-4567"} | kw
    return ParentDraft(**fields)  # type: ignore[arg-type]


def good_child(**kw: str) -> ChildDraft:
    fields = {"first_name": "Leo", "last_name": "Ruiz", "date_of_birth": "2018-03-04"} | kw
    return ChildDraft(**fields)  # type: ignore[arg-type]


def test_quotes_sql_and_emoji_are_ordinary_text() -> None:
    family = validate_family(
        LOC, [good_parent(first_name="Zoë 😀", last_name="O'Brien; DROP TABLE x;--")],
        [good_child(first_name='Bobby "Tables"')], TODAY)
    assert family.parents[0].last_name == "O'Brien; DROP TABLE x;--"
    assert family.parents[0].phone == "+15551234567"
    assert family.children[0].date_of_birth == date(2018, 3, 4)


def test_each_bad_field_gets_its_own_issue() -> None:
    found = issues(
        [good_parent(first_name="x" * 10_000, email="ana.example.com", phone="555-CALL-NOW",
                     date_of_birth="2015-01-01")],
        [good_child(date_of_birth="2019-02-30"), good_child(date_of_birth="2010-01-01"),
         good_child(date_of_birth="2030-01-01", last_name="")])
    assert found == {
        "parents.0.first_name": IssueCode.TOO_LONG,
        "parents.0.email": IssueCode.EMAIL_INVALID,
        "parents.0.phone": IssueCode.PHONE_LETTERS,
        "children.0.date_of_birth": IssueCode.DATE_INVALID,
        "children.1.date_of_birth": IssueCode.CHILD_OLDER_THAN_PARENT,
        "children.2.date_of_birth": IssueCode.DATE_IN_FUTURE,
        "children.2.last_name": IssueCode.REQUIRED,
    }


def test_contact_and_members_required() -> None:
    assert issues([good_parent(phone="")], []) == {
        "parents.0.phone": IssueCode.CONTACT_REQUIRED, "children": IssueCode.NO_CHILDREN}
    assert issues([good_parent(phone="12")], [good_child()]) == {
        "parents.0.phone": IssueCode.PHONE_INVALID}


def test_phone_normalisation() -> None:
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("555 123 4567", "US") == "+15551234567"
    assert normalise_phone("not a phone") is None


def test_student_changes() -> None:
    with pytest.raises(ValidationFailed) as failed:
        validate_student_changes("", "Ruiz", "", "1899-12-31", "", "", "n" * 4001, TODAY)
    assert {i.field: i.code for i in failed.value.issues} == {
        "first_name": IssueCode.REQUIRED, "date_of_birth": IssueCode.DATE_TOO_EARLY,
        "notes": IssueCode.TOO_LONG}


def test_age_and_ledger_signs() -> None:
    assert age_on(date(2016, 11, 26), TODAY) == 9
    assert age_on(date(2016, 11, 25), TODAY) == 10
    assert signed_amount("charge", Decimal("10")) == Decimal("10")
    assert signed_amount("payment", Decimal("4")) == Decimal("-4")
    assert signed_amount("void", Decimal("4"), "payment") == Decimal("4")
