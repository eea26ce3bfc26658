"""Session details: who is booked (with attendance), seats, the waitlist in order and
the recurring pattern the session belongs to. People who schedule can also cancel the
occurrence (this one, this and following, all: the dialog shows who was booked) and
give it to a substitute instructor (availability and double bookings checked)."""

from __future__ import annotations

from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import bookings as b
from academy_desktop.db.queries import calendar as q
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.schedule import RosterEntry, SessionDetails, describe_rule
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.calendar.session_changes import SessionChanges
from academy_desktop.views.calendar.session_edit import CancelSessionDialog, EditSessionDialog
from academy_desktop.views.workspace import WorkspaceContext

_STATUS = {
    "booked": "Booked",
    "attended": "Attended",
    "no_show": "No-show",
    "cancelled": "Cancelled",
}


class SessionDetailsDialog(SessionChanges, QDialog):
    def __init__(
        self,
        context: WorkspaceContext,
        session_id: UUID,
        tz: ZoneInfo,
        *,
        manage: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.session_id, self.tz, self.manage = context, session_id, tz, manage
        self.details: SessionDetails | None = None
        self.changed = False
        self.cancel_dialog: CancelSessionDialog | None = None
        self.edit_dialog: EditSessionDialog | None = None
        self.substitute_dialog: QDialog | None = None
        self.setWindowTitle(self.tr("Session"))
        self.setMinimumWidth(640)
        self.heading = QLabel(self.tr("Loading…"), self)
        self.heading.setObjectName("personName")
        self.info = QFormLayout()
        self.when, self.who, self.seats, self.pattern = (QLabel(self) for _ in range(4))
        for label in (self.when, self.who, self.seats, self.pattern):
            label.setWordWrap(True)
        self.info.addRow(self.tr("When"), self.when)
        self.info.addRow(self.tr("Instructor"), self.who)
        self.info.addRow(self.tr("Seats"), self.seats)
        self.info.addRow(self.tr("Repeats"), self.pattern)
        self.roster = QListWidget(self)
        self.roster.setAccessibleName(self.tr("Roster"))
        self.waitlist = QListWidget(self)
        self.waitlist.setAccessibleName(self.tr("Waitlist"))
        roster_box, wait_box = (
            QGroupBox(self.tr("Roster"), self),
            QGroupBox(self.tr("Waitlist"), self),
        )
        QVBoxLayout(roster_box).addWidget(self.roster)
        self.unwait_button = QPushButton(self.tr("Remove from waitlist"), self)
        self.unwait_button.clicked.connect(self.remove_selected_waiting)
        wait_layout = QVBoxLayout(wait_box)
        wait_layout.addWidget(self.waitlist)
        wait_layout.addWidget(self.unwait_button)
        lists = QHBoxLayout()
        lists.addWidget(roster_box, 3)
        lists.addWidget(wait_box, 2)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.student_search = QLineEdit(self)
        self.student_search.setPlaceholderText(
            self.tr("Find a student to book (name or number), Enter")
        )
        self.student_search.setAccessibleName(self.tr("Find student"))
        self.student_pick = QComboBox(self)
        self.student_pick.setAccessibleName(self.tr("Student"))
        self.student_pick.setMinimumWidth(200)
        self.whole_pattern = QCheckBox(self.tr("Every session of this class"), self)
        self.book_button = QPushButton(self.tr("Book"), self)
        self.unbook_button = QPushButton(self.tr("Cancel booking"), self)
        self.student_search.returnPressed.connect(self.search_students)
        self.book_button.clicked.connect(self.book_selected)
        self.unbook_button.clicked.connect(self.cancel_selected_booking)
        booking_row = QVBoxLayout()
        find_row, act_row = QHBoxLayout(), QHBoxLayout()
        find_row.addWidget(self.student_search, 1)
        find_row.addWidget(self.student_pick, 1)
        act_row.addWidget(self.whole_pattern)
        act_row.addStretch(1)
        act_row.addWidget(self.book_button)
        act_row.addWidget(self.unbook_button)
        booking_row.addLayout(find_row)
        booking_row.addLayout(act_row)
        self.cancel_button = QPushButton(self.tr("Cancel session…"), self)
        self.substitute_button = QPushButton(self.tr("Substitute…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.clicked.connect(self.ask_edit)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.substitute_button.clicked.connect(self.ask_substitute)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        if manage:
            buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(self.substitute_button, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            for w in (
                self.cancel_button,
                self.substitute_button,
                self.edit_button,
                self.student_search,
                self.student_pick,
                self.whole_pattern,
                self.book_button,
                self.unbook_button,
                self.unwait_button,
            ):
                w.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.info)
        layout.addLayout(lists, 1)
        layout.addLayout(booking_row)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)

    async def load(self) -> None:
        sid = self.session_id
        self.details = await self.context.runner.run(lambda s: q.session_details(s, sid))
        self._show(self.details)

    def _show(self, d: SessionDetails) -> None:
        s = d.session
        start, end = s.starts_at.astimezone(self.tz), s.ends_at.astimezone(self.tz)
        self.heading.setText(s.title + (self.tr(" (cancelled)") if s.cancelled else ""))
        level = f" · {s.level_name}" if s.level_name else ""
        self.when.setText(
            f"{self.locale().toString(start.date(), 'dddd d MMMM yyyy')}, "
            f"{start:%H:%M}–{end:%H:%M} · {s.program_name}{level}"
        )
        self.who.setText(
            s.instructor_name
            + (self.tr(" (covering for %s)") % s.substitute_for if s.substitute_for else "")
        )
        self.seats.setText(
            self.tr("%1 of %2 booked, %3 waiting")
            .replace("%1", str(s.booked))
            .replace("%2", str(s.capacity))
            .replace("%3", str(len(d.waitlist)))
        )
        if d.pattern_rule:
            first, last = d.pattern_range or (None, None)
            day = lambda x: self.locale().toString(x, "d MMM yyyy")  # noqa: E731
            until = self.tr(" until %s") % day(last) if last else ""
            self.pattern.setText(
                f"{d.pattern_title} · {describe_rule(d.pattern_rule)}"
                f" · {self.tr('from %s') % day(first)}{until}"
            )
        else:
            self.pattern.setText(self.tr("One-off session"))
        self.roster.clear()
        for r in d.roster:
            self.roster.addItem(f"{r.name} — {self.tr(_STATUS.get(r.status, r.status))}")
            self.roster.item(self.roster.count() - 1).setData(Qt.ItemDataRole.UserRole, r)
        if not d.roster:
            self.roster.addItem(self.tr("Nobody booked yet"))
        self.waitlist.clear()
        for number, w in enumerate(d.waitlist, start=1):
            self.waitlist.addItem(f"{number}. {w.name}")
            self.waitlist.item(self.waitlist.count() - 1).setData(Qt.ItemDataRole.UserRole, w)
        for w in (
            self.substitute_button,
            self.cancel_button,
            self.edit_button,
            self.book_button,
            self.unbook_button,
        ):
            w.setEnabled(not s.cancelled)
        if s.cancelled and self.manage:  # the database refuses to reinstate it (0013)
            self.notice.setText(
                self.tr("This session is cancelled and cannot be reinstated; schedule a new one.")
            )
        self.whole_pattern.setVisible(self.manage and d.pattern_rule is not None)

    # -- bookings ----------------------------------------------------------------------------
    @async_slot
    async def search_students(self) -> None:
        text = self.student_search.text().strip()
        found = await self.context.runner.run(lambda s: b.find_students(s, text))
        self.student_pick.clear()
        for sid, label in found:
            self.student_pick.addItem(label, sid)
        if not found:
            self.notice.setText(self.tr("No student found for “%s”.") % text)
        else:
            self.student_pick.setFocus()

    @async_slot
    async def book_selected(self) -> None:
        student = self.student_pick.currentData()
        if student is None:
            return
        try:
            await self.book(student, whole_pattern=self.whole_pattern.isChecked())
        except UserFacingError as error:
            if error.message_key != "session_full":
                raise
            answer = QMessageBox.question(
                self,
                self.tr("Session full"),
                self.tr(
                    "This session is full. Put the student on the waitlist? "
                    "The first on the waitlist gets the next free seat."
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                await self.book(student, waitlist=True)

    async def book(
        self, student_id: UUID, *, whole_pattern: bool = False, waitlist: bool = False
    ) -> str:
        """Book (or waitlist); returns the sentence shown under the lists."""
        sid = self.session_id
        if whole_pattern:
            counts = await self.context.runner.run(lambda s: b.book_pattern(s, sid, student_id))
            text = (
                self.tr("Booked into %1 sessions, %2 already booked, waitlisted for %3.")
                .replace("%1", str(counts["booked"]))
                .replace("%2", str(counts["already_booked"]))
                .replace("%3", str(counts["waitlisted"]))
            )
        else:
            result = await self.context.runner.run(
                lambda s: b.book_session(s, sid, student_id, waitlist_if_full=waitlist)
            )
            text = {
                "booked": self.tr("Booked."),
                "already_booked": self.tr("Already booked."),
                "waitlisted": self.tr("Added to the waitlist."),
            }[result.outcome]
        self.changed = True
        await self.load()
        self.notice.setText(text)
        return text

    @async_slot
    async def cancel_selected_booking(self) -> None:
        item = self.roster.currentItem()
        entry = item.data(Qt.ItemDataRole.UserRole) if item else None
        if entry is None or entry.status != "booked":
            self.notice.setText(self.tr("Choose a booked student in the roster first."))
            return
        await self.cancel_booking(entry)

    async def cancel_booking(self, entry: RosterEntry, reason: str = "") -> list[str]:
        """Cancel one booking; the seat goes to the first waiting student at once."""
        promoted = await self.context.runner.run(
            lambda s: b.cancel_booking(s, entry.booking_id, entry.session_date, reason)
        )
        names = await self.context.runner.run(lambda s: b.student_names(s, promoted))
        self.changed = True
        await self.load()
        promoted_names = [names.get(p, "?") for p in promoted]
        self.notice.setText(
            self.tr("Booking cancelled. The seat went to %s from the waitlist.")
            % ", ".join(promoted_names)
            if promoted_names
            else self.tr("Booking cancelled.")
        )
        return promoted_names

    @async_slot
    async def remove_selected_waiting(self) -> None:
        item = self.waitlist.currentItem()
        entry = item.data(Qt.ItemDataRole.UserRole) if item else None
        if entry is not None:
            await self.remove_waiting(entry.student_id)

    async def remove_waiting(self, student_id: UUID) -> None:
        sid = self.session_id
        await self.context.runner.run(lambda s: b.leave_waitlist(s, sid, student_id))
        self.changed = True
        await self.load()
        self.notice.setText(self.tr("Removed from the waitlist."))
