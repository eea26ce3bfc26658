"""A thin "working…" strip shown while database calls are in flight for >150 ms.

Fast calls never flash it; slow ones show it within a frame of the threshold. It
listens to the runner's activity count, which is updated on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget
from shiboken6 import isValid

from academy_desktop.db.runner import DbRunner

SHOW_AFTER_MS = 150


class BusyIndicator(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busy")
        self.setAccessibleName(self.tr("Working"))
        self._bar = QProgressBar(self)
        self._bar.setRange(0, 0)  # indeterminate
        self._bar.setTextVisible(False)
        self._bar.setMaximumHeight(4)
        self._label = QLabel(self.tr("Working…"), self)
        self._label.setObjectName("busyLabel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self._bar, 1)
        layout.addWidget(self._label)
        self._pending = 0
        self._delay = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._delay.timeout.connect(self._maybe_show)
        self._runner: DbRunner | None = None
        self.hide()

    def attach(self, runner: DbRunner) -> None:
        self.detach()
        self._runner = runner
        runner.add_activity_listener(self.set_pending)

    def detach(self) -> None:
        if self._runner is not None:
            self._runner.remove_activity_listener(self.set_pending)
            self._runner = None
        self.set_pending(0)

    def set_pending(self, count: int) -> None:
        if not isValid(self):  # deleted before the runner it listened to
            return
        self._pending = count
        if count > 0:
            if not self.isVisible() and not self._delay.isActive():
                self._delay.start()
        else:
            self._delay.stop()
            self.hide()

    def _maybe_show(self) -> None:
        if self._pending > 0:
            self.show()
