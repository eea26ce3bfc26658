"""Today's sessions down the side of the check-in screen: time order, the one running
now and the next one highlighted, booked/capacity and how many are in."""

from __future__ import annotations

import datetime as dt
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from academy_desktop.domain.attendance import TodaySession, current_and_next

SESSION_ROLE = Qt.ItemDataRole.UserRole + 1


def _time(value: dt.datetime, zone: ZoneInfo | None) -> str:
    """On the location's clock when known (else this computer's)."""
    return QLocale().toString(value.astimezone(zone).time(), QLocale.FormatType.ShortFormat)


class SessionList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Today's sessions"))
        self.zone: ZoneInfo | None = None  # the location's time zone
        self.name_locations = False  # a float desk on "All my locations" needs to know where
        # titles are long ("Little Splashers - Level 3"): wrap, never scroll sideways
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSpacing(2)

    def set_zone(self, name: str) -> None:
        try:
            self.zone = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = None

    def short_label(self, s: TodaySession) -> str:
        return f"{_time(s.starts_at, self.zone)} {s.title}"

    def label(self, s: TodaySession, checked_in: int) -> str:
        room = f" · {s.room}" if s.room else ""
        if self.name_locations and s.location:
            room = f" · {s.location}{room}"
        booked = (
            self.tr("%1/%2 booked · %3 in")
            .replace("%1", str(s.booked_count))
            .replace("%2", str(s.capacity))
            .replace("%3", str(checked_in))
        )
        start, end = _time(s.starts_at, self.zone), _time(s.ends_at, self.zone)
        return f"{start}–{end}\n{s.title}{room}\n{booked}"

    def session_id(self) -> UUID | None:
        item = self.currentItem()
        return item.data(SESSION_ROLE) if item is not None else None

    def show_sessions(
        self, sessions: list[TodaySession], checked_in: dict[UUID, int], now: dt.datetime
    ) -> UUID | None:
        """Refill (keeping the selection); returns the session now selected."""
        selected = self.session_id()
        current, nxt = current_and_next(sessions, now)
        self.name_locations = len({s.location for s in sessions}) > 1
        self.blockSignals(True)
        self.clear()
        for s in sessions:
            running = s.status != "cancelled" and s.starts_at <= now < s.ends_at
            tag = (
                self.tr("NOW  ")
                if running or s.session_id == current
                else self.tr("NEXT  ")
                if s.session_id == nxt
                else ""
            )
            cancelled = self.tr(" (cancelled)") if s.status == "cancelled" else ""
            item = QListWidgetItem(tag + self.label(s, checked_in.get(s.session_id, 0)) + cancelled)
            item.setData(SESSION_ROLE, s.session_id)
            if tag:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
                item.setBackground(QBrush(QColor("#eef3fb" if s.session_id == nxt else "#e3f2e6")))
            self.addItem(item)
        wanted = selected or current or nxt or (sessions[0].session_id if sessions else None)
        for row in range(self.count()):
            if self.item(row).data(SESSION_ROLE) == wanted:
                self.setCurrentRow(row)
        self.blockSignals(False)
        return wanted
