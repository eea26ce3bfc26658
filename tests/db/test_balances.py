"""0014's per-student balances (academy.student_ledger_balances) against the ledger they
are kept from: after the demo seed's trigger-less bulk load, after payments, refunds and
voids taken by a real desk login, after the owner's maintenance surgery, and when two
desks write for the same child at once (the second waits on the balance row's lock)."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from desk_fixtures import Desk, rush_hour, seed_desk

#: (student, location, currency) groups whose table balance differs from the ledger's sum
#: (signed by 0008's ledger_sign; a void takes the opposite sign of its target)
MISMATCHES = """
    with ledger as (
        select f.student_id, f.location_id, f.currency,
               sum(academy.ledger_sign(f.entry_type, t.entry_type) * f.amount) as balance,
               max(f.created_at) filter (where f.entry_type = 'payment') as last_payment_at
          from academy.student_financial_records f
          left join academy.student_financial_records t
                 on f.entry_type = 'void' and t.id = f.reverses_id
         group by 1, 2, 3)
    select coalesce(l.student_id, b.student_id), l.balance, b.balance
      from ledger l
      full join academy.student_ledger_balances b
        on b.student_id = l.student_id and b.location_id = l.location_id
       and b.currency = l.currency
     where l.balance is distinct from b.balance
        or l.last_payment_at is distinct from b.last_payment_at"""


#: students whose pre-aggregated pickup/family flags differ from their relationships
FLAG_MISMATCHES = """
    with fam as (
        select student_id, array_agg(parent_id order by parent_id) as parent_ids,
               bool_or(can_pickup) as can_pickup
          from academy.student_parent_relationships group by 1)
    select coalesce(f.student_id, g.student_id)
      from fam f full join academy.student_family_flags g on g.student_id = f.student_id
     where (f.parent_ids, f.can_pickup) is distinct from (g.parent_ids, g.can_pickup)"""


def mismatches(url: str, query: str = MISMATCHES) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return [tuple(r) for r in conn.execute(query).fetchall()]


def balance_of(desk: Desk, name: str) -> Decimal:
    rows = desk.execute(
        "select sum(balance) from academy.student_ledger_balances where student_id = %s",
        (desk.students[name],),
    )
    return Decimal(rows[0][0] or 0)


@pytest.fixture
def desk(migrated_db_url: str) -> Iterator[Desk]:
    d = seed_desk(migrated_db_url)
    rush_hour(d)
    d.charge("Mia", "30.00")
    d.charge("Leo", "20.00")
    yield d
    d.close()


@pytest.fixture
def clerk(desk: Desk, login_role):  # type: ignore[no-untyped-def]
    return login_role("front_desk", locations=[desk.location_id])


def pay(conn: psycopg.Connection[Any], desk: Desk, shares: dict[str, str]) -> tuple[Any, ...]:
    allocations = [{"student_id": str(desk.students[k]), "amount": v} for k, v in shares.items()]
    row = conn.execute(
        "select * from academy.take_payment(%s, 'Ana Lopez', 'cash', null, %s)",
        (uuid.uuid4(), json.dumps(allocations)),
    ).fetchone()
    assert row is not None
    return tuple(row)


def test_demo_seed_balances_equal_the_ledger(migrated_db_url: str) -> None:
    """The seed COPYs the ledger with triggers off, then rebuilds the table."""
    from academy_desktop.db.seed import seed_demo

    seed_demo(migrated_db_url, scale="small")
    with psycopg.connect(migrated_db_url) as conn:
        rows = conn.execute("select count(*), count(distinct student_id)"
                            " from academy.student_ledger_balances").fetchone()
        owing = conn.execute("select count(*) from academy.student_ledger_balances"
                             " where balance <> 0").fetchone()
    assert rows is not None and rows[0] > 100 and owing is not None and owing[0] > 0
    assert mismatches(migrated_db_url) == []
    with psycopg.connect(migrated_db_url) as conn:
        flags = conn.execute("select count(*) from academy.student_family_flags").fetchone()
    assert flags is not None and flags[0] > 100
    assert mismatches(migrated_db_url, FLAG_MISMATCHES) == []


def test_family_flags_follow_the_relationships(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    """Insert, update (pickup), delete and a cascade from a parent's deletion, the last
    relationship of a child removes the child's row."""
    flags = "select parent_ids, can_pickup from academy.student_family_flags where student_id = %s"
    ana, jo = desk.parents["Ana"], desk.parents["Jo"]
    assert desk.execute(flags, (desk.students["Emma"],)) == [([jo], False)]
    with psycopg.connect(clerk.url, autocommit=True) as conn:  # the desk, as itself
        conn.execute("insert into academy.student_parent_relationships (student_id, parent_id,"
                     " relationship, can_pickup) values (%s, %s, 'guardian', true)",
                     (desk.students["Emma"], ana))
        assert desk.execute(flags, (desk.students["Emma"],)) == [(sorted([ana, jo]), True)]
        conn.execute("update academy.student_parent_relationships set can_pickup = false"
                     " where parent_id = %s and student_id = %s", (ana, desk.students["Emma"]))
        assert desk.execute(flags, (desk.students["Emma"],)) == [(sorted([ana, jo]), False)]
        conn.execute("delete from academy.student_parent_relationships where student_id = %s",
                     (desk.students["Noah"],))
    assert desk.execute(flags, (desk.students["Noah"],)) == []
    desk.execute("delete from academy.parents where id = %s", (jo,))  # cascades
    assert desk.execute(flags, (desk.students["Emma"],)) == [([ana], False)]
    assert mismatches(desk.url, FLAG_MISMATCHES) == []


