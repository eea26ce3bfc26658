"""Star ratings beside the roster: the criteria of the selected child's current rubric
(their level's), each with its latest 0-3 stars. 0/1/2/3 (keys or buttons) rate the
selected criterion; every rating is sent with its own request id and says whether it
was saved. Pressing the stars a criterion already has sends nothing (no duplicate
history rows from a double press)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries.rosters import CriterionRating
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.checkin.presenter import explain

CRITERION_ROLE = Qt.ItemDataRole.UserRole + 1
STAR_KEYS = {"0": 0, "1": 1, "2": 2, "3": 3}

Loader = Callable[[UUID, UUID], Awaitable[list[CriterionRating]]]
Rater = Callable[[UUID, UUID, UUID, int], Awaitable[str]]


def star_text(stars: int | None) -> str:
    return "· · ·" if stars is None else "★" * stars + "☆" * (3 - stars)


class StarsPanel(QWidget):
    def __init__(self, load: Loader, rate: Rater, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load, self._rate = load, rate
        self.child: tuple[UUID, UUID] | None = None  # (session, student)
        self.ratings: list[CriterionRating] = []
        self.saving: set[UUID] = set()
        self._generation = 0
        self.writable = True  # False on a day ahead: nobody is rated before the session
        self.heading = QLabel(self.tr("Star ratings"), self)
        self.heading.setObjectName("sectionTitle")
        self.who = QLabel(self.tr("Select a child to rate."), self)
        self.who.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Rubric criteria"))
        self.list.setWordWrap(True)
        self.list.installEventFilter(self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        buttons = QHBoxLayout()
        self.star_buttons: list[QPushButton] = []
        for stars in range(4):
            button = QPushButton(self.tr("%1 ★").replace("%1", str(stars)), self)
            button.setToolTip(self.tr("Rate the selected criterion %1 stars (key %1)")
                              .replace("%1", str(stars)))
            button.clicked.connect(lambda _=False, n=stars: self.rate_selected(n))
            buttons.addWidget(button)
            self.star_buttons.append(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.who):
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.state)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for button in self.star_buttons:
            button.setEnabled(on and self.writable)

    def set_writable(self, writable: bool) -> None:
        self.writable = writable
        self._enable(bool(self.ratings))

    def clear(self) -> None:
        self._generation += 1
        self.child = None
        self.ratings = []
        self.list.clear()
        self.who.setText(self.tr("Select a child to rate."))
        self.state.setText("")
        self._enable(False)

    @async_slot
    async def show_child(self, session_id: UUID, student_id: UUID, name: str) -> None:
        """Load the child's rubric; a later choice of child wins over a slow answer."""
        self._generation += 1
        generation = self._generation
        self.child = (session_id, student_id)
        self.who.setText(name)
        self.state.setText("")
        try:
            ratings = await self._load(session_id, student_id)
        except UserFacingError as error:
            if generation == self._generation:
                self.list.clear()
                self.state.setText(explain(error))
            raise
        if generation != self._generation:
            return
        self.ratings = ratings
        level = ratings[0].level_name if ratings else ""
        self.who.setText(f"{name} — {level}" if level else name)
        self._fill()
        if not ratings:
            self.state.setText(self.tr("No rubric for this child's level."))

    def _fill(self) -> None:
        row = max(self.list.currentRow(), 0)
        self.list.clear()
        for r in self.ratings:
            item = QListWidgetItem(f"{star_text(r.stars)}   {r.name}")
            item.setData(CRITERION_ROLE, r.criterion_id)
            tips = [f"{n} ★: {d}" for n, d in enumerate(r.descriptors) if d]
            if tips:
                item.setToolTip("\n".join(tips))
            self.list.addItem(item)
        if self.ratings:
            self.list.setCurrentRow(min(row, len(self.ratings) - 1))
        self._enable(bool(self.ratings))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.list and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.text() in STAR_KEYS):
            self.rate_selected(STAR_KEYS[event.text()])
            return True
        return super().eventFilter(watched, event)

    def rate_selected(self, stars: int) -> None:
        item = self.list.currentItem()
        if item is not None and self.child is not None:
            self._send(self.child, item.data(CRITERION_ROLE), stars)

    @async_slot
    async def _send(self, child: tuple[UUID, UUID], criterion_id: UUID, stars: int) -> None:
        current = next((r for r in self.ratings if r.criterion_id == criterion_id), None)
        if (current is None or not self.writable or criterion_id in self.saving
                or current.stars == stars):
            return  # in flight, or already that many stars: nothing new to record
        self.saving.add(criterion_id)
        self.state.setText(self.tr("Saving…"))
        try:
            await self._rate(child[0], child[1], criterion_id, stars)
        except UserFacingError as error:
            self.state.setText(self.tr("NOT saved — %1").replace("%1", explain(error)))
            raise
        finally:
            self.saving.discard(criterion_id)
        if self.child != child:
            return  # the person moved on; the rating is saved all the same
        self.ratings = [
            CriterionRating(r.criterion_id, r.level_name, r.name, r.descriptors, stars)
            if r.criterion_id == criterion_id else r
            for r in self.ratings
        ]
        self._fill()
        self.state.setText(self.tr("Saved ✓ %1 — %2")
                           .replace("%1", current.name).replace("%2", star_text(stars)))
