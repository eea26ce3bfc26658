"""The "I have a reset code" page of the sign-in dialog.

An administrator issued a one-time code (Staff & access). The person types their
username, the code and a new password; the client redeems it through the gatekeeper
login (``academy.redeem_reset_code``, which receives only a SCRAM verifier) and then
signs in with the new password. The dialog owns the async work; this page only collects.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class ResetCodePage(QWidget):
    submitted = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Use a reset code"), self)
        title.setObjectName("pageTitle")
        note = QLabel(self.tr("Type the code an administrator gave you and choose a new "
                              "password. A code works once, for 30 minutes."), self)
        note.setWordWrap(True)
        note.setProperty("muted", True)
        self.username = self._field(self.tr("Username"))
        self.code = self._field(self.tr("Reset code"))
        self.code.setPlaceholderText("XXXX-XXXX-XXXX")
        self.new_password = self._field(self.tr("New password"), secret=True)
        self.confirm_password = self._field(self.tr("Repeat new password"), secret=True)
        self.submit_button = QPushButton(self.tr("Set password and sign in"), self)
        self.submit_button.setProperty("primary", True)
        self.submit_button.clicked.connect(self.submitted)
        back = QPushButton(self.tr("Back"), self)
        back.clicked.connect(self.back_requested)
        form = QFormLayout()
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Reset code"), self.code)
        form.addRow(self.tr("New password"), self.new_password)
        form.addRow(self.tr("Repeat"), self.confirm_password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.submit_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 16, 20, 0)
        column.addWidget(title)
        column.addWidget(note)
        column.addLayout(form)
        column.addLayout(buttons)
        self.username.returnPressed.connect(self.code.setFocus)
        self.code.returnPressed.connect(self.new_password.setFocus)
        self.new_password.returnPressed.connect(self.confirm_password.setFocus)
        self.confirm_password.returnPressed.connect(self.submitted)

    def _field(self, name: str, secret: bool = False) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(name)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def start(self, username: str) -> None:
        self.username.setText(username)
        for field in (self.code, self.new_password, self.confirm_password):
            field.clear()
        (self.code if username else self.username).setFocus()

    def clear_secrets(self) -> None:
        for field in (self.code, self.new_password, self.confirm_password):
            field.clear()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.code, self.new_password, self.confirm_password,
                       self.submit_button):
            widget.setEnabled(not busy)
