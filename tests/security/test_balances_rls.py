"""0014's per-student balances (academy.student_ledger_balances) under the ledger's own
scope, as real logins: a desk sees its locations' balances only, a parent their child's,
instructors and program admins are refused like on the ledger, and nobody writes the
table directly (only the ledger's trigger, as the owner, does)."""

from __future__ import annotations

import pytest
from psycopg.errors import InsufficientPrivilege
from secworld import ids, rowcount, shared

BALANCES = "select student_id from academy.student_ledger_balances"


@shared
def test_desk_sees_only_its_locations_balances(cast):
    w = cast.world
    assert ids(cast.desk_a.url, BALANCES) == {w.student_a1}
    assert ids(cast.desk_a.url, BALANCES + " where student_id = %s", (w.student_b1,)) == set()
    assert ids(cast.desk_a.url, BALANCES + " where location_id = %s", (w.loc_b,)) == set()
    assert ids(cast.desk_b.url, BALANCES) == {w.student_b1}
    # the family balance function (invoker) gives the same scope
    assert ids(cast.desk_a.url, "select student_id from academy.student_balances(%s)",
               ([w.student_a1, w.student_b1],)) == {w.student_a1}


@shared
def test_super_admin_and_parent_scopes(cast):
    w = cast.world
    assert ids(cast.super_admin.url, BALANCES) == {w.student_a1, w.student_b1}
    assert ids(cast.parent_a.url, BALANCES) == {w.student_a1}
    assert ids(cast.parent_a.url, "select balance from academy.student_ledger_balances") == {-25}


@shared
@pytest.mark.parametrize("who", ["instructor_1", "padmin_1"])
def test_instructor_and_program_admin_refused_like_the_ledger(cast, who):
    login = getattr(cast, who)
    for table in ("student_ledger_balances", "student_financial_records"):
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            ids(login.url, f"select count(*) from academy.{table}")


@shared
@pytest.mark.parametrize("who", ["desk_a", "super_admin", "parent_a"])
def test_nobody_writes_balances_directly(cast, who):
    w = cast.world
    login = getattr(cast, who)
    for statement, params in (
        ("update academy.student_ledger_balances set balance = 0", ()),
        ("delete from academy.student_ledger_balances", ()),
        ("insert into academy.student_ledger_balances (student_id, location_id, currency,"
         " balance) values (%s, %s, 'USD', -1000)", (w.student_a2, w.loc_a)),
        ("select academy.rebuild_student_balances()", ()),
        ("select academy.recount_student_balances(%s)", ([w.student_a1],)),
    ):
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            rowcount(login.url, statement, params)
    assert ids(cast.superuser_url, "select sum(balance) from academy.student_ledger_balances"
               " where student_id = %s", (w.student_a1,)) == {-25}


def test_a_desk_posting_to_the_ledger_moves_only_its_childs_balance(cast):
    """The trigger runs as the owner for a desk without any write grant on the table."""
    w = cast.world
    assert rowcount(cast.desk_a.url, "insert into academy.student_financial_records"
                    " (student_id, location_id, entry_type, amount) values (%s, %s,"
                    " 'charge', 40)", (w.student_a1, w.loc_a)) == 1
    assert ids(cast.desk_a.url, "select balance from academy.student_ledger_balances") == {15}
    assert ids(cast.desk_b.url, "select balance from academy.student_ledger_balances") == {-25}
