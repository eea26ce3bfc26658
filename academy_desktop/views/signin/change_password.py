"""The "Change my password" dialog of a signed-in person (main window: Ctrl+Shift+P).

The current password is checked against the one the live connection pool holds (it was
proven to PostgreSQL when signing in), the policy is checked here, and only a SCRAM
verifier reaches ``academy.set_my_password``. Afterwards new pool connections use the
new password, and a remembered password in the keyring is replaced.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

import keyring.errors
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db import login, profiles
from academy_desktop.db.profiles import Profile
from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.password_policy import MIN_LENGTH, password_problems
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.banner import Banner, Level

log = logging.getLogger(__name__)


class ChangePasswordDialog(QDialog):
    password_changed = Signal()

    def __init__(self, runner: DbRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle(self.tr("Change my password"))
        self.setMinimumWidth(400)
        self.banner = Banner(self)
        self.current = self._field(self.tr("Current password"))
        self.new_password = self._field(self.tr("New password"))
        self.confirm_password = self._field(self.tr("Repeat new password"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Change password"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("At least %n characters; not your username or a common "
                              "password.", "", MIN_LENGTH), self)
        hint.setProperty("muted", True)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new_password)
        form.addRow(self.tr("Repeat"), self.confirm_password)
        column = QVBoxLayout(self)
        column.addWidget(self.banner)
        column.addLayout(form)
        column.addWidget(hint)
        column.addWidget(self.buttons)
        self.current.setFocus()

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def report_error(self, error: BaseException) -> None:
        self.banner.show_error(error)

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.banner.show_message(Level.ERROR, text)
        field.setFocus()

    @async_slot
    async def submit(self) -> None:
        current, new = self.current.text(), self.new_password.text()
        username = self.runner.url.username or ""
        held = self.runner.url.password or ""
        if not hmac.compare_digest(current.encode(), held.encode()):
            self.current.clear()
            return self._refuse(self.tr("The current password is not correct."), self.current)
        if new != self.confirm_password.text():
            return self._refuse(self.tr("The two new passwords are different."),
                                self.confirm_password)
        problems = password_problems(new, username)
        if problems:
            return self._refuse(" ".join(self.tr(p.message) for p in problems),
                                self.new_password)
        self.ok_button.setEnabled(False)
        try:
            await self.runner.run(lambda s: login.change_password(s, new))
        finally:
            self.ok_button.setEnabled(True)
        login.use_new_password(self.runner, new)
        await self._update_keyring(username, new)
        for field in (self.current, self.new_password, self.confirm_password):
            field.clear()
        self.password_changed.emit()
        self.accept()

    async def _update_keyring(self, username: str, new: str) -> None:
        url = self.runner.url
        profile = Profile("", url.host or "", url.port or 5432, url.database or "")
        try:
            if await asyncio.to_thread(profiles.recall_password, profile, username):
                await asyncio.to_thread(profiles.remember_password, profile, username, new)
        except keyring.errors.KeyringError:
            log.warning("keyring refused; remembered password not updated", exc_info=True)
