"""Sign-in dialog: connect as the person's own role, never blocking the window.

Pages: sign in; change password (forced on first login, or asked for); reset code
(redeemed through the gatekeeper login, then signed in with the new password). Opened
with ``open()`` and answered by the ``signed_in`` signal - no nested ``exec()`` loop.
"""

from __future__ import annotations

import asyncio
import logging
from types import ModuleType
from typing import TYPE_CHECKING

import keyring.errors
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db import profiles
from academy_desktop.db.profiles import LOCAL_PROFILE_NAME, Profile, ProfileStore
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import Identity
from academy_desktop.domain.password_policy import password_problems
from academy_desktop.ui.aio import async_slot, spawn
from academy_desktop.ui.banner import Banner, Level
from academy_desktop.ui.settings import Settings
from academy_desktop.views.signin.reset_page import ResetCodePage
from academy_desktop.views.signin.servers import ServerDialog

if TYPE_CHECKING:
    from academy_desktop.db.runner import DbRunner

log = logging.getLogger(__name__)


def _login() -> ModuleType:
    """``db.login`` pulls in SQLAlchemy and psycopg: imported once the dialog is up
    (the app warms it in the background after the first paint)."""
    from academy_desktop.db import login

    return login


class SignInDialog(QDialog):
    signed_in = Signal(object, object)  # (DbRunner, Identity)

    def __init__(self, *, settings: Settings | None = None, store: ProfileStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.store = store or ProfileStore()
        self._pending: tuple[DbRunner, Identity, Profile, str, str] | None = None
        self._attempt: asyncio.Task[None] | None = None
        self.setWindowTitle(self.tr("Sign in — Academy Desktop"))
        self.setMinimumWidth(420)
        self.banner = Banner(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_sign_in_page())
        self.pages.addWidget(self._build_change_page())
        self.reset_page = ResetCodePage(self)
        self.reset_page.submitted.connect(self.submit_reset_code)
        self.reset_page.back_requested.connect(self._back_to_sign_in)
        self.pages.addWidget(self.reset_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages)
        self._load_profiles()
        self.username.setText(self.settings.last_username)
        self.remember.setChecked(self.settings.remember_me)
        (self.password if self.username.text() else self.username).setFocus()
        if self.remember.isChecked() and self.username.text():
            spawn(self._recall(), self, "signin.recall")

    # -- pages --------------------------------------------------------------------------
    def _build_sign_in_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel(self.tr("Sign in"), page)
        title.setObjectName("pageTitle")
        self.profile = QComboBox(page)
        self.profile.setAccessibleName(self.tr("Server"))
        self.username = QLineEdit(page)
        self.username.setAccessibleName(self.tr("Username"))
        self.username.setPlaceholderText(self.tr("Your username"))
        self.password = QLineEdit(page)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember my password on this computer"), page)
        self.sign_in_button = QPushButton(self.tr("Sign in"), page)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.submit)
        self.change_link = QPushButton(self.tr("Change my password…"), page)
        self.change_link.setFlat(True)
        self.change_link.clicked.connect(self._ask_change_password)
        self.reset_link = QPushButton(self.tr("I have a reset code…"), page)
        self.reset_link.setFlat(True)
        self.reset_link.clicked.connect(self._show_reset_page)
        self.status = QLabel(page)
        self.status.setProperty("muted", True)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self._server_row(page))
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        links = QHBoxLayout()
        links.addWidget(self.change_link)
        links.addWidget(self.reset_link)
        links.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.sign_in_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(20, 16, 20, 0)
        column.addWidget(title)
        column.addLayout(form)
        column.addLayout(links)
        column.addLayout(buttons)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        return page

    def _server_row(self, page: QWidget) -> QWidget:
        """The profile list and a "Servers" menu to add or edit a profile."""
        row = QWidget(page)
        self.servers_button = QToolButton(row)
        self.servers_button.setText(self.tr("Servers…"))
        self.servers_button.setAccessibleName(self.tr("Add or edit servers"))
        self.servers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.servers_button)
        menu.addAction(self.tr("Add a server…"), self.add_server)
        self.edit_server_action = menu.addAction(self.tr("Edit this server…"), self.edit_server)
        self.servers_button.setMenu(menu)
        self.profile.currentIndexChanged.connect(self._on_profile_changed)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.profile, 1)
        layout.addWidget(self.servers_button)
        return row

    def _on_profile_changed(self, _index: int) -> None:
        current: Profile | None = self.profile.currentData()
        self.edit_server_action.setEnabled(current is not None and not current.is_local)

    def add_server(self) -> ServerDialog:
        return self._open_server_dialog(None)

    def edit_server(self) -> ServerDialog | None:
        current: Profile | None = self.profile.currentData()
        if current is None or current.is_local:
            return None
        return self._open_server_dialog(current)

    def _open_server_dialog(self, profile: Profile | None) -> ServerDialog:
        dialog = ServerDialog(self.store, profile, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._profiles_changed)
        dialog.removed.connect(lambda: self._profiles_changed(LOCAL_PROFILE_NAME))
        dialog.open()
        return dialog

    def _profiles_changed(self, select: str) -> None:
        self._load_profiles()
        self.select_profile(select)

    def _build_change_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel(self.tr("Choose a new password"), page)
        title.setObjectName("pageTitle")
        self.change_reason = QLabel(page)
        self.change_reason.setWordWrap(True)
        self.new_password = QLineEdit(page)
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.setAccessibleName(self.tr("New password"))
        self.confirm_password = QLineEdit(page)
        self.confirm_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_password.setAccessibleName(self.tr("Repeat new password"))
        self.change_button = QPushButton(self.tr("Change password"), page)
        self.change_button.setProperty("primary", True)
        self.change_button.clicked.connect(self.submit_new_password)
        back = QPushButton(self.tr("Cancel"), page)
        back.clicked.connect(self._cancel_change)
        form = QFormLayout()
        form.addRow(self.tr("New password"), self.new_password)
        form.addRow(self.tr("Repeat"), self.confirm_password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.change_button)
        column = QVBoxLayout(page)
        column.setContentsMargins(20, 16, 20, 0)
        for item in (title, self.change_reason):
            column.addWidget(item)
        column.addLayout(form)
        column.addLayout(buttons)
        self.confirm_password.returnPressed.connect(self.submit_new_password)
        return page

    def _show_reset_page(self) -> None:
        self.banner.dismiss()
        self.reset_page.start(self.username.text().strip())
        self.pages.setCurrentWidget(self.reset_page)

    def _back_to_sign_in(self) -> None:
        self.reset_page.clear_secrets()
        self.pages.setCurrentIndex(0)
        self.password.setFocus()

    def _load_profiles(self) -> None:
        self.profile.clear()
        for item in self.store.load():
            label = self.tr("Local demo server") if item.is_local else \
                f"{item.name} ({item.describe()})"
            self.profile.addItem(label, item)
        index = next((i for i in range(self.profile.count())
                      if self.profile.itemData(i).name == self.settings.last_profile), 0)
        self.profile.setCurrentIndex(index)

    def select_profile(self, name: str) -> None:
        for i in range(self.profile.count()):
            if self.profile.itemData(i).name == name:
                self.profile.setCurrentIndex(i)
                return
        raise KeyError(name)

    # -- error reporting (async_slot finds this) ------------------------------------------
    def report_error(self, error: BaseException) -> None:
        self.banner.show_error(error)
        if isinstance(error, UserFacingError) and error.code is ErrorKind.BAD_CREDENTIALS:
            self.password.clear()
            self.password.setFocus()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for widget in (self.sign_in_button, self.change_button, self.profile, self.username,
                       self.password, self.remember):
            widget.setEnabled(not busy)
        self.status.setText(text if busy else "")

    # -- sign in ----------------------------------------------------------------------------
    @async_slot
    async def submit(self) -> None:
        if self._attempt is not None and not self._attempt.done():
            return
        self.banner.dismiss()
        self._attempt = asyncio.current_task()  # type: ignore[assignment]
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            raise UserFacingError(ErrorKind.BAD_CREDENTIALS)
        profile: Profile = self.profile.currentData()
        self._set_busy(True, self.tr("Connecting…"))
        try:
            resolved = await asyncio.to_thread(profiles.resolve, profile)
            runner, identity = await _login().sign_in(resolved, username, password)
        finally:
            self._set_busy(False)
        self.settings.last_profile = profile.name
        self.settings.last_username = username
        self.settings.remember_me = self.remember.isChecked()
        await self._store_password(resolved, username, password)
        if identity.must_change_password:
            self._pending = (runner, identity, resolved, username, password)
            self._show_change_page(forced=True)
            return
        self._finish(runner, identity)

    def _finish(self, runner: DbRunner, identity: Identity) -> None:
        self.password.clear()
        self._pending = None
        self.signed_in.emit(runner, identity)
        self.accept()

    async def _store_password(self, profile: Profile, username: str, password: str) -> None:
        try:
            if self.remember.isChecked():
                await asyncio.to_thread(profiles.remember_password, profile, username, password)
            else:
                await asyncio.to_thread(profiles.forget_password, profile, username)
        except keyring.errors.KeyringError:
            log.warning("keyring refused; password not remembered", exc_info=True)
            self.banner.show_info(self.tr("This computer has no password store; your "
                                          "password was not remembered."))

    async def _recall(self) -> None:
        profile = await asyncio.to_thread(profiles.resolve, self.profile.currentData())
        secret = await asyncio.to_thread(profiles.recall_password, profile,
                                         self.username.text().strip())
        if secret and not self.password.text():
            self.password.setText(secret)

    # -- change password --------------------------------------------------------------------
    def _show_change_page(self, forced: bool) -> None:
        self.change_reason.setText(
            self.tr("This is your first sign-in: please choose your own password.")
            if forced else self.tr("Enter your new password twice."))
        self.new_password.clear()
        self.confirm_password.clear()
        self.pages.setCurrentIndex(1)
        self.new_password.setFocus()

    @async_slot
    async def _ask_change_password(self) -> None:
        """Voluntary change: sign in with the typed password first, then ask for a new one."""
        await self.submit_for_change()

    async def submit_for_change(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            raise UserFacingError(ErrorKind.BAD_CREDENTIALS)
        self._set_busy(True, self.tr("Connecting…"))
        try:
            resolved = await asyncio.to_thread(profiles.resolve, self.profile.currentData())
            runner, identity = await _login().sign_in(resolved, username, password)
        finally:
            self._set_busy(False)
        self._pending = (runner, identity, resolved, username, password)
        self._show_change_page(forced=identity.must_change_password)

    @async_slot
    async def submit_new_password(self) -> None:
        if self._pending is None:
            return
        new, again = self.new_password.text(), self.confirm_password.text()
        if new != again:
            self.banner.show_message(Level.ERROR,
                                     self.tr("The two new passwords are different."))
            return
        runner, _identity, profile, username, _old = self._pending
        if not self._acceptable(new, username):
            return
        self._set_busy(True, self.tr("Saving…"))
        try:
            await runner.run(lambda s: _login().change_password(s, new))
            # the pool still holds the old password: reconnect with the new one
            await runner.aclose()
            self._pending = None
            runner, identity = await _login().sign_in(profile, username, new)
        finally:
            self._set_busy(False)
        await self._store_password(profile, username, new)
        self.banner.show_info(self.tr("Your password was changed."))
        self._finish(runner, identity)

    def _acceptable(self, new: str, username: str) -> bool:
        """The password policy, checked here first so the person sees why at once."""
        problems = password_problems(new, username)
        if problems:
            self.banner.show_message(Level.ERROR, " ".join(
                self.tr(p.message) for p in problems))
        return not problems

    # -- reset code -------------------------------------------------------------------------
    @async_slot
    async def submit_reset_code(self) -> None:
        page = self.reset_page
        username, code = page.username.text().strip(), page.code.text().strip()
        new, again = page.new_password.text(), page.confirm_password.text()
        self.banner.dismiss()
        if not username or not code:
            raise UserFacingError(ErrorKind.BAD_CREDENTIALS, "reset_refused")
        if new != again:
            self.banner.show_message(Level.ERROR,
                                     self.tr("The two new passwords are different."))
            return
        if not self._acceptable(new, username):
            return
        page.set_busy(True)
        try:
            resolved = await asyncio.to_thread(profiles.resolve, self.profile.currentData())
            await _login().redeem_reset_code(resolved, username, code, new)
            page.clear_secrets()
            runner, identity = await _login().sign_in(resolved, username, new)
        finally:
            page.set_busy(False)
        self.username.setText(username)
        await self._store_password(resolved, username, new)
        self._finish(runner, identity)

    def _cancel_change(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            spawn(pending[0].aclose(), self, "signin.cancel")
        self.password.clear()
        self.pages.setCurrentIndex(0)

    def reject(self) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.cancel()
        if self._pending is not None:
            self._cancel_change()
        super().reject()
