"""The payments desk: find a child, see the family's balance and ledger, take a payment
(split across the children, defaulting to what is due), get a receipt (PDF + print),
refund, and the end-of-day cash-up (PDF + CSV). Money writes are retried with the same
request id after a dropped connection, so the desk always learns whether it was saved."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import checkin as checkin_q
from academy_desktop.db.queries import ledger as q
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.money import PaymentResult, Receipt
from academy_desktop.models.ledger import LedgerModel, money
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.checkin.presenter import explain
from academy_desktop.views.payments import documents
from academy_desktop.views.payments.dialogs import RefundDialog, TakePaymentDialog, VoidDialog
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

T = TypeVar("T")


def default_output_dir() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "Academy receipts"


class PaymentsWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.output_dir = default_output_dir()
        self.model = LedgerModel(self)
        self.family: list[tuple[UUID, str]] = []
        self.dues: dict[UUID, Decimal] = {}
        self.currency = ""  # the family's location's: set when a family is loaded
        self.payer = ""
        self.dialog: TakePaymentDialog | RefundDialog | VoidDialog | None = None
        self.last_receipt: Receipt | None = None
        self.last_receipt_document: QTextDocument | None = None
        self.last_files: list[Path] = []
        self._build()

    def _build(self) -> None:
        title = QLabel(self.tr("Payments"), self)
        title.setObjectName("pageTitle")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type a child's name or number, then Enter"))
        self.search.returnPressed.connect(self._find)
        self.results = QListWidget(self)
        self.results.hide()
        self.results.itemActivated.connect(self._on_result)
        self.summary = QLabel(self.tr("Find a child to see the family's balance."), self)
        self.summary.setObjectName("personName")
        self.summary.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        self.pay_button = QPushButton(self.tr("Take payment… (F9)"), self)
        self.pay_button.setShortcut("F9")
        self.pay_button.clicked.connect(self.open_payment)
        self.refund_button = QPushButton(self.tr("Refund selected…"), self)
        self.refund_button.clicked.connect(self.open_refund)
        self.void_button = QPushButton(self.tr("Void selected…"), self)
        self.void_button.clicked.connect(self.open_void)
        self.print_button = QPushButton(self.tr("Print last receipt…"), self)
        self.print_button.clicked.connect(self.print_receipt)
        self.cashup_button = QPushButton(self.tr("End-of-day cash-up"), self)
        self.cashup_button.clicked.connect(self._cash_up_slot)
        for b in (
            self.pay_button,
            self.refund_button,
            self.void_button,
            self.print_button,
            self.cashup_button,
        ):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self._enable()

    def _enable(self) -> None:
        self.pay_button.setEnabled(bool(self.family))
        self.refund_button.setEnabled(bool(self.family))
        self.void_button.setEnabled(bool(self.family))
        self.print_button.setEnabled(self.last_receipt_document is not None)

    @property
    def search_field(self) -> QLineEdit:
        return self.search

    def clear(self) -> None:
        self.model.clear()
        self.family, self.dues, self.payer, self.currency = [], {}, "", ""
        self.last_receipt = self.last_receipt_document = None
        self.search.clear()
        self.results.hide()
        self.summary.setText(self.tr("Find a child to see the family's balance."))
        self.status.setText("")
        self._enable()

    async def reload(self) -> None:
        if self.family:
            await self.load_family(self.family[0][0])
        await super().reload()

    async def _retrying(self, work: Callable[[Any], Awaitable[T]]) -> T:
        for attempt in range(3):
            try:
                return await self.context.runner.run(work)  # type: ignore[no-any-return]
            except UserFacingError as error:
                if not error.transient or attempt == 2:
                    raise
                await asyncio.sleep(0.3 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- finding a family ------------------------------------------------------------
    @async_slot
    async def _find(self) -> None:
        query = self.search.text().strip()
        if not query:
            return
        found = await self.context.runner.run(lambda s: checkin_q.search_walk_ins(s, query))
        self.results.clear()
        for student_id, name, number in found:
            item = QListWidgetItem(f"{name}  ({number})")
            item.setData(256, student_id)
            self.results.addItem(item)
        self.results.setVisible(bool(found))
        if len(found) == 1:
            await self.load_family(found[0][0])
        elif found:
            self.results.setCurrentRow(0)
            self.results.setFocus()
        else:
            self.status.setText(self.tr("No student matches “%s”.") % query)

    @async_slot
    async def _on_result(self, item: QListWidgetItem) -> None:
        await self.load_family(item.data(256))

    async def load_family(self, student_id: UUID) -> None:
        async def work(s: Any) -> tuple[Any, ...]:
            family = await q.family_of(s, student_id)
            ids = [f[0] for f in family]
            return (
                family,
                await q.balances(s, ids),
                await q.entries(s, ids),
                await q.payer_guess(s, student_id),
                await q.currency_of(s, student_id),
            )

        family, balances, entries, payer, currency = await self.context.runner.run(work)
        self.results.hide()
        self.family, self.payer, self.currency = family, payer, currency
        self.dues = {b.student_id: b.balance for b in balances if b.currency == currency}  # type: ignore[misc]
        self.model.set_entries(entries)
        self.table.resizeColumnsToContents()
        total = sum(self.dues.values(), Decimal(0))
        parts = [
            f"{name}: {money(self.dues.get(sid, Decimal(0)), currency)}" for sid, name in family
        ]
        headline = (
            self.tr("Family owes %s") % money(total, currency)
            if total > 0
            else self.tr("Family in credit %s") % money(-total, currency)
            if total < 0
            else self.tr("Family balance settled")
        )
        self.summary.setText(f"{headline}\n" + " · ".join(parts))
        self._enable()

    # -- taking a payment ------------------------------------------------------------
    def open_payment(self) -> None:
        children = [
            (sid, name, max(self.dues.get(sid, Decimal(0)), Decimal(0)))
            for sid, name in self.family
        ]
        dialog = TakePaymentDialog(children, self.payer, self.currency, self)
        dialog.submitted.connect(self._pay)
        self.dialog = dialog
        dialog.open()

    @async_slot
    async def _pay(self, payload: dict[str, Any]) -> None:
        dialog = self.sender() if isinstance(self.sender(), TakePaymentDialog) else self.dialog
        try:
            result: PaymentResult = await self._retrying(
                lambda s: q.take_payment(
                    s,
                    payload["request_id"],
                    payload["payer"],
                    payload["method"],
                    payload["reference"],
                    payload["allocations"],
                    payload["currency"],
                )
            )
        except UserFacingError as error:
            if isinstance(dialog, TakePaymentDialog):
                dialog.set_saving(False, self.tr("NOT saved: %s") % explain(error))
            self.status.setText(self.tr("Payment NOT saved: %s") % explain(error))
            return
        if isinstance(dialog, TakePaymentDialog):
            dialog.accept()
        receipt = await self.context.runner.run(lambda s: q.receipt(s, result.receipt_id))
        self.show_receipt(receipt)
        await self.load_family(self.family[0][0])

    def show_receipt(self, receipt: Receipt) -> None:
        self.last_receipt = receipt
        self.last_receipt_document = documents.receipt_document(receipt)
        path = documents.write_pdf(
            self.last_receipt_document,
            self.output_dir / f"receipt-{receipt.receipt_number}.pdf",
            self.tr("Receipt %s") % receipt.receipt_number,
        )
        self.last_files = [path]
        self.status.setText(
            self.tr("Saved ✓ receipt %1 for %2 — PDF: %3")
            .replace("%1", str(receipt.receipt_number))
            .replace("%2", money(receipt.total, receipt.currency))
            .replace("%3", str(path))
        )
        self._enable()

    def print_receipt(self) -> None:
        if self.last_receipt_document is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        document = self.last_receipt_document
        dialog.accepted.connect(lambda: document.print_(printer))
        dialog.open()

    # -- refunds -----------------------------------------------------------------------
    def open_refund(self) -> None:
        index = self.table.currentIndex()
        entry = self.model.entry(index.row()) if index.isValid() else None
        if entry is None or entry.refundable <= 0:
            self.status.setText(self.tr("Select a payment that can still be refunded."))
            return
        dialog = RefundDialog(entry, self)
        dialog.submitted.connect(self._refund)
        self.dialog = dialog
        dialog.open()

    @async_slot
    async def _refund(self, payload: dict[str, Any]) -> None:
        dialog = self.dialog
        try:
            _entry, number, _outcome = await self._retrying(
                lambda s: q.refund(
                    s,
                    payload["request_id"],
                    payload["entry_id"],
                    payload["amount"],
                    payload["reason"],
                )
            )
        except UserFacingError as error:
            if isinstance(dialog, RefundDialog):
                dialog.failed(self.tr("NOT refunded: %s") % explain(error))
            return
        if isinstance(dialog, RefundDialog):
            dialog.accept()
        self.status.setText(
            self.tr("Saved ✓ refund %1 of %2")
            .replace("%1", str(number or ""))
            .replace("%2", money(payload["amount"], payload["currency"]))
        )
        await self.load_family(self.family[0][0])

    def open_void(self) -> None:
        index = self.table.currentIndex()
        entry = self.model.entry(index.row()) if index.isValid() else None
        if entry is None or entry.entry_type == "void":
            self.status.setText(self.tr("Select the entry to void."))
            return
        dialog = VoidDialog(entry, self)
        dialog.submitted.connect(self._void)
        self.dialog = dialog
        dialog.open()

    @async_slot
    async def _void(self, payload: dict[str, Any]) -> None:
        dialog = self.dialog
        try:
            await self._retrying(
                lambda s: q.void(s, payload["request_id"], payload["entry_id"], payload["reason"])
            )
        except UserFacingError as error:
            if isinstance(dialog, VoidDialog):
                dialog.failed(self.tr("NOT voided: %s") % explain(error))
            return
        if isinstance(dialog, VoidDialog):
            dialog.accept()
        self.status.setText(self.tr("Saved ✓ entry voided"))
        await self.load_family(self.family[0][0])

    # -- cash-up -----------------------------------------------------------------------
    @async_slot
    async def _cash_up_slot(self) -> None:
        await self.cash_up()

    async def cash_up(self) -> list[Path]:
        if not self.context.location_ids:
            return []
        location_id = self.context.location_ids[0]
        day, name, currency, rows = await self.context.runner.run(
            lambda s: q.cash_up(s, location_id)
        )
        stem = f"cash-up-{name}-{day.isoformat()}".replace(" ", "_").replace("/", "-")
        pdf = documents.write_pdf(
            documents.cash_up_document(name, day, rows, currency),
            self.output_dir / f"{stem}.pdf",
            self.tr("Cash-up %s") % day,
        )
        csv_path = documents.write_cash_up_csv(self.output_dir / f"{stem}.csv", name, day, rows)
        self.status.setText(
            self.tr("Cash-up %1: net %2 — saved %3 and %4")
            .replace("%1", str(day))
            .replace("%2", documents.net_text(rows, currency))
            .replace("%3", str(pdf))
            .replace("%4", csv_path.name)
        )
        self.last_files = [pdf, csv_path]
        return self.last_files


PAYMENTS = WorkspaceSpec(
    key="payments",
    title="Payments",
    icon="payments",
    kinds=frozenset({PersonKind.FRONT_DESK, PersonKind.SUPER_ADMIN}),
    factory=PaymentsWorkspace,
)
