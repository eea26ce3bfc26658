"""A family's ledger as a Qt table model (newest first): date, child, what, amount with
its sign, method, receipt number, who. The payments screen feeds it domain rows; the
model answers data() synchronously and never touches the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from academy_desktop.domain.money import LedgerEntry, currency_decimals

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerModel", text)


TYPE_TEXTS = {
    "charge": "Charge",
    "payment": "Payment",
    "refund": "Refund",
    "credit": "Credit",
    "adjustment": "Adjustment",
    "void": "Void",
}
METHOD_TEXTS = {
    "cash": "Cash",
    "card": "Card",
    "bank_transfer": "Bank transfer",
    "cheque": "Cheque",
    "other": "Other",
}


_SYMBOLS: dict[str, str] = {}


def desk_locale() -> QLocale:
    """The person's locale; the "C" locale of a bare session (offscreen, no LANG) reads
    as English rather than "170.00$" and "1 11 2026"."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def currency_symbol(currency: str) -> str:
    """The symbol to print for ``currency`` at this desk: the locale's own when it is the
    locale's currency, else the symbol used where the currency is at home (in the desk's
    language when possible); the ISO code when that symbol would be ambiguous here
    ("$" for CAD at a US desk) or none is known."""
    here = desk_locale()
    iso = QLocale.CurrencySymbolFormat.CurrencyIsoCode
    if here.currencySymbol(iso) == currency:
        return here.currencySymbol() or currency
    if currency not in _SYMBOLS:
        homes = [
            loc
            for loc in QLocale.matchingLocales(
                QLocale.Language.AnyLanguage, QLocale.Script.AnyScript, QLocale.Country.AnyCountry
            )
            if loc.currencySymbol(iso) == currency
        ]
        same = [h for h in homes if h.language() in (here.language(), QLocale.Language.English)]
        symbol = (same or homes)[0].currencySymbol() if homes else ""
        _SYMBOLS[currency] = symbol
    symbol = _SYMBOLS[currency]
    ambiguous = symbol == here.currencySymbol() or (symbol == "$" and currency != "USD")
    return currency if not symbol or ambiguous else symbol


def money(value: Any, currency: str) -> str:
    """The desk locale's digits and grouping, the currency's symbol and decimals:
    "$1,234.50", "-€30.00", "¥1,235" (display only; the maths stays Decimal)."""
    locale = desk_locale()
    text = locale.toCurrencyString(
        abs(float(value)), currency_symbol(currency), currency_decimals(currency)
    )
    return f"{locale.negativeSign()}{text}" if value < 0 else text  # not "(€30.00)"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[LedgerEntry], str]
    align_right: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "Date",
        lambda e: desk_locale().toString(
            e.created_at.astimezone(),  # type: ignore[attr-defined]
            "d MMM yyyy  HH:mm",  # ShortFormat gives "1 11 2026" under C
        ),
    ),
    Column("Student", lambda e: e.student_name),
    Column("Entry", lambda e: _tr(TYPE_TEXTS.get(e.entry_type, e.entry_type))),
    Column("Amount", lambda e: money(e.signed_amount, e.currency), True),
    Column("Method", lambda e: _tr(METHOD_TEXTS[e.method]) if e.method else ""),
    Column("Receipt", lambda e: str(e.receipt_number or "")),
    Column("Details", lambda e: " · ".join(x for x in (e.description, e.reason, e.reference) if x)),
    Column("By", lambda e: _tr("System") if e.created_by == "academy_owner" else e.created_by),
)


class LedgerModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[LedgerEntry] = []

    def set_entries(self, rows: Sequence[LedgerEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def entry(self, row: int) -> LedgerEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _tr(COLUMNS[section].title)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.value(entry)
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3:
            return QBrush(QColor("#1b7f3b" if entry.signed_amount < 0 else "#202124"))
        return None
