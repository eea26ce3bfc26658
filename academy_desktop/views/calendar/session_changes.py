"""What a scheduler changes from a session's details: cancel it (this one, this and
following, all — the form lists who is booked before anything is confirmed), give it to
a substitute, and edit it (one occurrence, or the class itself: the pattern is rewritten
or split, see db/queries/calendar_pattern_edits). A mixin of SessionDetailsDialog, kept
apart so the dialog's file stays about the roster and bookings."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
)

from academy_desktop.db.queries import calendar as q
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.schedule import SessionDetails
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.calendar.session_edit import CancelSessionDialog, EditSessionDialog
from academy_desktop.views.workspace import WorkspaceContext


class SessionChanges:
    """Cancel / substitute / edit for SessionDetailsDialog (a QDialog)."""

    context: WorkspaceContext
    session_id: UUID
    tz: ZoneInfo
    details: SessionDetails | None
    changed: bool
    notice: QLabel
    seats: QLabel
    cancel_dialog: CancelSessionDialog | None
    edit_dialog: EditSessionDialog | None
    substitute_dialog: QDialog | None
    # provided by the dialog: load() (re-read and show), tr(), and the QWidget parent
    load: Any
    tr: Any

    # -- cancel ------------------------------------------------------------------------------
    def cancel_choices(self) -> list[tuple[str, str]]:
        choices = [("one", self.tr("Only this session"))]
        if self.details and self.details.pattern_rule:
            choices += [
                ("following", self.tr("This and the following sessions")),
                ("all", self.tr("All sessions of this class")),
            ]
        return choices

    def ask_cancel(self, *_: object) -> None:
        """Open the cancel form; it shows who is booked before anything is confirmed."""
        dialog = CancelSessionDialog(self.cancel_choices(), self)
        dialog.scopeChanged.connect(self.load_cancel_preview)
        dialog.accepted.connect(self._cancel_confirmed)
        self.cancel_dialog = dialog
        dialog.open()
        self.load_cancel_preview(dialog.chosen_scope())

    @async_slot
    async def load_cancel_preview(self, scope: str) -> None:
        sid = self.session_id
        preview = await self.context.runner.run(lambda s: q.cancel_preview(s, sid, scope))
        if self.cancel_dialog is not None and self.cancel_dialog.chosen_scope() == scope:
            self.cancel_dialog.show_preview(preview)

    @async_slot
    async def _cancel_confirmed(self) -> None:
        dialog = self.cancel_dialog
        assert dialog is not None
        booked = await self.cancel(dialog.chosen_scope(), dialog.reason.text())
        self.notice.setText(self.cancelled_text(booked).replace("\n", " "))

    async def cancel(self, scope: str, reason: str) -> list[str]:
        """Cancel ``scope`` with its bookings (one transaction); returns who was booked."""
        sid = self.session_id
        booked = await self.context.runner.run(lambda s: q.cancel_sessions(s, sid, scope, reason))
        self.changed = True
        await self.load()
        return booked

    def cancelled_text(self, booked: list[str]) -> str:
        if not booked:
            return self.tr("Nobody was booked.")
        return (
            self.tr("These students were booked; let their families know:")
            + "\n"
            + "\n".join(booked)
        )

    # -- substitute --------------------------------------------------------------------------
    @async_slot
    async def ask_substitute(self) -> None:
        assert self.details is not None
        loc = self.details.session.location_id
        choices = await self.context.runner.run(lambda s: q.filter_choices(s, loc))
        others = [c for c in choices["instructors"] if c.id != self.details.session.instructor_id]
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Substitute instructor"))
        combo = QComboBox(dialog)
        for c in others:
            combo.addItem(c.name, c.id)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Instructor"), combo)
        form.addRow(box)
        dialog.accepted.connect(lambda: self._substitute_chosen(combo.currentData()))
        self.substitute_dialog = dialog
        dialog.open()  # never exec() inside a coroutine (CONTRIBUTING)

    @async_slot
    async def _substitute_chosen(self, instructor_id: UUID | None) -> None:
        if instructor_id is not None:
            await self.substitute(instructor_id)

    async def substitute(self, instructor_id: UUID) -> list[Any]:
        sid = self.session_id
        try:
            conflicts = await self.context.runner.run(
                lambda s: q.assign_substitute(s, sid, instructor_id)
            )
        except UserFacingError as error:
            if error.details.get("constraint") == "sessions_instructor_overlap_excl":
                raise UserFacingError(error.code, "substitute_busy") from error
            raise
        self.changed = True
        await self.load()
        if conflicts:
            self.seats.setToolTip("; ".join(c.detail for c in conflicts))
        return conflicts

    # -- edit --------------------------------------------------------------------------------
    @async_slot
    async def ask_edit(self) -> None:
        assert self.details is not None
        s = self.details.session
        start, end = s.starts_at.astimezone(self.tz), s.ends_at.astimezone(self.tz)
        sid = self.session_id
        pattern = (
            await self.context.runner.run(lambda db: q.pattern_change_of(db, sid))
            if s.pattern_id
            else None
        )
        dialog = EditSessionDialog(
            self.cancel_choices(),
            start.time().replace(second=0, microsecond=0, tzinfo=None),
            int((end - start).total_seconds() // 60),
            s.capacity,
            pattern,
            self,
        )
        dialog.accepted.connect(lambda: self._edit_confirmed(dialog))
        self.edit_dialog = dialog
        dialog.open()

    @async_slot
    async def _edit_confirmed(self, dialog: EditSessionDialog) -> None:
        await self.edit(
            str(dialog.scope.currentData()),
            dialog.when.time().toPython(),
            dialog.minutes.value(),
            dialog.seats.value(),
            weekdays=dialog.weekdays(),
            end_date=dialog.end_date(),
        )

    async def edit(
        self,
        scope: str,
        start: time,
        minutes: int,
        capacity: int,
        *,
        weekdays: tuple[int, ...] | None = None,
        end_date: date | None = None,
    ) -> list[Any]:
        """One occurrence: new time, length, seats. This and following / all: the class
        itself (days, end date too; the pattern is rewritten or split). A double booking
        refuses the whole edit."""
        sid = self.session_id
        try:
            if scope == "one":
                conflicts = await self.context.runner.run(
                    lambda s: q.edit_sessions(
                        s, sid, scope, start=start, minutes=minutes, capacity=capacity
                    )
                )
                summary = self.tr("Saved.")
            else:
                result = await self.context.runner.run(
                    lambda s: self._edit_pattern(s, scope, start, minutes, capacity, weekdays,
                                                 end_date)
                )
                conflicts, summary = list(result.conflicts), self.pattern_edit_text(result)
        except UserFacingError as error:
            if error.details.get("constraint") == "sessions_instructor_overlap_excl":
                raise UserFacingError(error.code, "instructor_busy") from error
            raise
        self.changed = True
        await self.load()
        detail = "; ".join(c.detail for c in conflicts)
        self.notice.setText(
            summary + (" " + self.tr("Recorded for review: %s") % detail if conflicts else "")
        )
        return conflicts

    async def _edit_pattern(
        self,
        s: Any,
        scope: str,
        start: time,
        minutes: int,
        capacity: int,
        weekdays: tuple[int, ...] | None,
        end_date: date | None,
    ) -> q.PatternEditResult:
        current = await q.pattern_change_of(s, self.session_id)
        assert current is not None
        change = q.PatternChange(
            weekdays or current.weekdays, start, minutes, capacity, end_date or current.end_date
        )
        return await q.edit_pattern(s, self.session_id, scope, change)

    def pattern_edit_text(self, r: q.PatternEditResult) -> str:
        text = (
            self.tr("Class changed: %1 moved, %2 added, %3 removed, %4 kept as they were.")
            .replace("%1", str(r.moved))
            .replace("%2", str(r.created))
            .replace("%3", str(r.removed))
            .replace("%4", str(r.kept))
        )
        if r.cancelled_booked:
            text += " " + self.tr("Bookings cancelled (tell the families): %s") % ", ".join(
                r.cancelled_booked
            )
        if r.refused:
            text += " " + self.tr("Not added (instructor busy): %s") % ", ".join(
                d.isoformat() for d in r.refused
            )
        return text

