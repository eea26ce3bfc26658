"""Today's rosters as one Qt table model: every booked child of the location's sessions
today, with attendance state, whether this desk's last write was saved, and the alerts
the desk must see (medical, balance due, no authorised pickup).

The model never talks to the database: the check-in screen replaces rows
(``set_entries``) and updates one row after each write (``update_entry``). Filtering (a
session, or a typed name across sessions) is done by ``RosterFilter``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from academy_desktop.domain.attendance import AttendanceStatus, RosterEntry, SaveState
from academy_desktop.models.ledger import money

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # (session_id, student_id)

Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterModel", text)


def status_text(status: AttendanceStatus | None) -> str:
    texts = {
        None: "Not in yet",
        AttendanceStatus.PRESENT: "Present",
        AttendanceStatus.LATE: "Late",
        AttendanceStatus.ABSENT: "Absent",
        AttendanceStatus.EXCUSED: "Excused",
    }
    return _tr(texts[status])


def save_text(entry: RosterEntry) -> str:
    texts = {
        SaveState.NONE: "",
        SaveState.SAVING: "Saving…",
        SaveState.SAVED: "Saved ✓",
        SaveState.FAILED: "NOT saved",
    }
    text = _tr(texts[entry.save_state])
    return f"{text}: {entry.save_error}" if entry.save_error else text


def alerts(entry: RosterEntry, currency: str = "") -> list[str]:
    """Medical notes, money owed (in the location's currency when known), no pickup."""
    found = []
    if entry.medical:
        found.append(_tr("Medical: %s") % entry.medical)
    if entry.balance_due > 0:
        owed = money(entry.balance_due, currency) if currency else f"{entry.balance_due:.2f}"
        found.append(_tr("Balance due %s") % owed)
    if not entry.can_be_picked_up:
        found.append(_tr("No authorised pickup"))
    return found


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[RosterEntry, RosterModel], str]


COLUMNS: tuple[Column, ...] = (
    Column("Student", lambda e, _m: e.display_name),
    Column("No.", lambda e, _m: e.student_number),
    Column("Session", lambda e, m: m.session_titles.get(e.session_id, "")),
    Column("Attendance", lambda e, _m: status_text(e.status)),
    Column("Alerts", lambda e, m: " · ".join(alerts(e, m.currency))),
    Column("Saved", lambda e, _m: save_text(e)),
)
SESSION_COLUMN = 2
STATUS_COLUMN = 3
ALERT_COLUMN = 4
SAVE_COLUMN = 5

_STATUS_COLOURS = {
    AttendanceStatus.PRESENT: "#1b7f3b",
    AttendanceStatus.LATE: "#a86400",
    AttendanceStatus.ABSENT: "#b3261e",
    AttendanceStatus.EXCUSED: "#5f6368",
}


class RosterModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[RosterEntry] = []
        self._rows: dict[tuple[UUID, UUID], int] = {}
        self.session_titles: dict[UUID, str] = {}
        self.currency = ""  # the location's, for the balance-due alert

    # -- data in ---------------------------------------------------------------------
    def set_entries(
        self, entries: Sequence[RosterEntry], session_titles: dict[UUID, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {(e.session_id, e.student_id): i for i, e in enumerate(self._entries)}
        self.session_titles = dict(session_titles or {})
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def add_entries(self, entries: Sequence[RosterEntry]) -> None:
        """Append rosters that arrived later (one insert, no reset: the person's
        selection and scroll position survive); rows already present are kept as they
        are, since they may carry a newer save state than the loaded copy."""
        fresh = [e for e in entries if (e.session_id, e.student_id) not in self._rows]
        if not fresh:
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for i, e in enumerate(fresh, start=first):
            self._rows[(e.session_id, e.student_id)] = i
        self._entries.extend(fresh)
        self.endInsertRows()

    def update_entry(self, entry: RosterEntry) -> None:
        row = self._rows.get((entry.session_id, entry.student_id))
        if row is None:
            self.beginInsertRows(QModelIndex(), len(self._entries), len(self._entries))
            self._rows[(entry.session_id, entry.student_id)] = len(self._entries)
            self._entries.append(entry)
            self.endInsertRows()
            return
        self._entries[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def entry(self, session_id: UUID, student_id: UUID) -> RosterEntry | None:
        row = self._rows.get((session_id, student_id))
        return None if row is None else self._entries[row]

    def entries(self) -> list[RosterEntry]:
        return list(self._entries)

    # -- Qt ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

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
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return COLUMNS[column].value(entry, self)
        if role == ENTRY_ROLE:
            return entry
        if role == KEY_ROLE:
            return (entry.session_id, entry.student_id)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(entry, column)
        if role == Qt.ItemDataRole.FontRole and column in (0, STATUS_COLUMN):
            font = QFont()
            font.setBold(column == 0 or entry.status is not None)
            return font
        return None

    def _foreground(self, entry: RosterEntry, column: int) -> QBrush | None:
        if column == STATUS_COLUMN and entry.status is not None:
            return QBrush(QColor(_STATUS_COLOURS[entry.status]))
        if column == ALERT_COLUMN and alerts(entry, self.currency):
            return QBrush(QColor("#b3261e"))
        if column == SAVE_COLUMN and entry.save_state is SaveState.FAILED:
            return QBrush(QColor("#b3261e"))
        if column == SAVE_COLUMN and entry.save_state is SaveState.SAVED:
            return QBrush(QColor("#1b7f3b"))
        return None


class RosterFilter(QSortFilterProxyModel):
    """Shows one session's roster, or — while a name is typed — matches in all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._session_id: UUID | None = None
        self._query = ""

    @property
    def session_id(self) -> UUID | None:
        return self._session_id

    def set_session(self, session_id: UUID | None) -> None:
        if session_id == self._session_id:
            return
        self.beginFilterChange()
        self._session_id = session_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_query(self, query: str) -> None:
        self.beginFilterChange()
        self._query = query.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def query(self) -> str:
        return self._query

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        entry: RosterEntry = model.data(model.index(source_row, 0, source_parent), ENTRY_ROLE)
        if entry is None:
            return False
        if self._query:
            return entry.matches(self._query)
        return self._session_id is None or entry.session_id == self._session_id
