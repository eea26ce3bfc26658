"""Money at the desk: parsing what a person typed into a Decimal with the same rules
as the server's ``academy.parse_amount`` (so the dialog refuses bad input before a
round trip, and the server still refuses it if something slips through), and
locale-aware display. Never floats for amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

#: Mirrors academy.desk_max_amount(): anything larger is a typo at a desk.
MAX_AMOUNT = Decimal("100000")
_AMOUNT = re.compile(r"^[+-]?[0-9]{1,12}(\.[0-9]+)?$")


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"


class AmountError(ValueError):
    """Why a typed amount is refused (an English sentence; screens translate keys)."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(text)
        self.key = key


#: Currencies without minor units (mirrors academy.currency_decimals in 0012_desk).
ZERO_DECIMAL_CURRENCIES = frozenset({
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
    "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
})


def currency_decimals(currency: str) -> int:
    """Decimals an amount in ``currency`` may have at the desk (the ledger keeps <= 2)."""
    return 0 if currency in ZERO_DECIMAL_CURRENCIES else 2


def parse_amount(
    text: str, decimal_point: str = ".", group: str = ",", decimals: int = 2
) -> Decimal:
    """Typed text -> Decimal > 0 with at most ``decimals`` (2, or 0 for e.g. JPY),
    not above MAX_AMOUNT."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if group and group != decimal_point:
        cleaned = cleaned.replace(group, "")
    if decimal_point != ".":
        cleaned = cleaned.replace(decimal_point, ".")
    if not _AMOUNT.match(cleaned):
        raise AmountError("not_a_number", "That is not an amount of money.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already refused it
        raise AmountError("not_a_number", "That is not an amount of money.") from exc
    if value <= 0:
        raise AmountError("not_positive", "The amount must be more than zero.")
    if value != value.quantize(Decimal("0.01")):
        raise AmountError("too_precise", "The amount can have at most 2 decimals.")
    if decimals == 0 and value != value.to_integral_value():
        raise AmountError("no_decimals", "This currency has no decimals.")
    if value > MAX_AMOUNT:
        raise AmountError("too_large", f"The amount is larger than {MAX_AMOUNT}; please check it.")
    return value.quantize(Decimal("0.01"))


def looks_like_card_number(reference: str) -> bool:
    """Same rule as the ledger's CHECK: 13-19 digits once separators are removed."""
    digits = re.sub(r"[^0-9]", "", reference or "")
    return 13 <= len(digits) <= 19


@dataclass(frozen=True, slots=True)
class Allocation:
    student_id: object  # UUID
    amount: Decimal

    def as_json(self) -> dict[str, str]:
        return {"student_id": str(self.student_id), "amount": f"{self.amount:.2f}"}


@dataclass(frozen=True, slots=True)
class Balance:
    student_id: object
    currency: str
    balance: Decimal  # > 0 owes, < 0 in credit

    @property
    def due(self) -> Decimal:
        return max(self.balance, Decimal("0"))


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    entry_id: object
    student_id: object
    student_name: str
    entry_type: str
    amount: Decimal
    currency: str
    method: str | None
    reference: str | None
    description: str | None
    reason: str | None
    receipt_number: int | None
    created_by: str
    created_at: object  # datetime
    refundable: Decimal  # what can still be refunded (payments/credits), else 0

    @property
    def signed_amount(self) -> Decimal:
        if self.entry_type in ("payment", "credit"):
            return -self.amount
        return self.amount


@dataclass(frozen=True, slots=True)
class PaymentResult:
    receipt_number: int
    receipt_id: object
    total: Decimal
    credit_amount: Decimal
    outcome: str  # recorded / already_recorded


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    student_name: str
    entry_type: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Receipt:
    receipt_number: int
    academy: str
    location: str
    payer: str
    method: str
    reference: str | None
    currency: str
    total: Decimal
    credit_amount: Decimal
    staff: str
    created_at: object
    lines: tuple[ReceiptLine, ...]


@dataclass(frozen=True, slots=True)
class CashUpRow:
    method: str
    staff_role: str
    staff_name: str
    currency: str
    received: Decimal
    paid_out: Decimal
    net: Decimal
    entries: int


def format_amount(value: Decimal, currency: str = "") -> str:
    """Plain fallback (no Qt): 1,234.50 USD. Screens use QLocale.toCurrencyString."""
    text = f"{value:,.2f}"
    return f"{text} {currency}".strip()
