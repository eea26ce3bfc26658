"""Families as a Qt table model: one row per family (its parents, their children and the
family balance). Fed whole by the families presenter (a family list is short: a search result
or the first few hundred families of the desk's locations)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from academy_desktop.domain.students import FamilySummary
from academy_desktop.domain.validation import display_phone
from academy_desktop.models.ledger import money

FAMILY_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def _money(family: FamilySummary) -> str:
    """Owed as an amount; in credit said so ("$18.75 credit"): a bare minus sign at the
    desk reads like a debt."""
    if family.balance < 0:
        return QCoreApplication.translate("FamiliesModel", "%1 credit").replace(
            "%1", money(-family.balance, family.currency))
    return money(family.balance, family.currency)


COLUMNS: tuple[tuple[str, Callable[[FamilySummary], str]], ...] = (
    ("Parents", lambda f: " & ".join((f"{f.last_name}, {f.first_name}", *f.other_parents))),
    ("Phone", lambda f: display_phone(f.phone)),
    ("Email", lambda f: f.email or ""),
    ("Location", lambda f: f.location_name),
    ("Children", lambda f: ", ".join(f.children)),
    ("Family balance", _money),
)


class FamiliesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FamilySummary] = []

    def reset_rows(self, rows: Sequence[FamilySummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> tuple[FamilySummary, ...]:
        return tuple(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        family = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][1](family)
        if role == FAMILY_ROLE:
            return family
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5 and family.balance > 0:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return QCoreApplication.translate("FamiliesModel", COLUMNS[section][0])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
