"""A level's assessment rubric (criteria x 0-3 star descriptors, versioned) and its
equipment list (from the editable equipment library), under the detail panel."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import EquipmentItem, EquipmentNeed, Rubric
from academy_desktop.models.rubric import RubricModel
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.curriculum.commands import SaveRubric, SetEquipment
from academy_desktop.views.curriculum.editor import Editor
from academy_desktop.views.workspace import WorkspaceContext


class LevelPanel(QWidget):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.level_id: UUID | None = None
        self.editable = False
        self.rubric: Rubric | None = None
        self.items: tuple[EquipmentItem, ...] = ()
        self.rubric_model = RubricModel(self)
        self.editor: Editor | None = None  # set: saves go on the editor's undo stack
        self.saved_needs: tuple[EquipmentNeed, ...] = ()
        self._build_rubric()
        self._build_equipment()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rubric_box)
        layout.addWidget(self.equipment_box)

    def _build_rubric(self) -> None:
        self.rubric_box = QGroupBox(self.tr("Assessment rubric"), self)
        self.rubric_status = QLabel(self.rubric_box)
        self.rubric_status.setWordWrap(True)
        self.rubric_status.setProperty("muted", True)
        self.versions = QComboBox(self.rubric_box)
        self.versions.setAccessibleName(self.tr("Rubric version"))
        self.versions.activated.connect(self._version_chosen)
        self.criteria = QTableView(self.rubric_box)
        self.criteria.setModel(self.rubric_model)
        self.criteria.setWordWrap(True)
        self.criteria.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.criteria.setMinimumHeight(160)
        self.criteria.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.add_criterion = QPushButton(self.tr("Add criterion"), self.rubric_box)
        self.add_criterion.clicked.connect(self._add_criterion)
        self.remove_criterion = QPushButton(self.tr("Remove criterion"), self.rubric_box)
        self.remove_criterion.clicked.connect(
            lambda: self.rubric_model.remove_criterion(self.criteria.currentIndex().row())
        )
        self.save_rubric = QPushButton(self.tr("Save rubric"), self.rubric_box)
        self.save_rubric.clicked.connect(self.save_rubric_clicked)
        top = QHBoxLayout()
        top.addWidget(self.rubric_status, 1)
        top.addWidget(self.versions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_criterion)
        buttons.addWidget(self.remove_criterion)
        buttons.addStretch(1)
        buttons.addWidget(self.save_rubric)
        box = QVBoxLayout(self.rubric_box)
        box.addLayout(top)
        box.addWidget(self.criteria)
        box.addLayout(buttons)

    def _build_equipment(self) -> None:
        self.equipment_box = QGroupBox(self.tr("Equipment"), self)
        self.equipment = QTableWidget(0, 3, self.equipment_box)
        self.equipment.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Quantity"), self.tr("Required")]
        )
        self.equipment.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.equipment.verticalHeader().hide()
        self.equipment.setMinimumHeight(120)
        self.add_need = QPushButton(self.tr("Add item"), self.equipment_box)
        self.add_need.clicked.connect(lambda: self._add_need_row(None))
        self.remove_need = QPushButton(self.tr("Remove item"), self.equipment_box)
        self.remove_need.clicked.connect(
            lambda: self.equipment.removeRow(self.equipment.currentRow())
        )
        self.save_equipment = QPushButton(self.tr("Save equipment"), self.equipment_box)
        self.save_equipment.clicked.connect(self.save_equipment_clicked)
        self.new_item = QLineEdit(self.equipment_box)
        self.new_item.setPlaceholderText(self.tr("New library item, e.g. Kickboard"))
        self.add_item = QPushButton(self.tr("Add to library"), self.equipment_box)
        self.add_item.clicked.connect(self.add_library_item)
        self.new_item.returnPressed.connect(self.add_library_item)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_need)
        buttons.addWidget(self.remove_need)
        buttons.addStretch(1)
        buttons.addWidget(self.save_equipment)
        library = QHBoxLayout()
        library.addWidget(self.new_item, 1)
        library.addWidget(self.add_item)
        box = QVBoxLayout(self.equipment_box)
        box.addWidget(self.equipment)
        box.addLayout(buttons)
        box.addLayout(library)

    def _refresh(self, level_id: UUID) -> None:
        if level_id == self.level_id:
            self.show_level(level_id, self.editable)

    # -- loading -------------------------------------------------------------------------
    @async_slot
    async def show_level(self, level_id: UUID, editable: bool) -> None:
        self.level_id, self.editable = level_id, editable
        for widget in (
            self.add_criterion,
            self.remove_criterion,
            self.save_rubric,
            self.add_need,
            self.remove_need,
            self.save_equipment,
            self.new_item,
            self.add_item,
        ):
            widget.setVisible(editable)
        rubric, versions, needs, items = await self.context.runner.run(
            lambda s: _load_level(s, level_id)
        )
        if level_id != self.level_id:
            return
        self.items = items
        self._show_rubric(rubric, versions)
        self.saved_needs = needs
        self.equipment.setRowCount(0)
        for need in needs:
            self._add_need_row(need)
        self.equipment.setEnabled(True)

    def _show_rubric(self, rubric: Rubric, versions: tuple[int, ...]) -> None:
        self.rubric = rubric
        self.versions.clear()
        for version in versions:
            self.versions.addItem(self.tr("Version %d") % version, version)
        self.versions.setVisible(len(versions) > 1)
        self.rubric_model.set_rubric(rubric, self.editable)
        self.criteria.resizeRowsToContents()
        if rubric.id is None:
            text = self.tr(
                "No rubric yet. Add the criteria instructors rate, and what 0–3 stars mean."
            )
        elif rubric.rated:
            text = self.tr(
                "Version %d. Students have been rated under it: saving publishes version %d, "
                "and past ratings keep version %d."
            ) % (rubric.version, rubric.version + 1, rubric.version)
        else:
            text = (
                self.tr("Version %d. No ratings yet: changes edit this version.") % rubric.version
            )
        self.rubric_status.setText(text)

    @async_slot
    async def _version_chosen(self, row: int) -> None:
        version = self.versions.itemData(row)
        level_id = self.level_id
        if level_id is None:
            return
        rubric = await self.context.runner.run(lambda s: q.get_rubric(s, level_id, version))
        current = row == 0
        self.rubric_model.set_rubric(rubric, self.editable and current)
        self.save_rubric.setEnabled(current)
        self.add_criterion.setEnabled(current)
        self.remove_criterion.setEnabled(current)

    # -- saving ----------------------------------------------------------------------------
    def _add_criterion(self) -> None:
        row = self.rubric_model.add_criterion()
        self.criteria.setCurrentIndex(self.rubric_model.index(row, 0))
        self.criteria.edit(self.criteria.currentIndex())

    @async_slot
    async def save_rubric_clicked(self) -> None:
        if self.level_id is None or self.rubric is None:
            return
        level_id, rubric = self.level_id, self.rubric
        criteria = self.rubric_model.criteria()
        if self.editor is not None:
            self.editor.stack.push(
                SaveRubric(self.editor, level_id, rubric, criteria, self._refresh)
            )
            return
        name = rubric.name or self.tr("Assessment")
        await self.context.runner.run(
            lambda s: q.save_rubric(s, level_id, name, criteria, rubric.version)
        )
        await self.show_level(level_id, self.editable)

    def _add_need_row(self, need: EquipmentNeed | None) -> None:
        row = self.equipment.rowCount()
        self.equipment.insertRow(row)
        combo = QComboBox(self.equipment)
        for item in self.items:
            combo.addItem(item.name, str(item.id))
        if need is not None:
            combo.setCurrentIndex(max(0, combo.findData(str(need.item_id))))
        quantity = QSpinBox(self.equipment)
        quantity.setRange(1, 999)
        quantity.setValue(need.quantity if need else 1)
        required = QCheckBox(self.equipment)
        required.setChecked(need.is_required if need else True)
        for column, widget in enumerate((combo, quantity, required)):
            widget.setEnabled(self.editable)
            self.equipment.setCellWidget(row, column, widget)

    def needs(self) -> tuple[EquipmentNeed, ...]:
        out: dict[UUID, EquipmentNeed] = {}
        for row in range(self.equipment.rowCount()):
            combo = self.equipment.cellWidget(row, 0)
            quantity = self.equipment.cellWidget(row, 1)
            required = self.equipment.cellWidget(row, 2)
            data = combo.currentData()  # type: ignore[attr-defined]
            if data:
                item_id = UUID(data)
                out[item_id] = EquipmentNeed(
                    item_id,
                    combo.currentText(),
                    quantity.value(),  # type: ignore[attr-defined]
                    required.isChecked(),
                )  # type: ignore[attr-defined]
        return tuple(out.values())

    @async_slot
    async def save_equipment_clicked(self) -> None:
        if self.level_id is None:
            return
        level_id, needs = self.level_id, self.needs()
        if self.editor is not None:
            self.editor.stack.push(
                SetEquipment(self.editor, level_id, self.saved_needs, needs, self._refresh)
            )
            return
        await self.context.runner.run(lambda s: q.set_level_equipment(s, level_id, needs))
        await self.show_level(level_id, self.editable)

    @async_slot
    async def add_library_item(self) -> None:
        name = self.new_item.text().strip()
        if not name:
            return
        await self.context.runner.run(lambda s: q.add_equipment_item(s, name))
        self.new_item.clear()
        self.items = await self.context.runner.run(q.list_equipment_items)
        for row in range(self.equipment.rowCount()):
            combo = self.equipment.cellWidget(row, 0)
            current = combo.currentData()  # type: ignore[attr-defined]
            combo.clear()  # type: ignore[attr-defined]
            for item in self.items:
                combo.addItem(item.name, str(item.id))  # type: ignore[attr-defined]
            combo.setCurrentIndex(max(0, combo.findData(current)))  # type: ignore[attr-defined]


async def _load_level(
    session: object, level_id: UUID
) -> tuple[Rubric, tuple[int, ...], tuple[EquipmentNeed, ...], tuple[EquipmentItem, ...]]:
    rubric = await q.get_rubric(session, level_id)  # type: ignore[arg-type]
    versions = await q.rubric_versions(session, level_id)  # type: ignore[arg-type]
    needs = await q.level_equipment(session, level_id)  # type: ignore[arg-type]
    items = await q.list_equipment_items(session)  # type: ignore[arg-type]
    return rubric, versions, needs, items


__all__ = ["LevelPanel", "Qt"]
