"""What the desk benchmark checks besides timings: partitions in the roster plans (the
RLS query's, and the statements' inside academy.desk_roster and desk_first_paint via
auto_explain), the server's count of what the concurrent desks sent, and a CPU
calibration line; the check-in screen's first paint (``checkin_ready``), timed
interleaved with the five RLS statements it replaced (0017) and inside the server; and
the background calls that bring the rest of the day's rosters after it."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import Any

import psycopg
from psycopg import sql

from academy_desktop.db.queries import checkin as cq
from academy_desktop.domain.attendance import roster_batches
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


def _nested_plans(url: str, role: str, query: str, params: Any) -> list[str]:
    """The plans (auto_explain, json) of every statement ``query`` runs, nested ones
    included, while signed in as ``role``; after 7 calls, past plpgsql's switch to a
    generic plan. Partitions pruned at executor start-up are not in these plans."""
    notes: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notes.append(d.message_primary or ""))
        conn.execute("LOAD 'auto_explain'")
        for setting in ("log_min_duration = 0", "log_nested_statements = on",
                        "log_level = notice", "log_format = json"):
            conn.execute(f"SET auto_explain.{setting}")
        conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(role)))
        for _ in range(7):
            notes.clear()
            conn.execute(query, params)
    return notes


def _partitions(plans: list[str]) -> dict[str, int]:
    """Distinct partitions of bookings/attendance named in ``plans``."""
    text = " ".join(plans)
    return {
        t: len({w for w in text.split('"') if w.startswith(t + "_y")})
        for t in ("session_bookings", "student_attendance")
    }


def roster_function_partitions(
    url: str, role: str, session_ids: list[Any], day: dt.date
) -> dict[str, int]:
    """Partitions the statement inside academy.desk_roster touches."""
    plans = _nested_plans(url, role, "select count(*) from academy.desk_roster(%s, %s)",
                          (session_ids, day))
    return _partitions([next((n for n in plans if "session_bookings" in n), "")])


def first_paint_partitions(url: str, role: str, loc: Any, now: dt.datetime) -> dict[str, int]:
    """Partitions every statement inside academy.desk_first_paint touches, together."""
    return _partitions(_nested_plans(
        url, role, "select academy.desk_first_paint(%s, %s, null)", ([loc], now)))


def busiest_moment(sessions: list[Any]) -> tuple[dt.datetime, int]:
    """A minute after a session starts, chosen so the first paint carries the most
    booked children (the worst rush hour of the day), and that many children."""
    if not sessions:
        return dt.datetime.now(dt.UTC), 0
    booked = {s.session_id: s.booked_count for s in sessions}

    def load(now: dt.datetime) -> int:
        return sum(booked[i] for i in cq.first_sessions(sessions, now))

    moment = max((s.starts_at + dt.timedelta(minutes=1) for s in sessions), key=load)
    return moment, load(moment)


def ready(call: Any, loc: Any, sessions: list[Any], repeat: int) -> dict[str, dict[str, Any]]:
    """``checkin_ready``: the screen's first-paint unit of work (``cq.first_paint``, one
    statement since 0017) at the busiest moment, and ``checkin_ready_rls``: the same
    paint as the five statements under RLS it replaced, timed interleaved (call by
    call) so both see the same machine load."""
    moment, _booked = busiest_moment(sessions)
    ways = {"checkin_ready": cq.first_paint, "checkin_ready_rls": cq.first_paint_rls}
    samples: dict[str, list[float]] = {k: [] for k in ways}
    painted: dict[str, Any] = {}
    for i in range(repeat + 5):
        for name, paint in ways.items():
            start = time.perf_counter()
            painted[name] = call(lambda s, paint=paint: paint(s, [loc], moment))
            if i >= 5:  # warm-up: pools, prepared statements, plpgsql plans
                samples[name].append((time.perf_counter() - start) * 1000)
    out = {}
    for name in ways:
        result: dict[str, Any] = percentiles(samples[name])
        result.update({"roster_rows": len(painted[name][2]), "sessions": len(sessions),
                       "first_sessions": len(painted[name][5]),
                       "at": moment.isoformat(timespec="minutes")})
        out[name] = result
    out["checkin_ready"]["same_as_rls"] = painted["checkin_ready"] == painted["checkin_ready_rls"]
    return out


def later_batches(call: Any, day: dt.date, sessions: list[Any], repeat: int) -> dict[str, Any]:
    """``roster_batch``: each background call the screen makes after its first paint at
    the busiest moment (``roster_batches`` of what ``first_sessions`` left: nearest
    first, about BATCH_ROWS children a call), the day's batches in turn until ``repeat``
    calls; ``rest_of_day``: all of a day's batches one after another (nobody waits for
    that: input is live throughout)."""
    moment, _booked = busiest_moment(sessions)
    batches = roster_batches(sessions, set(cq.first_sessions(sessions, moment)), moment)
    if not batches:
        return {}
    per_call: list[float] = []
    whole: list[float] = []
    rows: list[int] = []
    for i in range(max(repeat // len(batches), 3) + 1):
        begin = time.perf_counter()
        for ids in batches:
            start = time.perf_counter()
            got = call(lambda s, ids=ids: cq.rosters(s, ids, day))
            if i:  # the first round warms pools and plans
                per_call.append((time.perf_counter() - start) * 1000)
            elif ids:
                rows.append(len(got))
        if i:
            whole.append((time.perf_counter() - begin) * 1000)
    batch: dict[str, Any] = percentiles(per_call)
    batch.update({"batches": len(batches), "rows_max": max(rows), "rows": sum(rows)})
    return {"roster_batch": batch, "rest_of_day": percentiles(whole)}


def ready_server(login_url: str, loc: Any, moment: dt.datetime, repeat: int) -> dict[str, Any]:
    """Planning + execution of academy.desk_first_paint inside the server (EXPLAIN
    ANALYZE, timing off), as the desk login: the part of checkin_ready machine load
    on the client side cannot touch."""
    samples = []
    with psycopg.connect(login_url, autocommit=True) as conn:
        for i in range(repeat + 5):
            plan = "\n".join(r[0] for r in conn.execute(
                "explain (analyze, timing off, summary)"
                " select academy.desk_first_paint(%s, %s, null)", ([loc], moment)).fetchall())
            if i >= 5:
                samples.append(sum(float(x) for x in re.findall(
                    r"(?:Planning|Execution) Time: ([\d.]+)", plan)))
    return percentiles(samples)


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
