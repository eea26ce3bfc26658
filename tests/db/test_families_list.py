"""The families list (queries.families.list_families) as real desk logins: one row per
family under its first parent in name order, every child, the family balance in the
location's currency from the ledger, only the desk's own location, and the filtered form
used after a search. Also: it reads a page of parents in name order (the lead test once
compared every parent with every other, 163 s at 100k students) - checked by plan shape,
not by time."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from db_sessions import run_as
from desk_fixtures import Desk, seed_desk

from academy_desktop.db.queries import families


@pytest.fixture
def two(migrated_db_url: str) -> Any:
    a = seed_desk(migrated_db_url)
    b = seed_desk(migrated_db_url, code="FAR", currency="EUR")
    for first, last in (("Mia", "Lopez"), ("Leo", "Lopez"), ("Noah", "Kim"), ("Zoe", "Adams")):
        a.add_student(first, last)
    a.add_parent("Ana", "Lopez", ["Mia", "Leo"])
    a.add_parent("Carl", "Lopez", ["Leo"])  # shares Leo: same family, after Ana by name
    a.add_parent("Sue", "Kim", ["Noah"])
    a.add_parent("Ben", "Adams", [])  # no children yet: a family of one
    a.charge("Mia", "40.00")
    a.charge("Leo", "25.50")
    a.charge("Noah", "10.00")
    a.execute("insert into academy.student_financial_records (student_id, entry_type, amount,"
              " currency, method, description) values (%s, 'payment', 30, null, 'cash', 'Cash')",
              (a.students["Noah"],))
    b.add_student("Eva", "Berg")
    b.add_parent("Ida", "Berg", ["Eva"])
    b.charge("Eva", "12.00")
    yield a, b
    a.close()
    b.close()


def rows(url: str, ids: Any = None) -> dict[str, Any]:
    found = run_as(url, lambda s: families.list_families(s, ids))
    return {f"{f.first_name} {f.last_name}": f for f in found}


def test_one_row_per_family_with_children_and_balance(two: Any, login_role: Any) -> None:
    a: Desk = two[0]
    clerk = login_role("front_desk", locations=[a.location_id])
    found = rows(clerk.url)
    assert list(found) == ["Ben Adams", "Sue Kim", "Ana Lopez"]  # name order; Carl under Ana
    lopez = found["Ana Lopez"]
    assert set(lopez.children) == {"Mia Lopez", "Leo Lopez"}
    assert lopez.other_parents == ("Carl Lopez",)
    assert set(lopez.parent_ids) == {a.parents["Ana"], a.parents["Carl"]}
    assert lopez.balance == Decimal("65.50") and lopez.currency == "USD"
    assert found["Sue Kim"].balance == Decimal("-20.00")  # in credit
    assert found["Ben Adams"].children == () and found["Ben Adams"].balance == 0


def test_balance_equals_the_ledger(two: Any, login_role: Any) -> None:
    a: Desk = two[0]
    clerk = login_role("front_desk", locations=[a.location_id])
    with psycopg.connect(a.url) as conn:
        ledger = dict(conn.execute(
            "select p.first_name, sum(case when f.entry_type in ('payment', 'credit')"
            " then -f.amount else f.amount end)"
            " from academy.parents p join academy.student_parent_relationships r"
            " on r.parent_id = p.id join academy.student_financial_records f"
            " on f.student_id = r.student_id where p.first_name in ('Ana', 'Sue')"
            " group by 1").fetchall())
    found = rows(clerk.url)
    assert found["Ana Lopez"].balance == ledger["Ana"]
    assert found["Sue Kim"].balance == ledger["Sue"]


def test_each_desk_sees_its_own_families_in_its_currency(two: Any, login_role: Any) -> None:
    b: Desk = two[1]
    far = rows(login_role("front_desk", locations=[b.location_id]).url)
    assert list(far) == ["Ida Berg"]
    assert far["Ida Berg"].currency == "EUR" and far["Ida Berg"].balance == Decimal("12.00")
    both = rows(login_role("super_admin").url)
    assert {"Ida Berg", "Ana Lopez", "Sue Kim", "Ben Adams"} <= set(both)


def test_filtered_to_the_families_of_some_parents(two: Any, login_role: Any) -> None:
    a: Desk = two[0]
    clerk = login_role("front_desk", locations=[a.location_id])
    # Carl was found: his family is shown, under its lead
    assert list(rows(clerk.url, [a.parents["Carl"]])) == ["Ana Lopez"]
    assert list(rows(clerk.url, [a.parents["Sue"], a.parents["Ben"]])) == ["Ben Adams", "Sue Kim"]
    b: Desk = two[1]
    assert rows(clerk.url, [b.parents["Ida"]]) == {}  # another location's parent: nothing


def test_parents_are_read_in_name_order_a_page_at_a_time(two: Any, login_role: Any) -> None:
    """The lead test runs per parent, in the order of parents_name_order_idx (0020), and
    stops with the page: no anti join of parents against every parent (the 163 s plan).
    Scans and sorts are switched off so this tiny database plans like a big one."""
    a: Desk = two[0]
    clerk = login_role("front_desk", locations=[a.location_id])
    sql = str(families._FAMILIES.text).replace(":ids", "null").replace(":limit", "500")
    with psycopg.connect(clerk.url) as conn:
        conn.execute("set enable_seqscan = off")
        conn.execute("set enable_sort = off")
        plan = "\n".join(r[0] for r in conn.execute("explain " + sql))
    assert "Index Scan using parents_name_order_idx on parents p" in plan
    assert "Hash Anti Join" not in plan
