"""Families from a CSV file: one row per person, rows sharing a ``family`` key make one
family (its parents and children). Parsed and validated here, before anything is sent,
with the same field rules as the "New family" dialog; every problem is tied to the CSV
line and column it comes from, so the preview can show it. The import itself is all or
nothing (one transaction): a file with any problem imports no family at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from academy_desktop.domain.validation import (
    ChildDraft,
    CleanFamily,
    Issue,
    IssueCode,
    ParentDraft,
    ValidationFailed,
    validate_family,
)

COLUMNS = ("family", "role", "first_name", "last_name", "date_of_birth", "phone", "email",
           "relationship", "allergies", "medical_notes")
REQUIRED_COLUMNS = ("family", "role", "first_name", "last_name")
ROLES = ("parent", "child")
MAX_ROWS = 5000


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One person as read: ``line`` is the 1-based line of the file (header is line 1)."""

    line: int
    values: dict[str, str]

    @property
    def family(self) -> str:
        return self.values.get("family", "").strip()

    @property
    def role(self) -> str:
        return self.values.get("role", "").strip().lower()


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem with one cell (``column``) of one line, or with the whole file (line 0)."""

    line: int
    column: str
    issue: Issue


@dataclass(frozen=True, slots=True)
class FamilyImport:
    rows: tuple[CsvRow, ...]
    families: tuple[CleanFamily, ...]
    issues: tuple[RowIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.issues and bool(self.families)

    def issues_at(self, line: int) -> tuple[RowIssue, ...]:
        return tuple(i for i in self.issues if i.line == line)

    def contacts(self) -> tuple[list[str], list[str]]:
        """Phones (E.164) and emails of the parents to create: for a duplicate check."""
        parents = [p for f in self.families for p in f.parents if p.link_to is None]
        return ([p.phone for p in parents if p.phone], [p.email for p in parents if p.email])


class CsvUnreadable(Exception):
    """Not a CSV this import understands (broken quoting, missing columns, too big)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def read_rows(text: str) -> tuple[CsvRow, ...]:
    """The rows of ``text`` (header first; extra columns are refused, order is free)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        unknown = [h for h in header if h not in COLUMNS]
        if missing or unknown or len(set(header)) != len(header):
            raise CsvUnreadable("columns", ", ".join(missing + unknown) or "duplicate column")
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise CsvUnreadable("cells", str(reader.line_num))
            rows.append(CsvRow(reader.line_num, dict(zip(header, values, strict=True))))
            if len(rows) > MAX_ROWS:
                raise CsvUnreadable("too_many", str(MAX_ROWS))
    except csv.Error as error:
        raise CsvUnreadable("quoting", str(reader.line_num)) from error
    return tuple(rows)


def parse_families(text: str, location_id: UUID | None, today: date,
                   region: str = "US") -> FamilyImport:
    """Every family of the file cleaned, and every problem tied to its line and column."""
    rows = read_rows(text)
    issues: list[RowIssue] = []
    groups: dict[str, list[CsvRow]] = {}
    for row in rows:
        if not row.family:
            issues.append(RowIssue(row.line, "family", Issue("family", IssueCode.REQUIRED)))
        elif row.role not in ROLES:
            issues.append(RowIssue(row.line, "role", Issue("role", IssueCode.REQUIRED)))
        else:
            groups.setdefault(row.family, []).append(row)
    families = []
    for members in groups.values():
        clean, problems = _one_family(members, location_id, today, region)
        issues += problems
        if clean is not None:
            families.append(clean)
    return FamilyImport(rows, tuple(families), tuple(issues))


def _one_family(members: list[CsvRow], location_id: UUID | None, today: date,
                region: str) -> tuple[CleanFamily | None, list[RowIssue]]:
    parents = [r for r in members if r.role == "parent"]
    children = [r for r in members if r.role == "child"]

    def cell(row: CsvRow, column: str) -> str:
        return row.values.get(column, "")

    drafts = [ParentDraft(cell(r, "first_name"), cell(r, "last_name"), cell(r, "phone"),
                          cell(r, "email"), cell(r, "relationship").strip().lower()
                          or "guardian", cell(r, "date_of_birth")) for r in parents]
    kids = [ChildDraft(cell(r, "first_name"), cell(r, "last_name"), cell(r, "date_of_birth"),
                       cell(r, "medical_notes"), cell(r, "allergies")) for r in children]
    try:
        return validate_family(location_id, drafts, kids, today, region), []
    except ValidationFailed as failed:
        return None, list(_locate(failed.issues, parents, children, members))


def _locate(issues: Iterable[Issue], parents: list[CsvRow], children: list[CsvRow],
            members: list[CsvRow]) -> Iterable[RowIssue]:
    """``parents.1.phone`` -> (line of the family's second parent, "phone")."""
    for issue in issues:
        parts = issue.field.split(".")
        if parts[0] in ("parents", "children") and len(parts) == 3:
            row = (parents if parts[0] == "parents" else children)[int(parts[1])]
            yield RowIssue(row.line, parts[2], issue)
        elif parts[0] == "location":
            yield RowIssue(0, "location", issue)
        else:  # a family without parents or without children: every line of it
            for row in members:
                yield RowIssue(row.line, "role", issue)
