"""One week of sessions as a Qt list model, so the painted week view, its tooltips, the
keyboard navigation and the tests all read the same rows. Rows are frozen domain
``WeekSession``s; the model adds where each falls (day column, side-by-side lane) on the
location's wall clock, computed once per reset, so ``data()`` answers synchronously."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from academy_desktop.domain.schedule import AvailabilityWindow, WeekSession, lay_out_day, week_start

_FALLBACK_COLORS = ("#3b82f6", "#10b981", "#f59e0b", "#8b5cf6", "#ef4444", "#14b8a6", "#ec4899")


class WeekRole(IntEnum):
    SESSION = Qt.ItemDataRole.UserRole + 1
    DAY = Qt.ItemDataRole.UserRole + 2  # 0 = Monday
    START_MINUTE = Qt.ItemDataRole.UserRole + 3  # minutes after local midnight
    END_MINUTE = Qt.ItemDataRole.UserRole + 4
    LANE = Qt.ItemDataRole.UserRole + 5  # (lane, lanes)
    COLOR = Qt.ItemDataRole.UserRole + 6


def tr(text: str) -> str:
    return QCoreApplication.translate("WeekModel", text)


def program_color(s: WeekSession) -> QColor:
    if s.program_color:
        return QColor(s.program_color)
    return QColor(_FALLBACK_COLORS[hash(s.program_id) % len(_FALLBACK_COLORS)])


class WeekModel(QAbstractListModel):
    """Sessions of the week starting ``monday`` in zone ``tz``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[WeekSession] = []
        self._placed: list[tuple[int, int, int, int, int]] = []  # day, start, end, lane, lanes
        self.tz = ZoneInfo("UTC")
        self.monday = week_start(date.today())
        self.availability: tuple[AvailabilityWindow, ...] = ()

    # -- loading -----------------------------------------------------------------------------
    def set_week(
        self,
        monday: date,
        tz: ZoneInfo,
        sessions: Sequence[WeekSession],
        availability: Sequence[AvailabilityWindow] = (),
    ) -> None:
        self.beginResetModel()
        self.monday, self.tz = week_start(monday), tz
        self.availability = tuple(availability)
        self._rows = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, str(s.id)))
        self._place()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._placed, self.availability = [], [], ()
        self.endResetModel()

    def _place(self) -> None:
        placed: list[tuple[int, int, int, int, int]] = []
        by_day: dict[int, list[int]] = {}
        for i, s in enumerate(self._rows):
            start = s.starts_at.astimezone(self.tz)
            end = s.ends_at.astimezone(self.tz)
            day = (start.date() - self.monday).days
            start_min = start.hour * 60 + start.minute
            # a session past midnight is drawn to the end of its first day
            end_min = end.hour * 60 + end.minute if end.date() == start.date() else 24 * 60
            placed.append((day, start_min, max(end_min, start_min + 10), 0, 1))
            by_day.setdefault(day, []).append(i)
        for indexes in by_day.values():
            spans = [(self._rows[i].starts_at, self._rows[i].ends_at) for i in indexes]
            for i, (lane, lanes) in zip(indexes, lay_out_day(spans), strict=True):
                day, start_min, end_min, _, _ = placed[i]
                placed[i] = (day, start_min, end_min, lane, lanes)
        self._placed = placed

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        day, start_min, end_min, lane, lanes = self._placed[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(s)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{s.title}, {self.time_range(s)}, {s.instructor_name}"
        if role == WeekRole.SESSION:
            return s
        if role == WeekRole.DAY:
            return day
        if role == WeekRole.START_MINUTE:
            return start_min
        if role == WeekRole.END_MINUTE:
            return end_min
        if role == WeekRole.LANE:
            return (lane, lanes)
        if role in (WeekRole.COLOR, Qt.ItemDataRole.DecorationRole):
            return program_color(s)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- helpers (the painter reads these directly: no QVariant round trip per block) ------
    def placement(self, row: int) -> tuple[int, int, int, int, int]:
        """(day, start minute, end minute, lane, lanes) of ``row``."""
        return self._placed[row]

    def session(self, row: int) -> WeekSession:
        return self._rows[row]

    def sessions(self) -> tuple[WeekSession, ...]:
        return tuple(self._rows)

    def row_of(self, session_id: Any) -> int:
        return next((i for i, s in enumerate(self._rows) if s.id == session_id), -1)

    def day_date(self, day: int) -> date:
        return self.monday + timedelta(days=day)

    def time_range(self, s: WeekSession) -> str:
        a, b = s.starts_at.astimezone(self.tz), s.ends_at.astimezone(self.tz)
        return f"{a:%H:%M}–{b:%H:%M}"

    def tooltip(self, s: WeekSession) -> str:
        lines = [
            f"<b>{_esc(s.title)}</b>",
            f"{self.local(s.starts_at):%a %d %b} · {self.time_range(s)}",
        ]
        lines.append(_esc(s.program_name + (f" · {s.level_name}" if s.level_name else "")))
        who = s.instructor_name + (
            tr(" (covering for %s)") % s.substitute_for if s.substitute_for else ""
        )
        lines.append(_esc(who))
        seats = tr("%1 of %2 booked").replace("%1", str(s.booked)).replace("%2", str(s.capacity))
        if s.waiting:
            seats += " · " + tr("%n waiting").replace("%n", str(s.waiting))
        lines.append(seats)
        if s.room:
            lines.append(_esc(tr("Room: %s") % s.room))
        if s.cancelled:
            lines.append("<i>" + tr("Cancelled") + "</i>")
        return "<br>".join(lines)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
