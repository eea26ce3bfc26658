"""A level's rubric as an editable table: one row per criterion, one column for the
criterion's name and one for what 0, 1, 2 and 3 stars mean. Edits stay in the model
until the presenter saves them (as a new version if students were rated under it)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from academy_desktop.domain.curriculum import Rubric, RubricCriterion

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Criterion", "0 stars", "1 star", "2 stars", "3 stars")


class RubricModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rubric: Rubric | None = None
        self._rows: list[RubricCriterion] = []
        self.editable = False
        self.dirty = False

    def set_rubric(self, rubric: Rubric | None, editable: bool) -> None:
        self.beginResetModel()
        self.rubric = rubric
        self._rows = list(rubric.criteria) if rubric is not None else []
        self.editable = editable
        self.dirty = False
        self.endResetModel()

    def criteria(self) -> tuple[RubricCriterion, ...]:
        return tuple(c for c in self._rows if c.name.strip())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("curriculum", COLUMNS[section])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        crit = self._rows[index.row()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return crit.name if index.column() == 0 else crit.stars[index.column() - 1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self.editable else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        crit = self._rows[index.row()]
        text = str(value)
        if index.column() == 0:
            crit = replace(crit, name=text)
        else:
            stars = list(crit.stars)
            stars[index.column() - 1] = text
            crit = replace(crit, stars=(stars[0], stars[1], stars[2], stars[3]))
        self._rows[index.row()] = crit
        self.dirty = True
        self.dataChanged.emit(index, index)
        return True

    def add_criterion(self, name: str = "") -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(RubricCriterion(name))
        self.endInsertRows()
        self.dirty = True
        return row

    def remove_criterion(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            self._rows.pop(row)
            self.endRemoveRows()
            self.dirty = True
