"""Form plumbing shared by the student editor and the "New family" dialog: a line edit
with its own error line underneath, and the sentence for each validation issue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from academy_desktop.domain.validation import Issue, IssueCode

ERROR_STYLE = "color: #b3261e; font-size: 11px;"

_TEXTS = {
    IssueCode.REQUIRED: "Required.",
    IssueCode.TOO_LONG: "Too long: at most {limit} characters.",
    IssueCode.CONTROL_CHARS: "Contains invisible control characters.",
    IssueCode.EMAIL_INVALID: "Not an email address (it needs an @ and a domain).",
    IssueCode.PHONE_LETTERS: "A phone number cannot contain letters.",
    IssueCode.PHONE_INVALID: "Not a valid phone number.",
    IssueCode.DATE_INVALID: "Not a valid date (use YYYY-MM-DD).",
    IssueCode.DATE_IN_FUTURE: "This date is in the future.",
    IssueCode.DATE_TOO_EARLY: "This date is before 1900.",
    IssueCode.CHILD_OLDER_THAN_PARENT: "A child cannot be older than their parent.",
    IssueCode.CONTACT_REQUIRED: "Give a phone number or an email.",
    IssueCode.NO_CHILDREN: "Add at least one child.",
    IssueCode.NO_PARENTS: "Add at least one parent or guardian.",
    IssueCode.RELATIONSHIP_INVALID: "Choose a relationship.",
}


def issue_text(issue: Issue) -> str:
    text = QCoreApplication.translate("validation", _TEXTS[issue.code])
    return text.replace("{limit}", str(issue.limit or ""))


class Field(QWidget):
    """An input with an error line below it (hidden until there is an error)."""

    def __init__(self, placeholder: str = "", *, multiline: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input: QLineEdit | QPlainTextEdit
        if multiline:
            self.input = QPlainTextEdit(self)
            self.input.setPlaceholderText(placeholder)
            self.input.setFixedHeight(54)
        else:
            self.input = QLineEdit(self)
            self.input.setPlaceholderText(placeholder)
        self.input.setAccessibleName(placeholder)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.input)
        layout.addWidget(self.error)

    def text(self) -> str:
        if isinstance(self.input, QPlainTextEdit):
            return self.input.toPlainText()
        return self.input.text()

    def set_text(self, value: str) -> None:
        if isinstance(self.input, QPlainTextEdit):
            self.input.setPlainText(value)
        else:
            self.input.setText(value)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.input.setProperty("invalid", bool(message))
        self.input.setStyleSheet("border: 1px solid #b3261e;" if message else "")

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisible() or self.error.text() else ""


def show_issues(fields: dict[str, Field], issues: list[Issue]) -> list[Issue]:
    """Put each issue under its field; returns the issues that have no field."""
    for field in fields.values():
        field.set_error("")
    unplaced = []
    for issue in issues:
        if issue.field in fields:
            fields[issue.field].set_error(issue_text(issue))
        else:
            unplaced.append(issue)
    return unplaced
