"""Add, edit or remove a server profile from the sign-in dialog.

A profile is where to connect - name, host, port, database and TLS mode - never a
password (those live in the keyring, only with "remember me"). Without this dialog the
"set the profile's TLS mode to require" advice would point at a JSON file.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.profiles import LOCAL_PROFILE_NAME, SSL_MODES, Profile, ProfileStore


class ServerDialog(QDialog):
    """Edits ``profile`` (a new one when None); emits ``saved(name)`` or ``removed``."""

    saved = Signal(str)
    removed = Signal()

    def __init__(self, store: ProfileStore, profile: Profile | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.original = profile
        self.setWindowTitle(self.tr("Server") if profile else self.tr("Add a server"))
        self.name = QLineEdit(self)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.database = QLineEdit(self)
        self.tls = QComboBox(self)
        for mode in SSL_MODES:
            self.tls.addItem(self._tls_label(mode), mode)
        for widget, name in ((self.name, self.tr("Name")), (self.host, self.tr("Host")),
                             (self.port, self.tr("Port")), (self.database, self.tr("Database")),
                             (self.tls, self.tr("TLS mode"))):
            widget.setAccessibleName(name)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setProperty("muted", True)
        self._fill(profile or Profile("", "", 5432, "academy", "require"))
        self._build(profile is not None)

    def _build(self, existing: bool) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("TLS mode"), self.tls)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove_button = QPushButton(self.tr("Remove this server"), self)
        self.remove_button.setVisible(existing)
        self.remove_button.clicked.connect(self.remove)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.setMinimumWidth(380)

    def _tls_label(self, mode: str) -> str:
        labels = {"disable": self.tr("disable (never encrypt)"),
                  "prefer": self.tr("prefer (encrypt when the server can)"),
                  "require": self.tr("require (always encrypt)"),
                  "verify-full": self.tr("verify-full (encrypt, check the certificate)")}
        return labels.get(mode, mode)

    def _fill(self, profile: Profile) -> None:
        self.name.setText(profile.name)
        self.host.setText(profile.host)
        self.port.setValue(profile.port)
        self.database.setText(profile.database)
        self.tls.setCurrentIndex(max(0, self.tls.findData(profile.sslmode)))

    def profile(self) -> Profile:
        return Profile(self.name.text().strip(), self.host.text().strip(), self.port.value(),
                       self.database.text().strip(), str(self.tls.currentData()))

    def _problem(self, profile: Profile) -> str:
        if not (profile.name and profile.host and profile.database):
            return self.tr("Name, host and database are needed.")
        if profile.name == LOCAL_PROFILE_NAME:
            return self.tr("\"local\" is the built-in demo server; choose another name.")
        taken = {p.name for p in self.store.load()}
        if profile.name in taken and (self.original is None
                                      or profile.name != self.original.name):
            return self.tr("A server with that name exists already.")
        return ""

    def save(self) -> None:
        profile = self.profile()
        problem = self._problem(profile)
        if problem:
            self.error.setText(problem)
            return
        others = [p for p in self.store.load()
                  if not p.is_local and p.name != (self.original or profile).name]
        self.store.save([*others, profile])
        self.saved.emit(profile.name)
        self.accept()

    def remove(self) -> None:
        if self.original is None:
            return
        self.store.save([p for p in self.store.load()
                         if not p.is_local and p.name != self.original.name])
        self.removed.emit()
        self.accept()
