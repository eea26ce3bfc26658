"""The ledger through the desk's functions, as a real front-desk login over TCP: one
receipt per payment whatever the retries, refusals that write nothing, refunds limited to
what was paid, balances and a cash-up that equals the ledger."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from db_sessions import run_as
from desk_fixtures import Desk, rush_hour, seed_desk

from academy_desktop.db.queries import ledger
from academy_desktop.domain.errors import ErrorKind, UserFacingError


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


def pay(
    conn: psycopg.Connection,
    desk: Desk,
    shares: dict[str, object],
    *,
    request: uuid.UUID | None = None,
    method: str = "cash",
    reference: str | None = None,
    currency: str | None = "USD",
) -> tuple:
    allocations = [{"student_id": str(desk.students[k]), "amount": v} for k, v in shares.items()]
    row = conn.execute(
        "select * from academy.take_payment(%s, %s, %s, %s, %s, %s)",
        (request or uuid.uuid4(), "Ana Lopez", method, reference, json.dumps(allocations),
         currency),
    ).fetchone()
    assert row is not None
    return tuple(row)


def balances(desk: Desk) -> dict[str, Decimal]:
    rows = desk.execute(
        "select st.first_name, b.balance from academy.students st,"
        " academy.student_balances(array[st.id]) b order by 1"
    )
    return {r[0]: r[1] for r in rows}


def test_split_payment_with_overpayment_credit(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        number, _rid, total, credit, outcome = pay(conn, desk, {"Mia": "30.00", "Leo": "25.50"})
    assert (total, credit, outcome) == (Decimal("55.50"), Decimal("5.50"), "recorded")
    assert desk.ledger()[-3:] == [
        ("Leo", "payment", Decimal("20.00"), "cash"),
        ("Leo", "credit", Decimal("5.50"), "cash"),
        ("Mia", "payment", Decimal("30.00"), "cash"),
    ] or sorted(desk.ledger()[-3:]) == sorted(
        [
            ("Leo", "payment", Decimal("20.00"), "cash"),
            ("Leo", "credit", Decimal("5.50"), "cash"),
            ("Mia", "payment", Decimal("30.00"), "cash"),
        ]
    )
    assert balances(desk)["Leo"] == Decimal("-5.50") and balances(desk)["Mia"] == 0
    assert number >= 100001


def test_double_click_and_reused_request(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    request = uuid.uuid4()
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        first = pay(conn, desk, {"Mia": "30"}, request=request)
        second = pay(conn, desk, {"Mia": "30.00"}, request=request)
        assert second[:4] == first[:4] and second[4] == "already_recorded"
        with pytest.raises(psycopg.errors.RaiseException, match="different amount") as err:
            pay(conn, desk, {"Mia": "31.00"}, request=request)
        assert str(first[0]) in (err.value.diag.message_detail or "")
    assert [r for r in desk.ledger() if r[1] == "payment"] == [
        ("Mia", "payment", Decimal("30.00"), "cash")
    ]


def test_bad_input_writes_nothing(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    """Bad amounts, a card number as reference, another location's student: refused."""
    before = desk.ledger()
    elsewhere = seed_desk(desk.url, code="FAR")
    far = elsewhere.add_student("Zoe", "Far")
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        for amount in ("0", "-5", "abc", "1e12", "10.005", "", "99999999", 0, -1, 12.345):
            with pytest.raises(psycopg.errors.RaiseException, match="academy:invalid_input"):
                pay(conn, desk, {"Mia": amount})
        with pytest.raises(psycopg.errors.RaiseException, match="card number"):
            pay(conn, desk, {"Mia": "5"}, method="card", reference="4111 1111 1111 1111")
        with pytest.raises(psycopg.errors.RaiseException, match="academy:permission_denied"):
            conn.execute(
                "select * from academy.take_payment(%s,'X','cash',null,%s,'USD')",
                (uuid.uuid4(), json.dumps([{"student_id": str(far), "amount": 5}])),
            )
    assert desk.ledger() == before
    assert desk.execute("select count(*) from academy.payment_receipts") == [(0,)]
    elsewhere.close()


