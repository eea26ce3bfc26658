"""The students list as a Qt table model: pages appended on demand, or one search result.

The model never talks to the database. It asks for more with ``fetch_wanted(offset)``
(Qt calls ``fetchMore`` as the view scrolls) and for another order with
``sort_wanted(key, descending)``; the presenter answers with ``append_page`` /
``reset_rows``. ``canFetchMore`` is false while a page is in flight, so Qt never asks
twice. Rows are ``PersonRow`` (students and, in search results, parents).

Every cell's text is computed once when rows arrive (``_texts``), not per ``data()`` call:
a repaint asks each visible cell for several roles, and a search result that is the same
as the one shown (a keystroke that changes nothing) resets nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from academy_desktop.domain.students import PersonRow, SortKey, StudentPage, age_on
from academy_desktop.domain.validation import display_phone

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

# the roles data() answers, as plain ints (enum comparisons per call add up in a repaint)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ANSWERED = frozenset({int(ROW_ROLE), int(ID_ROLE), int(KIND_ROLE), _FONT, _ALIGNMENT})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # asked per cell


def _tr(text: str) -> str:
    return QCoreApplication.translate("StudentsModel", text)


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[PersonRow, date], str]
    sort: SortKey | None = None


def _age(row: PersonRow, today: date) -> str:
    age = age_on(row.date_of_birth, today)
    return "" if age is None else str(age)


def _family(row: PersonRow, _today: date) -> str:
    if row.is_student:
        return row.family or ""
    parts = [display_phone(row.phone), row.email or "", row.family or ""]
    return " · ".join(p for p in parts if p)


COLUMNS: tuple[Column, ...] = (
    Column("Name", lambda r, _t: r.display_name, SortKey.NAME),
    Column("Number", lambda r, _t: r.student_number or ("" if r.is_student else _tr("Parent")),
           SortKey.NUMBER),
    Column("Age", _age, SortKey.BIRTH),
    Column("Location", lambda r, _t: r.location_name or "", SortKey.LOCATION),
    Column("Program", lambda r, _t: r.program_name or "", SortKey.PROGRAM),
    Column("Level", lambda r, _t: r.level_name or ""),
    Column("Family / contact", _family),
)


class StudentsModel(QAbstractTableModel):
    fetch_wanted = Signal(int)  # offset of the next page
    sort_wanted = Signal(object, bool)  # SortKey, descending

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._texts: list[tuple[str, ...]] = []  # per row, per column: the display text
        self._has_more = False
        self._italic = QFont()
        self._italic.setItalic(True)
        self._loading = False
        self.today = today or date.today()
        self.sort_key = SortKey.NAME
        self.descending = False

    # -- feeding ------------------------------------------------------------------------
    def reset_rows(self, rows: Sequence[PersonRow], has_more: bool = False) -> None:
        """Replace everything (a first page, a search result, or nothing); the same rows
        again change nothing (no reset, no repaint, the selection stays)."""
        rows = list(rows)
        self._loading = False
        if rows == self._rows and has_more == self._has_more:
            return
        self.beginResetModel()
        self._rows = rows
        self._texts = [self._texts_of(row) for row in rows]
        self._has_more = has_more
        self.endResetModel()

    def _texts_of(self, row: PersonRow) -> tuple[str, ...]:
        return tuple(column.value(row, self.today) for column in COLUMNS)

    def append_page(self, page: StudentPage) -> None:
        """Add a page fetched after ``fetch_wanted``; a page for a stale offset is ignored."""
        self._loading = False
        if page.offset != len(self._rows):
            return
        self._has_more = page.has_more
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._texts.extend(self._texts_of(row) for row in page.rows)
            self.endInsertRows()

    def page_failed(self) -> None:
        self._loading = False

    def clear(self) -> None:
        self.reset_rows(())

    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> PersonRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> tuple[PersonRow, ...]:
        return tuple(self._rows)

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def text_at(self, row: int, column: int) -> str:
        """The cell's display text, without a QVariant round trip (export, tests)."""
        return self._texts[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        number = index.row()
        if not 0 <= number < len(self._rows) or not index.isValid():
            return None
        if role in (_DISPLAY, _TOOLTIP):
            return self._texts[number][index.column()]
        if role not in _ANSWERED:
            return None
        row = self._rows[number]
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == KIND_ROLE:
            return row.kind
        if role == _FONT and (not row.is_active or not row.is_student):
            return self._italic
        if role == _ALIGNMENT and index.column() == 2:
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _tr(COLUMNS[section].title)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._loading = True
            self.fetch_wanted.emit(len(self._rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_wanted.emit(key, self.descending)


def sortable_columns() -> tuple[int, ...]:
    return tuple(i for i, c in enumerate(COLUMNS) if c.sort is not None)
