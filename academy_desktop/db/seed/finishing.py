"""Last touches after the bulk load: schedule conflicts worth showing, the demo logins
(through the security engineer's `provision_account`), sequences moved past the ids the
seed chose, the per-student balances rebuilt (the ledger is COPYed without triggers) and
the reporting views refreshed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from academy_desktop.db.demo_accounts import DEMO_ACCOUNTS
from academy_desktop.db.seed.sessions import ZONE, Occurrence
from academy_desktop.db.seed.staff import Instructor

CONFLICT_COLUMNS = ("session_id", "recurring_pattern_id", "instructor_id", "location_id",
                    "conflict_date", "kind", "status", "details", "resolution_reason",
                    "detected_by", "resolved_by", "resolved_at")


def conflict_rows(occurrences: list[Occurrence], leaves: list[tuple[Instructor, int, date, date]],
                  closures: dict[date, str], today: date) -> list[tuple]:
    """Open conflicts for sessions during an instructor's leave, resolved ones for
    holidays already excluded from the patterns, and one ignored capacity warning."""
    rows: list[tuple] = []
    taught: dict[int, list[Occurrence]] = {}  # by instructor: leaves x sessions was minutes
    for occ in occurrences:
        taught.setdefault(id(occ.group.instructor), []).append(occ)
    for inst, weekday, first, last in leaves:
        for occ in taught.get(id(inst), ()):
            if first <= occ.day <= last and not occ.cancelled:
                rows.append((occ.id, occ.group.id, inst.id, occ.group.location.id, occ.day,
                             "instructor_unavailable", "open",
                             Jsonb({"reason": "Annual leave", "weekday": weekday}), None,
                             "admin_sam", None, None))
    seen: set[date] = set()
    for occ in occurrences:
        day = occ.day + timedelta(days=7)
        if day in closures and day not in seen and day < today:
            seen.add(day)
            resolved = datetime.combine(day - timedelta(days=20), time(10), ZONE)
            rows.append((None, occ.group.id, occ.group.instructor.id, occ.group.location.id, day,
                         "location_closed", "resolved", Jsonb({"holiday": closures[day]}),
                         f"{closures[day]}: date added to the pattern's exceptions",
                         "admin_sam", "admin_sam", resolved))
    full = [o for o in occurrences if o.day >= today and len(o.group.members) >= o.group.capacity]
    for occ in full[:3]:
        rows.append((occ.id, occ.group.id, None, occ.group.location.id, occ.day,
                     "capacity_exceeded", "ignored", Jsonb({"requested": occ.group.capacity + 1}),
                     "Class is full; child added to the waitlist instead", "desk_riverside",
                     "desk_riverside", datetime.combine(today, time(9), ZONE)))
    return rows


def provision_demo_logins(conn: psycopg.Connection[Any], ids: dict[str, Any]) -> int:
    """Create/update every DEMO_ACCOUNTS login with its locations, programs and links."""
    from academy_desktop.db.demo_accounts import DEMO_GATEKEEPER_PASSWORD
    from academy_desktop.db.provisioning import provision_account, set_gatekeeper_password

    # the desk reports failed sign-ins and redeems reset codes through the gatekeeper
    set_gatekeeper_password(conn, DEMO_GATEKEEPER_PASSWORD)
    for account in DEMO_ACCOUNTS:
        locations = [ids["locations"][n] for n in account.scope if n in ids["locations"]]
        programs = [ids["programs"][n] for n in account.scope if n in ids["programs"]]
        provision_account(
            conn, role_name=account.role_name, kind=account.kind, password=account.password,
            display_name=account.display_name,
            email=None if account.kind == "parent" else f"{account.role_name}@academy.example.com",
            location_ids=locations, program_ids=programs,
            instructor_id=ids["instructor"] if account.kind == "instructor" else None,
            parent_id=ids["parent"] if account.kind == "parent" else None)
    return len(DEMO_ACCOUNTS)


def move_sequences(conn: psycopg.Connection[Any], students: int, receipt: int) -> None:
    conn.execute("select setval('academy.student_number_seq', %s)", (max(students, 1),))
    conn.execute("select setval('academy.receipt_number_seq', %s)", (max(receipt, 100001),))


def refresh_and_analyze(conn: psycopg.Connection[Any]) -> None:
    """After commit: derive what the trigger-less bulk load skipped (0014's per-student
    balances: the ledger was COPYed with triggers off; 0019's search word index),
    populate the materialized views and give the planner statistics."""
    conn.execute("select academy.rebuild_student_balances()")
    conn.execute("select academy.rebuild_search_words()")
    conn.execute("select academy.refresh_reporting_views(false)")
    conn.execute("ANALYZE")


