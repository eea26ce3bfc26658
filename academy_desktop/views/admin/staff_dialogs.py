"""Dialogs of Staff & access: a new staff login, and a reset code shown exactly once."""

from __future__ import annotations

import secrets
import string

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries.staff import Choice, NewStaffAccount, role_name_problem
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.password_policy import password_problems
from academy_desktop.views.home.view import kind_label

KINDS = ("front_desk", "program_admin", "instructor", "super_admin")


def generate_password() -> str:
    """A 16-character password someone can read out; the person changes it at first sign-in."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


class NewAccountDialog(QDialog):
    """Collects a new staff login; ``account()`` is valid after ``accepted``."""

    def __init__(self, locations: list[Choice], programs: list[Choice],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New staff account"))
        self.setMinimumWidth(460)
        self.role_name = QLineEdit(self)
        self.role_name.setAccessibleName(self.tr("Username"))
        self.role_name.setPlaceholderText(self.tr("e.g. desk_jamie"))
        self.full_name = QLineEdit(self)
        self.full_name.setAccessibleName(self.tr("Full name"))
        self.email = QLineEdit(self)
        self.email.setAccessibleName(self.tr("Email"))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Role"))
        for kind in KINDS:
            self.kind.addItem(kind_label(PersonKind(kind)), kind)
        self.password = QLineEdit(generate_password(), self)
        self.password.setAccessibleName(self.tr("Initial password"))
        again = QPushButton(self.tr("New"), self)
        again.setToolTip(self.tr("Generate another password"))
        again.clicked.connect(lambda: self.password.setText(generate_password()))
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(again)
        self.locations = self._checklist(locations, self.tr("Locations"))
        self.programs = self._checklist(programs, self.tr("Programs"))
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self._check_and_accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Username"), self.role_name)
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Role"), self.kind)
        form.addRow(self.tr("Initial password"), password_row)
        form.addRow(self.tr("Locations"), self.locations)
        form.addRow(self.tr("Programs"), self.programs)
        note = QLabel(self.tr("Tell the person this password; they choose their own at "
                              "first sign-in."), self)
        note.setProperty("muted", True)
        note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(note)
        column.addWidget(self.error)
        column.addWidget(self.buttons)

    def _checklist(self, choices: list[Choice], name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setAccessibleName(name)
        widget.setMaximumHeight(110)
        for choice in choices:
            item = QListWidgetItem(choice.name, widget)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        return widget

    def check(self, widget: QListWidget, name: str) -> None:
        for i in range(widget.count()):
            if widget.item(i).text() == name:
                widget.item(i).setCheckState(Qt.CheckState.Checked)

    def _checked(self, widget: QListWidget) -> tuple:
        return tuple(widget.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(widget.count())
                     if widget.item(i).checkState() == Qt.CheckState.Checked)

    def account(self) -> NewStaffAccount:
        return NewStaffAccount(
            role_name=self.role_name.text().strip(), full_name=self.full_name.text().strip(),
            kind=str(self.kind.currentData()), password=self.password.text(),
            email=self.email.text().strip() or None,
            location_ids=self._checked(self.locations), program_ids=self._checked(self.programs))

    def problems(self) -> list[str]:
        account = self.account()
        found = []
        name_problem = role_name_problem(account.role_name)
        if name_problem:
            found.append(self.tr(name_problem))
        if not account.full_name:
            found.append(self.tr("Enter the person's full name."))
        found += [self.tr(p.message) for p in password_problems(account.password,
                                                                account.role_name)]
        if account.kind in ("front_desk", "program_admin") and not account.location_ids:
            found.append(self.tr("Choose at least one location."))
        if account.kind == "program_admin" and not account.program_ids:
            found.append(self.tr("Choose at least one program."))
        return found

    def _check_and_accept(self) -> None:
        found = self.problems()
        self.error.setText(" ".join(found))
        if not found:
            self.accept()


class ResetCodeDialog(QDialog):
    """Shows a freshly issued code once; it is never stored or shown again."""

    def __init__(self, role_name: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reset code for %s") % role_name)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.code = QLabel(code, self)
        self.code.setObjectName("resetCode")
        self.code.setAccessibleName(self.tr("Reset code"))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setFamily("monospace")
        self.code.setFont(font)
        note = QLabel(self.tr("Give this code to %s. It works once, within 30 minutes, with "
                              "\"I have a reset code\" on the sign-in screen. It will not be "
                              "shown again.") % role_name, self)
        note.setWordWrap(True)
        copy = QPushButton(self.tr("Copy"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        close = QPushButton(self.tr("Done"), self)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(copy)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.code)
        column.addWidget(note)
        column.addLayout(buttons)

    def done(self, result: int) -> None:
        self.code.setText("")  # forget it as soon as it is dismissed
        super().done(result)
