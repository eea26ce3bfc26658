"""The detail panel: edits the selected node's own fields by kind (name, description;
age range for a curriculum; objectives, duration and rich-text content for a lesson).
Saving pushes one undoable command with the old and new values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.curriculum import NAME_MAX, NodeDetail, NodeKind
from academy_desktop.models.curriculum_tree import kind_label


def _spin(low: int, high: int, none_text: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low - 1, high)
    box.setSpecialValueText(none_text)
    return box


class DetailPanel(QWidget):
    save_requested = Signal(object, dict, dict)  # NodeDetail, old fields, new fields

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: NodeDetail | None = None
        self.heading = QLabel(self.tr("Select an item in the tree"), self)
        self.heading.setObjectName("personName")
        self.kind = QLabel(self)
        self.kind.setProperty("muted", True)
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_MAX)
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText(self.tr("What this is about (optional)"))
        self.description.setMaximumHeight(90)
        self.min_age = _spin(0, 120, self.tr("any"))
        self.max_age = _spin(0, 120, self.tr("any"))
        ages = QHBoxLayout()
        ages.addWidget(self.min_age)
        ages.addWidget(QLabel(self.tr("to"), self))
        ages.addWidget(self.max_age)
        ages.addStretch(1)
        self.ages = QWidget(self)
        self.ages.setLayout(ages)
        ages.setContentsMargins(0, 0, 0, 0)
        self.objectives = QPlainTextEdit(self)
        self.objectives.setMaximumHeight(80)
        self.duration = _spin(1, 600, self.tr("not set"))
        self.duration.setSuffix(self.tr(" min"))
        self.content = QTextEdit(self)
        self.content.setAcceptRichText(True)
        self.content.setPlaceholderText(self.tr("Lesson plan: drills, progressions, safety notes…"))
        self.save = QPushButton(self.tr("Save changes"), self)
        self.save.setShortcut("Ctrl+S")
        self.save.setToolTip(self.tr("Save changes (Ctrl+S)"))
        self.save.clicked.connect(self._save)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Description"), self.description)
        self.form.addRow(self.tr("Ages"), self.ages)
        self.form.addRow(self.tr("Objectives"), self.objectives)
        self.form.addRow(self.tr("Duration"), self.duration)
        self.form.addRow(self.tr("Content"), self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.kind)
        layout.addLayout(self.form)
        self.extra = QVBoxLayout()  # the level's rubric and equipment go here
        layout.addLayout(self.extra)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_detail(None, False)

    def _row_visible(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    def show_detail(self, detail: NodeDetail | None, editable: bool) -> None:
        self.detail = detail
        node = detail.node if detail else None
        kind = node.kind if node else None
        self.heading.setText(node.name if node else self.tr("Select an item in the tree"))
        self.kind.setText(
            kind_label(kind)
            + ("" if node is None or node.is_active else " · " + self.tr("archived"))
            if kind
            else ""
        )
        for widget, shown in (
            (self.name, node is not None),
            (self.description, node is not None),
            (self.ages, kind is NodeKind.CURRICULUM),
            (self.objectives, kind is NodeKind.LESSON),
            (self.duration, kind is NodeKind.LESSON),
            (self.content, kind is NodeKind.LESSON),
        ):
            self._row_visible(widget, shown)
        self.save.setVisible(node is not None and editable)
        for widget in (self.name, self.description, self.objectives, self.content):
            widget.setReadOnly(not editable)
        for box in (self.min_age, self.max_age, self.duration):
            box.setReadOnly(not editable)
        if detail is None:
            return
        self.name.setText(detail.node.name)
        self.description.setPlainText(detail.description)
        self.min_age.setValue(
            detail.min_age if detail.min_age is not None else self.min_age.minimum()
        )
        self.max_age.setValue(
            detail.max_age if detail.max_age is not None else self.max_age.minimum()
        )
        self.objectives.setPlainText(detail.objectives)
        self.duration.setValue(detail.duration_minutes or self.duration.minimum())
        if "<" in detail.content:
            self.content.setHtml(detail.content)
        else:
            self.content.setPlainText(detail.content)

    def _values(self) -> dict[str, Any]:
        assert self.detail is not None
        kind = self.detail.node.kind
        out: dict[str, Any] = {
            "name": self.name.text(),
            "description": self.description.toPlainText() or None,
        }
        if kind is NodeKind.CURRICULUM:
            out["min_age"] = None if self.min_age.value() < 0 else self.min_age.value()
            out["max_age"] = None if self.max_age.value() < 0 else self.max_age.value()
        if kind is NodeKind.LESSON:
            out["objectives"] = self.objectives.toPlainText() or None
            out["duration_minutes"] = None if self.duration.value() < 1 else self.duration.value()
            plain = self.content.toPlainText()
            out["content"] = self.content.toHtml() if plain.strip() else None
        return out

    def _original(self) -> dict[str, Any]:
        d = self.detail
        assert d is not None
        return {
            "name": d.node.name,
            "description": d.description or None,
            "min_age": d.min_age,
            "max_age": d.max_age,
            "objectives": d.objectives or None,
            "duration_minutes": d.duration_minutes,
            "content": d.content or None,
        }

    def _save(self) -> None:
        if self.detail is None:
            return
        new = self._values()
        old = self._original()
        changed = {k: v for k, v in new.items() if v != old.get(k)}
        if (
            "content" in changed
            and old.get("content")
            and self.content.toPlainText() == _plain(old["content"])
        ):
            changed.pop("content")  # Qt re-serialised the same text
        if changed:
            self.save_requested.emit(self.detail, {k: old.get(k) for k in changed}, changed)


def _plain(html: str) -> str:
    probe = QTextEdit()
    probe.setHtml(html) if "<" in html else probe.setPlainText(html)
    return probe.toPlainText()


__all__ = ["DetailPanel", "Qt"]
