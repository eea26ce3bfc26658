"""Edit a student in place: the form under the header, validated field by field, saved
with the ``row_version`` it was opened at (a stale save is refused and reloaded)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from academy_desktop.domain.students import StudentChanges, StudentProfile
from academy_desktop.domain.validation import ValidationFailed, validate_student_changes
from academy_desktop.views.students.fields import Field, show_issues


class StudentEditor(QWidget):
    save_wanted = Signal(object)  # StudentChanges, already validated
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = {
            "first_name": Field(self.tr("First name"), parent=self),
            "last_name": Field(self.tr("Last name"), parent=self),
            "preferred_name": Field(self.tr("Preferred name"), parent=self),
            "date_of_birth": Field(self.tr("YYYY-MM-DD"), parent=self),
            "allergies": Field(self.tr("Allergies"), multiline=True, parent=self),
            "medical_notes": Field(self.tr("Medical notes"), multiline=True, parent=self),
            "notes": Field(self.tr("Notes"), multiline=True, parent=self),
        }
        labels = {"first_name": self.tr("First name"), "last_name": self.tr("Last name"),
                  "preferred_name": self.tr("Preferred name"),
                  "date_of_birth": self.tr("Date of birth"),
                  "allergies": self.tr("Allergies"), "medical_notes": self.tr("Medical notes"),
                  "notes": self.tr("Notes")}
        form = QFormLayout()
        for key, field in self.fields.items():
            form.addRow(labels[key], field)
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancelled)
        for field in self.fields.values():
            if hasattr(field.input, "returnPressed"):
                field.input.returnPressed.connect(self.submit)

    def load(self, profile: StudentProfile) -> None:
        values = {"first_name": profile.first_name, "last_name": profile.last_name,
                  "preferred_name": profile.preferred_name or "",
                  "date_of_birth": profile.date_of_birth.isoformat()
                  if profile.date_of_birth else "",
                  "allergies": profile.allergies or "",
                  "medical_notes": profile.medical_notes or "", "notes": profile.notes or ""}
        for key, value in values.items():
            self.fields[key].set_text(value)
            self.fields[key].set_error("")
        self.fields["first_name"].input.setFocus()

    def submit(self) -> None:
        v = {key: field.text() for key, field in self.fields.items()}
        try:
            changes: StudentChanges = validate_student_changes(
                v["first_name"], v["last_name"], v["preferred_name"], v["date_of_birth"],
                v["medical_notes"], v["allergies"], v["notes"], date.today())
        except ValidationFailed as failed:
            show_issues(self.fields, failed.issues)
            return
        show_issues(self.fields, [])
        self.save_wanted.emit(changes)
