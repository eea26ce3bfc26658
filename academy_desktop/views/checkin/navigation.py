"""The check-in screen's session list and keys, apart from its writes (``view.py``): which
sessions are loaded, the live checked-in counts, NOW/NEXT kept current, and the one-key
actions on the roster (P/L/A/E, F, Enter, Ctrl+Z before the line edit takes it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QListWidgetItem

from academy_desktop.domain.attendance import STATUS_KEYS, AttendanceStatus
from academy_desktop.views.checkin.sessions import SESSION_ROLE


class SessionNavigation:
    """Mixin for CheckInWorkspace (uses its staged rosters, model, proxy, session list,
    table and search field, and its _mark_selected / _family / _undo slots)."""

    def all_loaded(self) -> bool:
        return not self.staged.missing(self.sessions)

    def _when_loaded(self, action: Callable[[], None]) -> None:
        self.staged.when_all(self.sessions, action)

    def _checked_in(self) -> dict[UUID, int]:
        # the server's count until a session's roster is here, then the live one
        loaded = self.staged.loaded
        counts = {s.session_id: s.checked_in for s in self.sessions if s.session_id not in loaded}
        for e in self.model.entries():
            if e.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
                counts[e.session_id] = counts.get(e.session_id, 0) + 1
        return counts

    def _refresh_sessions(self) -> None:
        """Keep NOW/NEXT and the checked-in counts current between reloads."""
        if self.sessions:
            self._fill_sessions(dt.datetime.now(dt.UTC))

    def _fill_sessions(self, now: dt.datetime) -> None:
        wanted = self.session_list.show_sessions(self.sessions, self._checked_in(), now)
        self.proxy.set_session(wanted)

    def proxy_session(self) -> UUID | None:
        return self.session_list.session_id()

    def _on_session_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        session_id = current.data(SESSION_ROLE) if current is not None else None
        self.proxy.set_session(session_id)
        self.staged.ensure(session_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo):  # before the line edit's own undo
                self._undo()
                return True
            if watched is self.table:
                key = event.text().lower()
                if (
                    key in STATUS_KEYS
                    and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
                ):
                    self._mark_selected(STATUS_KEYS[key])
                    return True
                if key == "f":
                    self._family()
                    return True
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self._mark_selected(AttendanceStatus.PRESENT)
                    return True
            elif watched is self.search and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                target = self.walk_ins if self.walk_ins.isVisible() else self.table
                target.setFocus()
                return True
        return super().eventFilter(watched, event)

