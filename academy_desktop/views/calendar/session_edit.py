"""The two forms behind a session's "Cancel session…" and "Edit…" buttons, kept out of
the details dialog so it stays about the roster.

Cancelling lists who is booked and how many are waiting for the chosen scope *before*
the desk confirms (the details dialog fills the list as the scope changes); a reason is
required. Editing "this and following" or "all" changes the class itself: days, time,
length, seats and end date (the pattern is rewritten or split); "only this session"
changes the time, length and seats of that one occurrence.
"""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries.calendar_edits import CancelPreview
from academy_desktop.db.queries.calendar_pattern_edits import PatternChange

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CancelSessionDialog(QDialog):
    """Scope, reason, and who would lose their booking; emits scopeChanged so the owner
    can load the preview for it."""

    scopeChanged = Signal(str)

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cancel session"))
        self.setMinimumWidth(420)
        self.scope = QComboBox(self)
        for key, label in choices:
            self.scope.addItem(label, key)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Required, e.g. pool maintenance"))
        self.summary = QLabel(self.tr("Looking up bookings…"), self)
        self.summary.setWordWrap(True)
        self.booked = QListWidget(self)
        self.booked.setAccessibleName(self.tr("Booked students"))
        self.buttons = QDialogButtonBox(self)
        self.confirm = QPushButton(self.tr("Cancel sessions"), self)
        self.buttons.addButton(self.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        keep = self.buttons.addButton(self.tr("Keep"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Cancel"), self.scope)
        form.addRow(self.tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.booked, 1)
        layout.addWidget(self.buttons)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.reason.textChanged.connect(self._update_confirm)
        self._update_confirm()

    def chosen_scope(self) -> str:
        return str(self.scope.currentData())

    def _scope_changed(self) -> None:
        self.summary.setText(self.tr("Looking up bookings…"))
        self.booked.clear()
        self._update_confirm()
        self.scopeChanged.emit(self.chosen_scope())

    def _update_confirm(self) -> None:
        self.confirm.setEnabled(bool(self.reason.text().strip()))

    def show_preview(self, preview: CancelPreview) -> None:
        """Who is booked (they lose the booking and get a makeup credit) and waiting."""
        self.booked.clear()
        self.booked.addItems(list(preview.booked))
        self.summary.setText(
            self.tr(
                "%1 session(s). %2 booked student(s) lose their booking (a makeup credit is"
                " posted where they pay tuition); %3 waiting are taken off the waitlist."
                " A cancelled session cannot be reinstated."
            )
            .replace("%1", str(preview.sessions))
            .replace("%2", str(len(preview.booked)))
            .replace("%3", str(preview.waiting))
        )


class EditSessionDialog(QDialog):
    """Time, length and seats; for the whole class also its days and end date."""

    def __init__(
        self,
        choices: list[tuple[str, str]],
        start: time,
        minutes: int,
        capacity: int,
        pattern: PatternChange | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit session"))
        self.scope = QComboBox(self)
        for key, label in choices:
            self.scope.addItem(label, key)
        self.when = QTimeEdit(QTime(start.hour, start.minute), self)
        self.when.setDisplayFormat("HH:mm")
        self.minutes = QSpinBox(self)
        self.minutes.setRange(5, 600)
        self.minutes.setValue(minutes)
        self.seats = QSpinBox(self)
        self.seats.setRange(1, 500)
        self.seats.setValue(capacity)
        self.days = [QCheckBox(self.tr(name), self) for name in _DAYS]
        days_row = QHBoxLayout()
        for box in self.days:
            days_row.addWidget(box)
        self.until = QDateEdit(self)
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("d MMM yyyy")
        if pattern is not None:
            for day in pattern.weekdays:
                self.days[day - 1].setChecked(True)
            self.until.setDate(QDate(pattern.end_date))
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Change"), self.scope)
        self.days_label = QLabel(self.tr("Days"), self)
        self.until_label = QLabel(self.tr("Until"), self)
        form.addRow(self.days_label, days_row)
        form.addRow(self.tr("Starts at"), self.when)
        form.addRow(self.tr("Minutes"), self.minutes)
        form.addRow(self.tr("Capacity"), self.seats)
        form.addRow(self.until_label, self.until)
        form.addRow(box)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self._scope_changed()

    def _scope_changed(self) -> None:
        whole = self.scope.currentData() != "one"
        for w in (*self.days, self.days_label, self.until, self.until_label):
            w.setVisible(whole)

    def weekdays(self) -> tuple[int, ...]:
        return tuple(i + 1 for i, box in enumerate(self.days) if box.isChecked())

    def end_date(self) -> date:
        return self.until.date().toPython()  # type: ignore[no-any-return]
