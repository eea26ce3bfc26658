"""Take-payment and refund dialogs. They only collect and check input (the same rules
as the server, so most mistakes never leave the desk) and emit ``submitted``; the
workspace does the database call. A dialog keeps one request id for its whole life, so a
double click or a retry after a dropped connection can never pay twice."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.money import (
    Allocation,
    AmountError,
    LedgerEntry,
    PaymentMethod,
    looks_like_card_number,
    parse_amount,
)
from academy_desktop.models.ledger import METHOD_TEXTS, money


def _amount(text: str) -> Decimal:
    locale = QLocale()
    return parse_amount(text, locale.decimalPoint(), locale.groupSeparator())


class TakePaymentDialog(QDialog):
    submitted = Signal(object)  # dict: request_id, payer, method, reference, allocations

    def __init__(
        self,
        children: list[tuple[UUID, str, Decimal]],
        payer: str,
        currency: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Take payment"))
        self.request_id = uuid4()
        self.currency = currency
        self.saving = False
        self.payer = QLineEdit(payer, self)
        self.method = QComboBox(self)
        for m in PaymentMethod:
            self.method.addItem(self.tr(METHOD_TEXTS[m.value]), m.value)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(
            self.tr("Terminal or slip reference — never the card number")
        )
        form = QFormLayout()
        form.addRow(self.tr("Payer"), self.payer)
        form.addRow(self.tr("Method"), self.method)
        form.addRow(self.tr("Reference"), self.reference)
        self.amounts: list[tuple[UUID, QLineEdit]] = []
        for student_id, name, due in children:
            edit = QLineEdit(QLocale().toString(float(due), "f", 2) if due > 0 else "", self)
            edit.setPlaceholderText(self.tr("0.00"))
            edit.setAccessibleName(self.tr("Amount for %s") % name)
            edit.textChanged.connect(self._update_total)
            form.addRow(
                self.tr("%1 (due %2)").replace("%1", name).replace("%2", money(due, currency)), edit
            )
            self.amounts.append((student_id, edit))
        self.total = QLabel(self)
        self.error = QLabel(self)
        self.error.setObjectName("dialogError")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok: QPushButton = self.buttons.addButton(
            self.tr("Take payment"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_total()
        if self.amounts:
            self.amounts[0][1].setFocus()
            self.amounts[0][1].selectAll()

    def _collect(self) -> list[Allocation]:
        shares = []
        for student_id, edit in self.amounts:
            if edit.text().strip():
                shares.append(Allocation(student_id, _amount(edit.text())))
        if not shares:
            raise AmountError("empty", self.tr("Enter an amount for at least one child."))
        return shares

    def _update_total(self) -> None:
        try:
            total = sum((a.amount for a in self._collect()), Decimal(0))
            self.total.setText(self.tr("Total: %s") % money(total, self.currency))
            self.error.setText("")
        except AmountError as error:
            self.total.setText(self.tr("Total: —"))
            self.error.setText(self.tr(str(error)))

    def submit(self) -> None:
        if self.saving:
            return  # the second click of a double click
        try:
            allocations = self._collect()
        except AmountError as error:
            self.error.setText(self.tr(str(error)))
            return
        if not self.payer.text().strip():
            self.error.setText(self.tr("Enter who is paying."))
            return
        if looks_like_card_number(self.reference.text()):
            self.error.setText(
                self.tr("That looks like a card number. Enter only the terminal's reference.")
            )
            return
        self.set_saving(True)
        self.submitted.emit(
            {
                "request_id": self.request_id,
                "payer": self.payer.text().strip(),
                "method": self.method.currentData(),
                "reference": self.reference.text().strip() or None,
                "allocations": allocations,
                "currency": self.currency,
            }
        )

    def set_saving(self, saving: bool, error: str = "") -> None:
        self.saving = saving
        self.ok.setEnabled(not saving)
        self.ok.setText(self.tr("Saving…") if saving else self.tr("Take payment"))
        if error:
            self.error.setText(error)


class RefundDialog(QDialog):
    submitted = Signal(object)  # dict: request_id, entry_id, amount, reason

    def __init__(self, entry: LedgerEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Refund"))
        self.entry = entry
        self.request_id = uuid4()
        self.saving = False
        self.amount = QLineEdit(QLocale().toString(float(entry.refundable), "f", 2), self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why is this refunded? (required)"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(
            self.tr("Payment"),
            QLabel(
                f"{entry.student_name} · {money(entry.amount, entry.currency)}"
                f" · #{entry.receipt_number or ''}",
                self,
            ),
        )
        form.addRow(
            self.tr("Can still be refunded"), QLabel(money(entry.refundable, entry.currency), self)
        )
        form.addRow(self.tr("Amount"), self.amount)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Refund"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        if self.saving:
            return
        try:
            amount = _amount(self.amount.text())
        except AmountError as error:
            self.error.setText(self.tr(str(error)))
            return
        if not self.reason.text().strip():
            self.error.setText(self.tr("A refund needs a reason."))
            return
        self.saving = True
        self.ok.setEnabled(False)
        self.submitted.emit(
            {
                "request_id": self.request_id,
                "entry_id": self.entry.entry_id,
                "amount": amount,
                "reason": self.reason.text().strip(),
            }
        )

    def failed(self, text: str) -> None:
        self.saving = False
        self.ok.setEnabled(True)
        self.error.setText(text)


class VoidDialog(QDialog):
    """Void a posted entry (a charge or payment entered by mistake): a reversing row for
    its full amount, with a reason. The entry itself is never edited."""

    submitted = Signal(object)  # dict: request_id, entry_id, reason

    def __init__(self, entry: LedgerEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Void entry"))
        self.entry = entry
        self.request_id = uuid4()
        self.saving = False
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why is this entry void? (required)"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(
            self.tr("Entry"),
            QLabel(
                f"{entry.student_name} · {entry.entry_type} · "
                f"{money(entry.amount, entry.currency)}",
                self,
            ),
        )
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Void"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        if self.saving:
            return
        if not self.reason.text().strip():
            self.error.setText(self.tr("A void needs a reason."))
            return
        self.saving = True
        self.ok.setEnabled(False)
        self.submitted.emit(
            {
                "request_id": self.request_id,
                "entry_id": self.entry.entry_id,
                "reason": self.reason.text().strip(),
            }
        )

    def failed(self, text: str) -> None:
        self.saving = False
        self.ok.setEnabled(True)
        self.error.setText(text)
