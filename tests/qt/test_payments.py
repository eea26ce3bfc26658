"""The payments workspace driven like a user against a real database, as a real front
desk over TCP: a double-clicked payment makes one receipt, the receipt PDF holds the
amount and number, the connection dies mid-payment and the retry neither loses nor
doubles it, a refund over the paid amount is refused, and the cash-up equals the ledger."""

from __future__ import annotations

import csv
import os
import threading
import time
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from desk_fixtures import Desk, WorkspaceOpener, rush_hour, seed_desk
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from academy_desktop.models.ledger import LedgerModel
from academy_desktop.views.payments.dialogs import RefundDialog, TakePaymentDialog, VoidDialog
from academy_desktop.views.payments.view import PaymentsWorkspace


@pytest.fixture
def desk(migrated_db_url: str) -> Iterator[Desk]:
    d = seed_desk(migrated_db_url)
    rush_hour(d)
    d.charge("Mia", "30.00")
    d.charge("Leo", "20.00")
    yield d
    d.close()


@pytest.fixture
def open_payments(
    qtbot: Any, qloop: Any, wait_task: Any, login_role: Any, tmp_path: Path
) -> Iterator[Any]:
    opener = WorkspaceOpener(qtbot, wait_task, login_role)

    def to_tmp(workspace: PaymentsWorkspace) -> None:
        workspace.output_dir = tmp_path / "out"

    yield lambda desk: opener.open(desk, PaymentsWorkspace, "front_desk", prepare=to_tmp)
    opener.close_all()