def test_payments_refunds_voids_keep_it_exact(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    assert (balance_of(desk, "Mia"), balance_of(desk, "Leo")) == (Decimal(30), Decimal(20))
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        pay(conn, desk, {"Mia": "30.00", "Leo": "25.50"})  # Leo: 20 paid + 5.50 credit
        assert (balance_of(desk, "Mia"), balance_of(desk, "Leo")) == (0, Decimal("-5.50"))
        mia_payment = desk.execute(
            "select id from academy.student_financial_records where student_id = %s"
            " and entry_type = 'payment'", (desk.students["Mia"],))[0][0]
        conn.execute("select * from academy.refund_payment(%s, %s, '10.00', 'Left early')",
                     (uuid.uuid4(), mia_payment))
        assert balance_of(desk, "Mia") == Decimal(10)
        charge = desk.execute(
            "select id from academy.student_financial_records where student_id = %s"
            " and entry_type = 'charge'", (desk.students["Emma"],))[0][0]
        conn.execute("select * from academy.void_entry(%s, %s, 'Charged twice')",
                     (uuid.uuid4(), charge))
        assert balance_of(desk, "Emma") == 0
    assert mismatches(desk.url) == []
    # the family balance reads the table: same answer per currency
    with psycopg.connect(clerk.url) as conn:
        family = conn.execute(
            "select student_id, currency, balance from academy.student_balances(%s)",
            ([desk.students["Mia"], desk.students["Leo"]],)).fetchall()
    assert sorted((r[1], r[2]) for r in family) == [("USD", Decimal("-5.50")),
                                                      ("USD", Decimal("10.00"))]


def test_owner_maintenance_recounts(desk: Desk) -> None:
    """UPDATE/DELETE on the ledger only happen in the owner's maintenance mode; the
    trigger recounts the students concerned, TRUNCATE empties the table."""
    with psycopg.connect(desk.url) as conn, conn.transaction():
        conn.execute("set local role academy_owner")
        conn.execute("set local academy.maintenance = 'on'")
        conn.execute("update academy.student_financial_records set amount = 7"
                     " where student_id = %s", (desk.students["Mia"],))
        conn.execute("delete from academy.student_financial_records where student_id = %s",
                     (desk.students["Leo"],))
    assert (balance_of(desk, "Mia"), balance_of(desk, "Leo")) == (Decimal(7), 0)
    assert mismatches(desk.url) == []
    with psycopg.connect(desk.url) as conn, conn.transaction():
        conn.execute("set local role academy_owner")
        conn.execute("set local academy.maintenance = 'on'")
        conn.execute("truncate academy.student_financial_records")
    assert desk.execute("select count(*) from academy.student_ledger_balances") == [(0,)]


def test_rebuild_repairs_a_trigger_less_load(desk: Desk) -> None:
    """What the seed does: rows COPYed under session_replication_role = replica are not
    seen by the trigger until academy.rebuild_student_balances() runs."""
    with psycopg.connect(desk.url) as conn:
        conn.execute("set session_replication_role = replica")
        conn.execute("insert into academy.student_financial_records (student_id, location_id,"
                     " entry_type, amount) values (%s, %s, 'charge', 99)",
                     (desk.students["Noah"], desk.location_id))
        conn.commit()
    assert len(mismatches(desk.url)) == 1
    assert desk.execute("select academy.rebuild_student_balances() > 0") == [(True,)]
    assert mismatches(desk.url) == [] and balance_of(desk, "Noah") == Decimal(99)


def _waiting_on_lock(desk: Desk, pid: int) -> bool:
    for _ in range(100):
        rows = desk.execute("select wait_event_type from pg_stat_activity where pid = %s",
                            (pid,))
        if rows and rows[0][0] == "Lock":
            return True
        time.sleep(0.05)
    return False


def test_two_desks_writing_for_one_child_end_exact(desk: Desk, clerk, login_role) -> None:  # type: ignore[no-untyped-def]
    """Desk 1 posts a charge and has not committed; desk 2's charge for the same child
    waits on the balance row, then adds to desk 1's committed sum."""
    other = login_role("front_desk", locations=[desk.location_id])
    insert = ("insert into academy.student_financial_records (student_id, location_id,"
              " entry_type, amount) values (%s, %s, 'charge', %s)")
    mia = desk.students["Mia"]
    with psycopg.connect(clerk.url) as first, psycopg.connect(other.url) as second:
        first.execute(insert, (mia, desk.location_id, "1.25"))
        pid = second.info.backend_pid
        done = threading.Event()

        def write() -> None:
            second.execute(insert, (mia, desk.location_id, "2.50"))
            second.commit()
            done.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert _waiting_on_lock(desk, pid) and not done.is_set()
        first.commit()
        thread.join(10)
    assert done.is_set()
    assert balance_of(desk, "Mia") == Decimal("33.75")
    assert mismatches(desk.url) == []


def test_concurrent_payments_race(desk: Desk, clerk, login_role) -> None:  # type: ignore[no-untyped-def]
    """Two desks paying for the same two children (listed in opposite orders), 15 times
    each, at once."""
    amounts = {"Mia": "1.00", "Leo": "2.00"}
    other = login_role("front_desk", locations=[desk.location_id])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def desk_loop(url: str, order: list[str]) -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                barrier.wait()
                for _ in range(15):
                    pay(conn, desk, {name: amounts[name] for name in order})
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=desk_loop, args=(clerk.url, ["Mia", "Leo"])),
               threading.Thread(target=desk_loop, args=(other.url, ["Leo", "Mia"]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    # 30 payments of 1.00 (Mia) and 2.00 (Leo); overpayments became credits: same sums
    assert (balance_of(desk, "Mia"), balance_of(desk, "Leo")) == (Decimal(0), Decimal(-40))
    assert mismatches(desk.url) == []
