"""Rows that follow from each session's roster outcome: bookings, attendance, progress
ratings (improving the longer a child has been in the level) and waitlists on full
upcoming classes.

Generated session by session in date order (as a real academy appends them), shuffled
within each session, so no table is clustered by student name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from academy_desktop.db.seed.copying import new_id
from academy_desktop.db.seed.people import desk_of
from academy_desktop.db.seed.sessions import ZONE, Occurrence

BOOKING_STATUS = {"B": "booked", "C": "cancelled", "X": "cancelled", "P": "attended",
                  "L": "attended", "A": "no_show", "E": "cancelled"}
ATTENDANCE_STATUS = {"P": "present", "L": "late", "A": "absent", "E": "excused"}
CANCEL_NOTES = {"C": "Parent called - family holiday", "X": "Session cancelled by the academy",
                "E": "Excused - unwell"}


def booking_rows(occurrences: list[Occurrence], rng: random.Random) -> Iterator[tuple]:
    for occ in occurrences:
        rows = []
        booked_at = occ.starts_at - timedelta(days=rng.randint(7, 40))
        for (student, enrolled_on), code in zip(occ.group.members, occ.codes, strict=True):
            if code == " ":
                continue
            status = BOOKING_STATUS[code]
            cancelled = status == "cancelled"
            joined = datetime.combine(enrolled_on, time(9), ZONE)
            rows.append((occ.id, occ.day, student.id, status,
                         desk_of(occ.group.location), max(booked_at, joined),
                         occ.starts_at - timedelta(hours=rng.randint(2, 48)) if cancelled else None,
                         CANCEL_NOTES.get(code) if cancelled else None))
        rng.shuffle(rows)
        yield from rows


BOOKING_COLUMNS = ("session_id", "session_date", "student_id", "status", "booked_by",
                   "booked_at", "cancelled_at", "cancel_reason")


def attendance_rows(occurrences: list[Occurrence], rng: random.Random) -> Iterator[tuple]:
    for occ in occurrences:
        group = occ.group
        rows = []
        for (student, _), code in zip(group.members, occ.codes, strict=True):
            status = ATTENDANCE_STATUS.get(code)
            if status is None:
                continue
            checked_in = checked_out = None
            if status in ("present", "late"):
                offset = rng.randint(5, 15) if status == "late" else -rng.randint(0, 12)
                checked_in = occ.starts_at + timedelta(minutes=offset)
                checked_out = occ.ends_at + timedelta(minutes=rng.randint(0, 10))
            rows.append((occ.id, occ.day, student.id, group.location.id,
                         group.curriculum.program_id, status, checked_in, checked_out,
                         group.instructor.login, "Parent emailed ahead" if code == "E" else None,
                         occ.ends_at, occ.ends_at))
        rng.shuffle(rows)
        yield from rows


ATTENDANCE_COLUMNS = ("session_id", "attendance_date", "student_id", "location_id",
                      "program_id", "status", "checked_in_at", "checked_out_at", "recorded_by",
                      "notes", "created_at", "updated_at")


def progress_rows(occurrences: list[Occurrence], rng: random.Random, every_weeks: int,
                  today: date, first: date) -> Iterator[tuple]:
    """Every `every_weeks` weeks the coach rates each attending child on every criterion."""
    for occ in occurrences:
        if occ.day >= today or occ.cancelled or \
                (occ.day - first).days % (7 * every_weeks) >= 7:
            continue
        group = occ.group
        level = group.level
        for (student, enrolled_on), code in zip(group.members, occ.codes, strict=True):
            if code not in "PL":
                continue
            weeks = (occ.day - enrolled_on).days / 7
            for position, criterion in enumerate(level.criteria):
                skill = 0.3 + weeks / 10 - position * 0.25 + rng.uniform(-0.7, 0.7)
                stars = max(0, min(3, round(skill)))
                yield (student.id, level.id, group.curriculum.program_id, occ.id,
                       level.rubric_id, criterion, stars, group.instructor.login,
                       occ.ends_at, None, occ.ends_at, occ.ends_at)


PROGRESS_COLUMNS = ("student_id", "level_id", "program_id", "session_id", "rubric_id",
                    "criterion_id", "stars", "assessed_by", "assessed_at", "notes",
                    "created_at", "updated_at")


def waitlist_rows(occurrences: list[Occurrence], rng: random.Random, today: date
                  ) -> Iterator[tuple]:
    """1-3 children waiting for each of the next two sessions of a full group."""
    seen: dict[object, int] = {}
    for occ in occurrences:
        group = occ.group
        if occ.day < today or occ.cancelled or len(group.members) < group.capacity:
            continue
        if seen.get(group.id, 0) >= 2:
            continue
        seen[group.id] = seen.get(group.id, 0) + 1
        members = {s.id for s, _ in group.members}
        candidates = list({s.id: s for g in group.neighbours for s, _ in g.members
                           if s.id not in members and group.curriculum.fits(s.age_on(today))
                           }.values())
        picked = rng.sample(candidates, min(rng.randint(1, 3), len(candidates)))
        for position, student in enumerate(picked, start=1):
            added = occ.starts_at - timedelta(days=rng.randint(3, 20))
            yield (new_id(rng), occ.id, student.id, position, "waiting", None,
                   desk_of(group.location), None, added, added)


WAITLIST_COLUMNS = ("id", "session_id", "student_id", "position", "status", "offered_at",
                    "added_by", "notes", "created_at", "updated_at")