def test_refund_limited_to_paid_and_void(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        pay(conn, desk, {"Mia": "30.00"})
        entry = conn.execute(
            "select id from academy.student_financial_records where entry_type = 'payment'"
        ).fetchone()[0]
        with pytest.raises(psycopg.errors.RaiseException, match="more than was paid"):
            conn.execute(
                "select * from academy.refund_payment(%s,%s,'30.01','too much')",
                (uuid.uuid4(), entry),
            )
        request = uuid.uuid4()
        row = conn.execute(
            "select outcome from academy.refund_payment(%s,%s,'10','kit returned')",
            (request, entry),
        ).fetchone()
        again = conn.execute(
            "select outcome from academy.refund_payment(%s,%s,'10','kit returned')",
            (request, entry),
        ).fetchone()
        assert (row, again) == (("recorded",), ("already_recorded",))
        with pytest.raises(psycopg.errors.RaiseException, match=r"at most 20\.00"):
            conn.execute(
                "select * from academy.refund_payment(%s,%s,'20.01','x')", (uuid.uuid4(), entry)
            )
        with pytest.raises(psycopg.errors.RaiseException, match="needs a reason"):
            conn.execute(
                "select * from academy.refund_payment(%s,%s,'1',' ')", (uuid.uuid4(), entry)
            )
        with pytest.raises(psycopg.errors.RaiseException, match="already voided or refunded"):
            conn.execute("select * from academy.void_entry(%s,%s,'typo')", (uuid.uuid4(), entry))
    assert balances(desk)["Mia"] == Decimal("10.00")


def test_terminated_mid_payment_retry_neither_loses_nor_doubles(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    """The backend dies while the payment waits on a lock; the retry records it once."""
    request = uuid.uuid4()
    blocker = psycopg.connect(desk.url)
    blocker.execute(
        "select pg_advisory_xact_lock(hashtextextended(%s::text, 8008))",
        (str(desk.students["Mia"]),),
    )
    victim = psycopg.connect(clerk.url, autocommit=True)
    pid = victim.execute("select pg_backend_pid()").fetchone()[0]
    failures: list[BaseException] = []

    def attempt() -> None:
        try:
            pay(victim, desk, {"Mia": "30.00"}, request=request)
        except psycopg.Error as exc:
            failures.append(exc)

    worker = threading.Thread(target=attempt)
    worker.start()
    for _ in range(200):
        waiting = desk.execute(
            "select wait_event_type from pg_stat_activity where pid = %s", (pid,)
        )
        if waiting and waiting[0][0] == "Lock":
            break
        time.sleep(0.02)
    desk.execute("select pg_terminate_backend(%s)", (pid,))
    worker.join(10)
    blocker.rollback()
    blocker.close()
    assert failures and isinstance(failures[0], psycopg.OperationalError)
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        first = pay(conn, desk, {"Mia": "30.00"}, request=request)
        second = pay(conn, desk, {"Mia": "30.00"}, request=request)
    assert first[4] == "recorded" and second[4] == "already_recorded"
    assert [r for r in desk.ledger() if r[1] == "payment"] == [
        ("Mia", "payment", Decimal("30.00"), "cash")
    ]


def test_cash_up_equals_ledger(desk: Desk, clerk, login_role) -> None:  # type: ignore[no-untyped-def]
    other = login_role("front_desk", locations=[desk.location_id])
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        pay(conn, desk, {"Mia": "30.00"})
        pay(conn, desk, {"Leo": "25.00"}, method="card", reference="AUTH 1234")
    with psycopg.connect(other.url, autocommit=True) as conn:
        pay(conn, desk, {"Emma": "45.00"}, method="cash")
        entry = conn.execute(
            "select id from academy.student_financial_records where"
            " entry_type = 'payment' and student_id = %s",
            (desk.students["Emma"],),
        ).fetchone()[0]
        conn.execute(
            "select * from academy.refund_payment(%s,%s,'5','goodwill')", (uuid.uuid4(), entry)
        )
        day = conn.execute("select academy.location_today(%s)", (desk.location_id,)).fetchone()[0]
        rows = conn.execute(
            "select method, staff_role, net from academy.cash_up(%s, %s)", (desk.location_id, day)
        ).fetchall()
    totals = {(m, r): n for m, r, n in rows}
    assert totals == {
        ("cash", clerk.role_name): Decimal("30.00"),
        ("card", clerk.role_name): Decimal("25.00"),
        ("cash", other.role_name): Decimal("40.00"),
    }
    ledger_net = desk.execute(
        "select sum(case when entry_type in ('payment','credit') then amount else -amount end)"
        " from academy.student_financial_records where method is not null"
    )[0][0]
    assert sum(totals.values()) == ledger_net


def _numbers_used(desk: Desk) -> int:
    """The last number handed out (a fresh sequence has handed out none)."""
    return int(desk.execute(
        "select last_value - (not is_called)::int from academy.receipt_number_seq")[0][0])


def test_split_payment_has_one_receipt_number(desk: Desk, clerk) -> None:  # type: ignore[no-untyped-def]
    """Three ledger rows (two payments and a credit), one number: the receipt's."""
    request = uuid.uuid4()
    before = _numbers_used(desk)
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        number = pay(conn, desk, {"Mia": "30.00", "Leo": "25.50"}, request=request)[0]
        assert pay(conn, desk, {"Mia": "30.00", "Leo": "25.50"}, request=request)[0] == number
        assert _numbers_used(desk) == before + 1 == number  # the replay took none
        rows = conn.execute(
            "select entry_type::text, receipt_number from academy.student_financial_records"
            " where family_payment_id = %s order by 1",
            (request,),
        ).fetchall()
        assert rows == [("credit", None), ("payment", None), ("payment", None)]
        later = pay(conn, desk, {"Emma": "5.00"})[0]
        entry = conn.execute(
            "select id from academy.student_financial_records"
            " where family_payment_id = %s and entry_type = 'payment' limit 1",
            (request,),
        ).fetchone()[0]
        refund = conn.execute(
            "select receipt_number from academy.refund_payment(%s, %s, '1', 'kit')",
            (uuid.uuid4(), entry),
        ).fetchone()[0]
    assert len({number, later, refund}) == 3  # never repeated


def test_ledger_carries_the_locations_currency(desk: Desk, login_role) -> None:  # type: ignore[no-untyped-def]
    euro = seed_desk(desk.url, code="EUR", currency="EUR")
    for name in ("Ines", "Jon"):
        euro.add_student(name, "Euro")
        euro.charge(name, "30.00")
    clerk = login_role("front_desk", locations=[euro.location_id])
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        number = pay(conn, euro, {"Ines": "30.00", "Jon": "12"}, currency=None)[0]
        assert conn.execute(
            "select currency from academy.payment_receipts where receipt_number = %s", (number,)
        ).fetchone() == ("EUR",)
        with pytest.raises(psycopg.errors.RaiseException, match="in EUR, not USD"):
            pay(conn, euro, {"Jon": "5"}, currency="USD")
        mixed = [
            {"student_id": str(euro.students["Ines"]), "amount": "5", "currency": "EUR"},
            {"student_id": str(euro.students["Jon"]), "amount": "5", "currency": "USD"},
        ]
        with pytest.raises(psycopg.errors.RaiseException, match="one currency"):
            conn.execute(
                "select * from academy.take_payment(%s, 'Ana', 'cash', null, %s)",
                (uuid.uuid4(), json.dumps(mixed)),
            )
    assert euro.execute(
        "select distinct currency from academy.student_financial_records"
        " where location_id = %s", (euro.location_id,)
    ) == [("EUR",)]
    with pytest.raises(psycopg.errors.RaiseException, match="in EUR, not USD"):
        euro.execute(
            "insert into academy.student_financial_records (student_id, entry_type, amount,"
            " currency) values (%s, 'charge', 5, 'USD')", (euro.students["Jon"],)
        )
    euro.execute("update academy.locations set currency = 'JPY' where id = %s", (euro.location_id,))
    euro.charge("Jon", "500")
    with psycopg.connect(clerk.url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="JPY have no decimals"):
            pay(conn, euro, {"Jon": "10.50"}, currency=None)
        assert pay(conn, euro, {"Jon": "500"}, currency="JPY")[4] == "recorded"
    euro.close()


def test_cash_up_of_another_location_is_refused_plainly(desk: Desk, login_role) -> None:  # type: ignore[no-untyped-def]
    """A desk asking for a location it does not have gets permission_denied, not a
    library error about a missing row (RLS hides the location)."""
    other = seed_desk(desk.url, code="OTHER")
    stranger = login_role("front_desk", locations=[other.location_id])
    with pytest.raises(UserFacingError) as refused:
        run_as(stranger.url, lambda s: ledger.cash_up(s, desk.location_id))
    assert refused.value.code is ErrorKind.PERMISSION_DENIED
    own = run_as(stranger.url, lambda s: ledger.cash_up(s, other.location_id))
    assert own[1] == "Riverside Other" and own[3] == []
    other.close()
