"""The lock screen: hides everything until the same person types their password again.

The check compares with the password the live connection pool already holds (it needs
it to open connections), so unlocking works even while the server is unreachable and
keeps no second copy of the secret.
"""

from __future__ import annotations

import hmac

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.ui.icons import icon


class LockScreen(QWidget):
    unlocked = Signal()
    switch_user_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("Locked"))
        self._expected = ""
        glyph = QLabel(self)
        glyph.setPixmap(icon("lock").pixmap(64, 64))
        glyph.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self.tr("Enter your password to continue."), self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setProperty("muted", True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.error = QLabel(self)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch_button = QPushButton(self.tr("Switch user"), self)
        self.switch_button.clicked.connect(self.switch_user_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.unlock_button)
        column = QVBoxLayout()
        for widget in (glyph, self.title, self.hint, self.password, self.error):
            column.addWidget(widget)
        column.addLayout(buttons)
        box = QWidget(self)
        box.setLayout(column)
        box.setFixedWidth(340)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def arm(self, display_name: str, password: str) -> None:
        self._expected = password
        self.title.setText(self.tr("Locked — %s") % display_name)
        self.password.clear()
        self.error.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        typed = self.password.text()
        self.password.clear()
        if self._expected and hmac.compare_digest(typed.encode(), self._expected.encode()):
            self.error.clear()
            self.unlocked.emit()
        else:
            self.error.setText(self.tr("That password is not correct."))
            self.password.setFocus()

    def disarm(self) -> None:
        self._expected = ""
        self.password.clear()