def pdf_text(path: Path) -> str:
    """Text drawn in a Qt-written PDF: inflate its content streams (no pdftotext on CI)
    and keep the literal strings; Qt writes glyph ids, so also return the raw streams
    for the caller that checks the document itself."""
    data = path.read_bytes()
    out = []
    for raw in data.split(b"stream")[1:]:
        body = raw.split(b"endstream")[0].strip(b"\r\n")
        try:
            out.append(zlib.decompress(body).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def find_family(qtbot: Any, workspace: PaymentsWorkspace, name: str) -> None:
    workspace.search.setFocus()
    qtbot.keyClicks(workspace.search, name)
    qtbot.keyClick(workspace.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(workspace.family))


def payments(desk: Desk) -> list[tuple[Any, ...]]:
    return [r for r in desk.ledger() if r[1] in ("payment", "credit")]


def test_ledger_model_passes_tester(qapp: Any) -> None:
    QAbstractItemModelTester(LedgerModel(), QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_double_click_pays_once_with_receipt(desk: Desk, open_payments: Any, qtbot: Any) -> None:
    workspace, host = open_payments(desk)
    find_family(qtbot, workspace, "mia lopez")
    assert {n for _i, n in workspace.family} == {"Mia Lopez", "Leo Lopez"}
    assert "50.00" in workspace.summary.text()
    workspace.open_payment()
    dialog = workspace.dialog
    assert isinstance(dialog, TakePaymentDialog)
    assert [e.text() for _s, e in dialog.amounts] == ["20.00", "30.00"]  # Leo, Mia: what is due
    assert dialog.payer.text() == "Ana Lopez"
    qtbot.mouseDClick(dialog.ok, Qt.MouseButton.LeftButton)
    dialog.submitted.emit(
        {
            "request_id": dialog.request_id,
            "payer": "Ana Lopez",  # a retry
            "method": "cash",
            "reference": None,
            "allocations": dialog._collect(),
            "currency": "USD",
        }
    )
    qtbot.waitUntil(lambda: workspace.last_receipt is not None)
    qtbot.waitUntil(lambda: len(desk.ledger()) >= 4)
    qtbot.wait(300)
    assert sorted(payments(desk)) == [
        ("Leo", "payment", Decimal("20.00"), "cash"),
        ("Mia", "payment", Decimal("30.00"), "cash"),
    ]
    receipt = workspace.last_receipt
    assert receipt is not None and receipt.total == Decimal("50.00")
    number = str(receipt.receipt_number)
    assert desk.execute("select count(*) from academy.payment_receipts") == [(1,)]
    # the receipt: a PDF on disk, and the document it was printed from says what matters
    pdf = workspace.last_files[0]
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert "Receipt" in pdf_text(pdf) or pdf.stat().st_size > 1000
    text = workspace.last_receipt_document.toPlainText()  # type: ignore[union-attr]
    for needle in (number, "50.00", "Ana Lopez", "Riverside", "Cash", "Mia Lopez", "Leo Lopez"):
        assert needle in text, needle
    assert "Saved ✓ receipt " + number in workspace.status.text()
    assert not host.errors
    out = os.environ.get("ACADEMY_SCREENSHOT_DIR")  # a PNG of the screen, for review
    if out:
        host.grab().save(str(Path(out) / "payments-after-receipt.png"))


def test_refund_over_paid_refused_then_partial(desk: Desk, open_payments: Any, qtbot: Any) -> None:
    workspace, _host = open_payments(desk)
    find_family(qtbot, workspace, "mia lopez")
    workspace.open_payment()
    dialog = workspace.dialog
    assert isinstance(dialog, TakePaymentDialog)
    dialog.amounts[0][1].setText("")  # pay only Mia's share
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.last_receipt is not None)
    qtbot.waitUntil(lambda: any(e.entry_type == "payment" for e in workspace.model._rows))
    row = next(i for i, e in enumerate(workspace.model._rows) if e.entry_type == "payment")
    workspace.table.selectRow(row)
    workspace.open_refund()
    refund = workspace.dialog
    assert isinstance(refund, RefundDialog) and refund.amount.text() == "30.00"
    refund.amount.setText("30.01")
    refund.reason.setText("kit returned")
    qtbot.mouseClick(refund.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "NOT refunded" in refund.error.text())
    assert "more than was paid" in refund.error.text()
    assert not [r for r in desk.ledger() if r[1] == "refund"]
    refund.amount.setText("12.5")
    qtbot.mouseClick(refund.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved ✓ refund" in workspace.status.text())
    assert [r for r in desk.ledger() if r[1] == "refund"] == [
        ("Mia", "refund", Decimal("12.50"), "cash")
    ]
    # a mistaken charge is voided with a reason: a reversing row, the charge untouched
    qtbot.waitUntil(lambda: any(e.entry_type == "refund" for e in workspace.model._rows))
    row = next(
        i
        for i, e in enumerate(workspace.model._rows)
        if e.entry_type == "charge" and e.student_name == "Leo Lopez"
    )
    workspace.table.selectRow(row)
    workspace.open_void()
    void = workspace.dialog
    assert isinstance(void, VoidDialog)
    qtbot.mouseClick(void.ok, Qt.MouseButton.LeftButton)
    assert "needs a reason" in void.error.text()
    void.reason.setText("charged twice")
    qtbot.mouseClick(void.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "voided" in workspace.status.text())
    assert ("Leo", "void", Decimal("20.00"), None) in desk.ledger()
    assert ("Leo", "charge", Decimal("20.00"), None) in desk.ledger()


def test_connection_killed_mid_payment_retry_records_once(
    desk: Desk, open_payments: Any, qtbot: Any
) -> None:
    workspace, host = open_payments(desk)
    find_family(qtbot, workspace, "emma")
    blocker = psycopg.connect(desk.url)
    blocker.execute(
        "select pg_advisory_xact_lock(hashtextextended(%s::text, 8008))",
        (str(desk.students["Emma"]),),
    )
    workspace.open_payment()
    dialog = workspace.dialog
    assert isinstance(dialog, TakePaymentDialog)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    def waiting_pid() -> int | None:
        rows = desk.execute(
            "select pid from pg_stat_activity where wait_event_type = 'Lock'"
            " and query like '%take_payment%'"
        )
        return rows[0][0] if rows else None

    qtbot.waitUntil(lambda: waiting_pid() is not None, timeout=10000)
    pid = waiting_pid()
    killer = threading.Timer(
        0.1,
        lambda: (
            desk.execute("select pg_terminate_backend(%s)", (pid,)),
            time.sleep(0.2),
            blocker.rollback(),
        ),
    )
    killer.start()
    qtbot.waitUntil(lambda: workspace.last_receipt is not None, timeout=15000)
    killer.join()
    blocker.close()
    assert payments(desk) == [("Emma", "payment", Decimal("45.00"), "cash")]
    assert desk.execute("select count(*) from academy.payment_receipts") == [(1,)]
    assert not host.errors  # the retry hid the dropped connection


def test_bad_input_then_cash_up_equals_ledger(
    desk: Desk, open_payments: Any, qtbot: Any, wait_task: Any
) -> None:
    workspace, _host = open_payments(desk)
    find_family(qtbot, workspace, "mia lopez")
    workspace.open_payment()
    dialog = workspace.dialog
    assert isinstance(dialog, TakePaymentDialog)
    # bad input is refused in the dialog, nothing sent
    for bad, words in (
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("abc", "not an amount"),
        ("10.005", "2 decimals"),
        ("999999999", "larger"),
    ):
        dialog.amounts[1][1].setText(bad)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        assert words in dialog.error.text(), bad
    dialog.amounts[1][1].setText("5")
    dialog.reference.setText("4111-1111-1111-1111")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "card number" in dialog.error.text()
    assert payments(desk) == []
    dialog.reference.setText("")
    dialog.amounts[1][1].setText("30.00")
    dialog.amounts[0][1].setText("25")  # Leo overpays by 5: a credit row, still cash taken
    dialog.method.setCurrentIndex(dialog.method.findData("card"))
    dialog.reference.setText("AUTH 77")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.last_receipt is not None)
    pdf, csv_path = wait_task(workspace.cash_up())
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["method"] for r in rows} == {"card"}
    csv_total = sum(Decimal(r["net"]) for r in rows)
    ledger_total = desk.execute(
        "select sum(amount) from academy.student_financial_records"
        " where entry_type in ('payment', 'credit')"
    )[0][0]
    assert csv_total == ledger_total == Decimal("55.00")


