"""Edit a student in place: the form under the header, validated field by field, saved
with the ``row_version`` it was opened at (a stale save is refused and reloaded)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.students import Choice, StudentChanges, StudentProfile
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
        # moving a student: only between the locations the person works at
        self.location = QComboBox(self)
        self.location.setAccessibleName(self.tr("Location"))
        form.addRow(self.tr("Location"), self.location)
        self._location_id: str | None = None
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

    def set_locations(self, locations: list[Choice]) -> None:
        self.location.clear()
        for choice in locations:
            self.location.addItem(choice.name, str(choice.id))

    def load(self, profile: StudentProfile) -> None:
        self._location_id = str(profile.location_id)
        if self.location.findData(self._location_id) < 0:
            self.location.addItem(profile.location_name, self._location_id)
        self.location.setCurrentIndex(self.location.findData(self._location_id))
        self.location.setEnabled(self.location.count() > 1)
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
        chosen = self.location.currentData()
        if chosen and chosen != self._location_id:
            changes = replace(changes, location_id=UUID(chosen))
        self.save_wanted.emit(changes)
