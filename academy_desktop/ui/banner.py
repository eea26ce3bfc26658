"""A non-modal message strip at the top of a window: info, warning or error.

Modal message boxes stop the desk; the banner tells and lets the person carry on.
One message at a time (the newest wins); an optional action button (e.g. "Retry").
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from academy_desktop.domain.errors import UserFacingError
from academy_desktop.ui import messages


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Banner(QFrame):
    dismissed = Signal()
    action_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(self.tr("Message"))
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton(self)
        self._action.hide()
        self._action.clicked.connect(self._on_action)
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setToolTip(self.tr("Dismiss"))
        self._close.setAccessibleName(self.tr("Dismiss message"))
        self._close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._action)
        layout.addWidget(self._close)
        self._callback: Callable[[], object] | None = None
        self._auto_hide = QTimer(self, singleShot=True, timeout=self.dismiss)
        self.level = Level.INFO
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text() if self.isVisibleTo(self.parentWidget()) else ""

    def show_message(self, level: Level, text: str, *, action_text: str | None = None,
                     action: Callable[[], object] | None = None,
                     timeout_ms: int = 0) -> None:
        self.level = level
        self.setProperty("level", level.value)
        self.style().unpolish(self)
        self.style().polish(self)
        self._text.setText(text)
        self.setAccessibleDescription(text)
        self._callback = action
        self._action.setVisible(bool(action_text))
        self._action.setText(action_text or "")
        self._auto_hide.stop()
        if timeout_ms:
            self._auto_hide.start(timeout_ms)
        self.show()

    def show_info(self, text: str, timeout_ms: int = 0) -> None:
        self.show_message(Level.INFO, text, timeout_ms=timeout_ms)

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            level = Level.WARNING if error.transient else Level.ERROR
            self.show_message(level, messages.user_message(error))
        else:
            self.show_message(Level.ERROR, messages.unexpected_message())

    def dismiss(self) -> None:
        self._auto_hide.stop()
        self.hide()
        self.dismissed.emit()

    def _on_action(self) -> None:
        self.action_requested.emit()
        if self._callback is not None:
            self._callback()