def test_money_in_the_locations_currency(
    desk: Desk, open_payments: Any, qtbot: Any, qapp: Any
) -> None:
    """A EUR location: balances, dialog and receipt in euros; JPY takes no decimals."""
    from academy_desktop.models.ledger import money

    euro = seed_desk(desk.url, code="EURO", currency="EUR")
    euro.add_student("Ines", "Roux")
    euro.add_student("Jon", "Roux")
    euro.add_parent("Eva", "Roux", ["Ines", "Jon"])
    euro.charge("Ines", "30.00")
    workspace, _host = open_payments(euro)
    find_family(qtbot, workspace, "ines roux")
    assert workspace.currency == "EUR" and "€30.00" in workspace.summary.text()
    workspace.open_payment()
    dialog = workspace.dialog
    assert isinstance(dialog, TakePaymentDialog) and dialog.currency == "EUR"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.last_receipt is not None)
    receipt = workspace.last_receipt
    assert receipt is not None and receipt.currency == "EUR"
    assert "€30.00" in workspace.last_receipt_document.toPlainText()  # type: ignore[union-attr]
    assert euro.execute(
        "select distinct currency from academy.student_financial_records where location_id = %s",
        (euro.location_id,),
    ) == [("EUR",)]
    assert money(Decimal("1500"), "JPY").endswith("1,500") and "." not in money(1500, "JPY")
    yen = TakePaymentDialog([(euro.students["Jon"], "Jon Roux", Decimal("1500"))], "Eva", "JPY")
    assert yen.amounts[0][1].text() == "1500"
    yen.amounts[0][1].setText("10.50")
    yen.submit()
    assert "no decimals" in yen.error.text() and not yen.saving
    yen.close()
    euro.close()
