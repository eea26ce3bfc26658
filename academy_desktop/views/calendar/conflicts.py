"""Soft scheduling conflicts (outside availability, over capacity after a change) that
were let in and recorded: listed per location, each closed with a reason."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import calendar as q
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.workspace import WorkspaceContext

_KINDS = {
    "instructor_unavailable": "Outside availability",
    "capacity_exceeded": "Over capacity",
    "instructor_double_booked": "Instructor double booked",
    "location_closed": "Closed",
}


class ConflictsDialog(QDialog):
    def __init__(
        self, context: WorkspaceContext, location_id: UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context, self.location_id = context, location_id
        self.setWindowTitle(self.tr("Scheduling conflicts"))
        self.resize(560, 420)
        self.items = QListWidget(self)
        self.items.setAccessibleName(self.tr("Open conflicts"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(
            self.tr("Reason (required), e.g. agreed with the instructor")
        )
        self.resolve_button = QPushButton(self.tr("Resolve"), self)
        self.ignore_button = QPushButton(self.tr("Ignore"), self)
        self.resolve_button.clicked.connect(lambda: self.close_selected("resolved"))
        self.ignore_button.clicked.connect(lambda: self.close_selected("ignored"))
        self.empty = QLabel(self.tr("No open conflicts."), self)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.resolve_button)
        row.addWidget(self.ignore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)

    async def load(self) -> int:
        loc = self.location_id
        rows = await self.context.runner.run(lambda s: q.open_conflicts(s, loc))
        self.items.clear()
        for r in rows:
            kind = self.tr(_KINDS.get(r["kind"], r["kind"]))
            text = f"{r['conflict_date']} · {r['title']} · {r['instructor']} — {kind}"
            if r["detail"]:
                text += f" ({r['detail']})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r["id"])
            self.items.addItem(item)
        self.empty.setVisible(not rows)
        if rows:
            self.items.setCurrentRow(0)
        return len(rows)

    @async_slot
    async def close_selected(self, status: str) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        await self.close_conflict(item.data(Qt.ItemDataRole.UserRole), self.reason.text(), status)

    async def close_conflict(self, conflict_id: UUID, reason: str, status: str = "resolved") -> int:
        await self.context.runner.run(lambda s: q.resolve_conflict(s, conflict_id, reason, status))
        self.reason.clear()
        return await self.load()
