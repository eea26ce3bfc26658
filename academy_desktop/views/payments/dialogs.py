"""Take-payment, refund and void dialogs. They only collect and check input (the same
rules as the server, so most mistakes never leave the desk) and emit ``submitted``; the
workspace does the database call. A dialog keeps one request id for its whole life, so a
double click or a retry after a dropped connection can never pay twice. Amounts are in
the location's currency: its symbol and decimals (none for JPY) come from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from PySide6.QtCore import QLocale, Qt, Signal
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
    currency_decimals,
    looks_like_card_number,
    parse_amount,
)
from academy_desktop.models.ledger import METHOD_TEXTS, TYPE_TEXTS, money


def _amount(text: str, currency: str) -> Decimal:
    locale = QLocale()
    return parse_amount(
        text, locale.decimalPoint(), locale.groupSeparator(), currency_decimals(currency)
    )


def _typed(value: Decimal, currency: str) -> str:
    """An amount as the person would type it (locale decimal point, no symbol)."""
    return QLocale().toString(float(value), "f", currency_decimals(currency))


class _DeskDialog(QDialog):
    """What the three dialogs share: a form, a red error line, an OK button that says
    what it does, one request id, and a guard against the second click of a double
    click while the first is saving."""

    submitted = Signal(object)  # dict; always "request_id"

    def __init__(self, title: str, action: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)  # the reference hint and "Name (due $1,234.50)" fit
        self.request_id = uuid4()
        self.saving = False
        self.action = action
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("dialogError")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok: QPushButton = self.buttons.addButton(
            action, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self, *extra: QWidget) -> None:
        for widget in (*extra, self.error, self.buttons):
            self.layout_.addWidget(widget)

    def submit(self) -> None:
        if self.saving:
            return  # the second click of a double click
        payload = self._payload()
        if payload is None:
            return
        self.set_saving(True)
        self.submitted.emit({"request_id": self.request_id, **payload})

    def _payload(self) -> dict[str, Any] | None:
        """The checked input, or None after showing why not."""
        raise NotImplementedError

    def set_saving(self, saving: bool, error: str = "") -> None:
        self.saving = saving
        self.ok.setEnabled(not saving)
        self.ok.setText(self.tr("Saving…") if saving else self.action)
        if error:
            self.error.setText(error)

    def failed(self, text: str) -> None:
        self.set_saving(False, text)


class TakePaymentDialog(_DeskDialog):
    """payload: payer, method, reference, allocations, currency."""

    def __init__(
        self,
        children: list[tuple[UUID, str, Decimal]],
        payer: str,
        currency: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Take payment"), self.tr("Take payment"), parent)
        self.currency = currency
        self.payer = QLineEdit(payer, self)
        self.method = QComboBox(self)
        for m in PaymentMethod:
            self.method.addItem(self.tr(METHOD_TEXTS[m.value]), m.value)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(
            self.tr("Terminal or slip reference — never the card number")
        )
        self.form.addRow(self.tr("Payer"), self.payer)
        self.form.addRow(self.tr("Method"), self.method)
        self.form.addRow(self.tr("Reference"), self.reference)
        self.amounts: list[tuple[UUID, QLineEdit]] = []
        for student_id, name, due in children:
            edit = QLineEdit(_typed(due, currency) if due > 0 else "", self)
            edit.setPlaceholderText(_typed(Decimal(0), currency))
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setAccessibleName(self.tr("Amount for %s") % name)
            edit.textChanged.connect(self._update_total)
            label = self.tr("%1 (due %2)").replace("%1", name).replace("%2", money(due, currency))
            self.form.addRow(label, edit)
            self.amounts.append((student_id, edit))
        self.total = QLabel(self)
        self.total.setObjectName("paymentTotal")
        self.total.setStyleSheet("font-weight: bold")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._finish_layout(self.total)
        self._update_total()
        if self.amounts:
            self.amounts[0][1].setFocus()
            self.amounts[0][1].selectAll()

    def _collect(self) -> list[Allocation]:
        shares = [
            Allocation(student_id, _amount(edit.text(), self.currency))
            for student_id, edit in self.amounts
            if edit.text().strip()
        ]
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

    def _payload(self) -> dict[str, Any] | None:
        try:
            allocations = self._collect()
        except AmountError as error:
            self.error.setText(self.tr(str(error)))
            return None
        if not self.payer.text().strip():
            self.error.setText(self.tr("Enter who is paying."))
            return None
        if looks_like_card_number(self.reference.text()):
            self.error.setText(
                self.tr("That looks like a card number. Enter only the terminal's reference.")
            )
            return None
        return {
            "payer": self.payer.text().strip(),
            "method": self.method.currentData(),
            "reference": self.reference.text().strip() or None,
            "allocations": allocations,
            "currency": self.currency,
        }


class RefundDialog(_DeskDialog):
    """payload: entry_id, amount, currency, reason. Never more than is left to refund
    (the server checks it again under a lock)."""

    def __init__(self, entry: LedgerEntry, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Refund"), self.tr("Refund"), parent)
        self.entry = entry
        self.amount = QLineEdit(_typed(entry.refundable, entry.currency), self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why is this refunded? (required)"))
        what = f"{entry.student_name} · {money(entry.amount, entry.currency)}"
        if entry.receipt_number:
            what += " · " + self.tr("receipt %s") % entry.receipt_number
        self.form.addRow(self.tr("Payment"), QLabel(what, self))
        self.form.addRow(
            self.tr("Can still be refunded"), QLabel(money(entry.refundable, entry.currency), self)
        )
        self.form.addRow(self.tr("Amount"), self.amount)
        self.form.addRow(self.tr("Reason"), self.reason)
        self._finish_layout()

    def _payload(self) -> dict[str, Any] | None:
        try:
            amount = _amount(self.amount.text(), self.entry.currency)
        except AmountError as error:
            self.error.setText(self.tr(str(error)))
            return None
        if not self.reason.text().strip():
            self.error.setText(self.tr("A refund needs a reason."))
            return None
        return {
            "entry_id": self.entry.entry_id,
            "amount": amount,
            "currency": self.entry.currency,
            "reason": self.reason.text().strip(),
        }


class VoidDialog(_DeskDialog):
    """Void a posted entry (a charge or payment entered by mistake): a reversing row for
    its full amount, with a reason. The entry itself is never edited. payload:
    entry_id, reason."""

    def __init__(self, entry: LedgerEntry, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Void entry"), self.tr("Void"), parent)
        self.entry = entry
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why is this entry void? (required)"))
        kind = TYPE_TEXTS.get(entry.entry_type, entry.entry_type)
        self.form.addRow(
            self.tr("Entry"),
            QLabel(
                f"{entry.student_name} · {self.tr(kind)} · {money(entry.amount, entry.currency)}",
                self,
            ),
        )
        self.form.addRow(self.tr("Reason"), self.reason)
        self._finish_layout()

    def _payload(self) -> dict[str, Any] | None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("A void needs a reason."))
            return None
        return {"entry_id": self.entry.entry_id, "reason": self.reason.text().strip()}
