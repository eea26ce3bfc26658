"""What the desk benchmark checks besides timings: partitions in the roster plans (the
RLS query's, and the statement's inside academy.desk_roster via auto_explain), the
server's count of what the concurrent desks sent, and a CPU calibration line."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import psycopg
from psycopg import sql

from benchmarks._harness import percentiles


def pruning(login_url: str, session_ids: list[Any], day: dt.date) -> dict[str, int]:
    """Partitions of bookings/attendance the roster query's plan touches."""
    with psycopg.connect(login_url) as conn:
        plan = conn.execute(
            "explain (format json) select b.student_id, a.status from academy.session_bookings b"
            " left join academy.student_attendance a on a.session_id = b.session_id"
            " and a.student_id = b.student_id and a.attendance_date = %(d)s"
            " where b.session_date = %(d)s and b.session_id = any(%(ids)s)",
            {"d": day, "ids": session_ids},
        ).fetchone()[0]  # type: ignore[index]
    text = json.dumps(plan)
    return {
        t: len({w for w in text.split('"') if w.startswith(t + "_")})
        for t in ("session_bookings", "student_attendance")
    }


def calibration(login_url: str) -> dict[str, float]:
    samples = []
    with psycopg.connect(login_url, autocommit=True) as conn:
        for _ in range(5):
            start = time.perf_counter()
            conn.execute("select count(*) from generate_series(1, 1000000)").fetchone()
            samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def roster_function_partitions(
    url: str, role: str, session_ids: list[Any], day: dt.date
) -> dict[str, int]:
    """Partitions the statement inside academy.desk_roster touches, read from its own
    plan (auto_explain, nested statements) while signed in as the desk role; partitions
    pruned at executor start-up are not in the plan."""
    notes: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notes.append(d.message_primary or ""))
        conn.execute("LOAD 'auto_explain'")
        for setting in ("log_min_duration = 0", "log_nested_statements = on",
                        "log_level = notice", "log_format = json"):
            conn.execute(f"SET auto_explain.{setting}")
        conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(role)))
        for _ in range(7):  # past plpgsql's switch to a generic plan
            notes.clear()
            conn.execute("select count(*) from academy.desk_roster(%s, %s)", (session_ids, day))
    plan = next((n for n in notes if "session_bookings" in n), "")
    return {
        t: len({w for w in plan.split('"') if w.startswith(t + "_y")})
        for t in ("session_bookings", "student_attendance")
    }


def counts(url: str, pairs: list[tuple[Any, Any]], payments: int) -> dict[str, Any]:
    """What the server holds against exactly what the desks sent: one attendance row per
    (session, child) checked in, one receipt (one number) per payment, one ledger row
    per 1.00 share (children owe whole amounts, so a share is a payment or a credit)."""
    with psycopg.connect(url) as conn:
        recorded = conn.execute(
            "select count(*) from academy.student_attendance a"
            " join unnest(%s::uuid[], %s::uuid[]) x (s, k)"
            " on a.session_id = x.s and a.student_id = x.k",
            ([p[0] for p in pairs], [p[1] for p in pairs]),
        ).fetchone()[0]  # type: ignore[index]
        receipts, numbers, rows = conn.execute(
            "select count(*), count(distinct r.receipt_number),"
            " (select count(*) from academy.student_financial_records f"
            "   join academy.payment_receipts x on x.id = f.family_payment_id"
            "  where x.payer = 'Bench desk' and f.entry_type in ('payment', 'credit'))"
            " from academy.payment_receipts r where r.payer = 'Bench desk'"
        ).fetchone()  # type: ignore[misc]
    return {
        "attendance": {"sent": len(pairs), "recorded": recorded},
        "payments": {"sent": payments, "receipts": receipts, "receipt_numbers": numbers,
                     "ledger_rows": rows},
        "counts_match": recorded == len(pairs) and receipts == numbers == rows == payments,
    }
