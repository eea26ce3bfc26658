"""New recurring class: fill in days, time, duration, level, instructor, capacity, dates
and exceptions; Preview lists every occurrence with the conflicts the server sees
(instructor already teaching, outside availability, closure day) before anything is
saved; Generate creates the term in batches with a progress bar and can be cancelled."""

from __future__ import annotations

from datetime import date
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import calendar as q
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.schedule import (
    Choice,
    ConflictKind,
    PatternSpec,
    PreviewRow,
    batched,
    expand,
)
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.workspace import WorkspaceContext

BATCH = 25
_KIND_TEXT = {
    ConflictKind.INSTRUCTOR_DOUBLE_BOOKED: "Instructor already teaching",
    ConflictKind.INSTRUCTOR_UNAVAILABLE: "Outside availability",
    ConflictKind.LOCATION_CLOSED: "Closed",
}


class PatternDialog(QDialog):
    def __init__(
        self,
        context: WorkspaceContext,
        location_id: UUID,
        tz: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.location_id, self.tz = context, location_id, tz
        self.preview_rows: list[PreviewRow] = []
        self.generated = False
        self.created = 0
        self._cancel = False
        self._levels: list[Choice] = []
        self.setWindowTitle(self.tr("New recurring class"))
        self.resize(720, 640)
        self.title_edit = QLineEdit(self)
        self.program = QComboBox(self)
        self.level = QComboBox(self)
        self.instructor = QComboBox(self)
        self.program.currentIndexChanged.connect(self._fill_levels)
        self.days = [
            QCheckBox(self.locale().dayName(i + 1, self.locale().FormatType.ShortFormat), self)
            for i in range(7)
        ]
        days_row = QHBoxLayout()
        for box in self.days:
            days_row.addWidget(box)
        self.start_time = QTimeEdit(QTime(17, 0), self)
        self.start_time.setDisplayFormat("HH:mm")
        self.duration = QSpinBox(self)
        self.duration.setRange(5, 600)
        self.duration.setSingleStep(15)
        self.duration.setValue(60)
        self.duration.setSuffix(self.tr(" min"))
        self.capacity = QSpinBox(self)
        self.capacity.setRange(1, 500)
        self.capacity.setValue(10)
        today = date.today()
        self.start_date = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.end_date = QDateEdit(QDate(today.year, today.month, today.day).addDays(84), self)
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.exceptions = QLineEdit(self)
        self.exceptions.setPlaceholderText(self.tr("Dates to skip, e.g. 2026-12-24, 2026-12-31"))
        self.room = QLineEdit(self)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Program"), self.program)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Instructor"), self.instructor)
        form.addRow(self.tr("Days"), days_row)
        times = QHBoxLayout()
        for w in (
            self.start_time,
            QLabel(self.tr("for"), self),
            self.duration,
            QLabel(self.tr("capacity"), self),
            self.capacity,
        ):
            times.addWidget(w)
        form.addRow(self.tr("Starts at"), times)
        dates = QHBoxLayout()
        dates.addWidget(self.start_date)
        dates.addWidget(QLabel("–", self))
        dates.addWidget(self.end_date)
        form.addRow(self.tr("From"), dates)
        form.addRow(self.tr("Except"), self.exceptions)
        form.addRow(self.tr("Room"), self.room)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Time"), self.tr("Conflicts")]
        )
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.summary = QLabel(
            self.tr("Preview lists every session before anything is saved."), self
        )
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.generate_button = QPushButton(self.tr("Generate"), self)
        self.generate_button.setEnabled(False)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.hide()
        self.close_button = QPushButton(self.tr("Close"), self)
        self.preview_button.clicked.connect(self.preview)
        self.generate_button.clicked.connect(self.generate)
        self.stop_button.clicked.connect(self.stop)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        for b in (self.preview_button, self.generate_button, self.stop_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for w in (
            self.title_edit,
            self.program,
            self.level,
            self.instructor,
            self.start_time,
            self.duration,
            self.start_date,
            self.end_date,
            self.exceptions,
            *self.days,
        ):
            signal = (
                getattr(w, "toggled", None)
                or getattr(w, "textChanged", None)
                or getattr(w, "currentIndexChanged", None)
                or getattr(w, "dateChanged", None)
                or getattr(w, "timeChanged", None)
                or getattr(w, "valueChanged", None)
            )
            if signal is not None:
                signal.connect(self._invalidate)

    async def load_choices(self) -> None:
        loc = self.location_id
        choices = await self.context.runner.run(lambda s: q.filter_choices(s, loc))
        self._levels = choices["levels"]
        for c in choices["programs"]:
            self.program.addItem(c.name, c.id)
        for c in choices["instructors"]:
            self.instructor.addItem(c.name, c.id)
        self._fill_levels()

    def _fill_levels(self) -> None:
        program = self.program.currentData()
        self.level.clear()
        self.level.addItem(self.tr("Any level"), None)
        for c in self._levels:
            if c.extra.get("program_id") == str(program):
                self.level.addItem(c.name, c.id)

    def _invalidate(self) -> None:
        self.generate_button.setEnabled(False)

    def spec(self) -> PatternSpec:
        skipped: list[date] = []
        for part in self.exceptions.text().replace(";", ",").split(","):
            if part.strip():
                try:
                    skipped.append(date.fromisoformat(part.strip()))
                except ValueError as error:
                    raise UserFacingError(
                        ErrorKind.INVALID_INPUT, "bad_value", column=part
                    ) from error
        weekdays = tuple(i + 1 for i, box in enumerate(self.days) if box.isChecked())
        if not weekdays:
            raise UserFacingError(ErrorKind.INVALID_INPUT, "choose_weekday")
        return PatternSpec(
            weekdays,
            self.start_time.time().toPython(),
            self.duration.value(),
            self.start_date.date().toPython(),
            self.end_date.date().toPython(),
            self.tz.key,
            tuple(skipped),
        )

    @async_slot
    async def preview(self) -> None:
        await self.run_preview()

    async def run_preview(self) -> list[PreviewRow]:
        spec = self.spec()
        occurrences = expand(spec.rrule_text(), spec.dtstart(), spec.duration_minutes, spec.exdates)
        loc, program, instructor = (
            self.location_id,
            self.program.currentData(),
            self.instructor.currentData(),
        )
        conflicts = await self.context.runner.run(
            lambda s: q.check_occurrences(s, loc, program, instructor, occurrences)
        )
        self.preview_rows = [
            PreviewRow(o, tuple(conflicts.get(i, ()))) for i, o in enumerate(occurrences)
        ]
        self._show_preview()
        self.generate_button.setEnabled(any(r.will_create for r in self.preview_rows))
        return self.preview_rows

    def _show_preview(self) -> None:
        rows = self.preview_rows
        self.table.setRowCount(len(rows))
        hard_brush, soft_brush = QBrush(QColor(239, 68, 68, 60)), QBrush(QColor(245, 158, 11, 60))
        for i, r in enumerate(rows):
            start = r.occurrence.starts_at
            cells = [
                self.locale().toString(start.date(), "ddd d MMM yyyy"),
                f"{start:%H:%M}–{r.occurrence.ends_at:%H:%M}",
                "; ".join(
                    self.tr(_KIND_TEXT[c.kind]) + (f" ({c.detail})" if c.detail else "")
                    for c in r.conflicts
                )
                + (self.tr(" — will be skipped") if not r.will_create else ""),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.conflicts:
                    item.setBackground(hard_brush if not r.will_create else soft_brush)
                self.table.setItem(i, col, item)
        made = sum(r.will_create for r in rows)
        doubles = sum(
            any(c.kind is ConflictKind.INSTRUCTOR_DOUBLE_BOOKED for c in r.conflicts) for r in rows
        )
        closed = sum(any(c.kind is ConflictKind.LOCATION_CLOSED for c in r.conflicts) for r in rows)
        soft = sum(bool(r.conflicts) and r.will_create for r in rows)
        self.summary.setText(
            self.tr(
                "%1 sessions: %2 will be created (%3 with a warning), %4 skipped because the "
                "instructor already teaches then, %5 on closure days."
            )
            .replace("%1", str(len(rows)))
            .replace("%2", str(made))
            .replace("%3", str(soft))
            .replace("%4", str(doubles))
            .replace("%5", str(closed))
        )

    def stop(self) -> None:
        self._cancel = True

    @async_slot
    async def generate(self) -> None:
        await self.run_generate()

    async def run_generate(self) -> int:
        spec = self.spec()
        todo = [r.occurrence for r in self.preview_rows if r.will_create]
        title = self.title_edit.text().strip() or self.program.currentText()
        values = dict(
            location_id=self.location_id,
            program_id=self.program.currentData(),
            level_id=self.level.currentData(),
            instructor_id=self.instructor.currentData(),
            title=title,
            spec=spec,
            capacity=self.capacity.value(),
            room=self.room.text().strip() or None,
        )
        self._cancel = False
        self.generate_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.stop_button.show()
        self.progress.setRange(0, len(todo))
        self.progress.setValue(0)
        self.progress.show()
        try:
            pattern_id = await self.context.runner.run(lambda s: q.create_pattern(s, **values))
            self.generated = True
            for batch in batched(todo, BATCH):
                if self._cancel:
                    break
                starts = [o.starts_at for o in batch]
                made = await self.context.runner.run(
                    lambda s, st=starts: q.generate_batch(s, pattern_id, st)
                )
                self.created += sum(1 for _, sid in made if sid is not None)
                self.progress.setValue(self.progress.value() + len(batch))
        finally:
            self.stop_button.hide()
            self.preview_button.setEnabled(True)
        self.summary.setText(
            (
                self.tr("Stopped after %n sessions.")
                if self._cancel
                else self.tr("Created %n sessions.")
            ).replace("%n", str(self.created))
        )
        self.progress.setFormat(self.summary.text())
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return self.created
