"""The families workspace: find a family by any parent's name, phone or email; see the
parents, all their children and the family balance; register a new family."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.students import Choice
from academy_desktop.models.family import FamiliesModel
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.icons import icon
from academy_desktop.ui.settings import Settings
from academy_desktop.views.families.import_dialog import ImportFamiliesDialog
from academy_desktop.views.families.presenter import FamiliesPresenter
from academy_desktop.views.students.family_dialog import NewFamilyDialog
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

HEADER_NAME = "families/list"


class FamiliesWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.settings = Settings()
        self.model = FamiliesModel(self)
        self.presenter = FamiliesPresenter(context, self.model, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a family: parent name, phone or email  "
                                               "(Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Search families"))
        self.new_family_button = QPushButton(icon("families"), self.tr("&New family…"), self)
        self.import_button = QPushButton(self.tr("&Import CSV…"), self)
        self.status = QLabel(self)
        self.status.setProperty("muted", True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Families"))
        for column, width in enumerate((300, 130, 230, 120)):
            self.table.setColumnWidth(column, width)
        state = self.settings.header_state(HEADER_NAME)
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_family_button)
        bar.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.search.textChanged.connect(self.presenter.set_query)
        self.new_family_button.clicked.connect(self.open_new_family)
        self.import_button.clicked.connect(self.open_import)
        self.model.modelReset.connect(self._count)
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.settings.set_header_state(
                HEADER_NAME, self.table.horizontalHeader().saveState()))

    @property
    def search_field(self) -> QLineEdit:
        return self.search

    async def reload(self) -> None:
        self.status.setText(self.tr("Loading…"))
        # one location: its name on every row says nothing
        self.table.setColumnHidden(3, len(self.context.identity.locations) <= 1)
        await self.presenter.load(self.search.text())
        await super().reload()

    def clear(self) -> None:
        self.presenter.cancel_all()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.reset_rows(())
        self.status.setText("")

    def _count(self) -> None:
        count = self.model.rowCount()
        self.status.setText((self.tr("1 family") if count == 1 else self.tr(
            "%1 families").replace("%1", str(count))) if count else self.tr("No family found."))

    def open_new_family(self) -> NewFamilyDialog:
        locations = [Choice(loc.location_id, loc.name) for loc in self.context.identity.locations]
        dialog = NewFamilyDialog(self.presenter, locations, self.context.location_id, self)
        dialog.family_saved.connect(lambda _ids: self.presenter.load(self.search.text()))
        dialog.open()
        return dialog

    def open_import(self) -> ImportFamiliesDialog:
        locations = [Choice(loc.location_id, loc.name) for loc in self.context.identity.locations]
        dialog = ImportFamiliesDialog(self.presenter, locations, self.context.location_id, self)
        dialog.imported.connect(self._imported)
        dialog.open()
        return dialog

    @async_slot
    async def _imported(self, count: int) -> None:
        await self.presenter.load(self.search.text())  # then say it (the count would overwrite)
        self.status.setText(self.tr("Imported 1 family.") if count == 1 else self.tr(
            "Imported %1 families.").replace("%1", str(count)))

    def selected_parent(self) -> UUID | None:
        index = self.table.currentIndex()
        rows = self.model.rows()
        return rows[index.row()].parent_id if index.isValid() else None


FAMILIES = WorkspaceSpec(
    key="families", title="Families", icon="families",
    kinds=frozenset({PersonKind.FRONT_DESK, PersonKind.SUPER_ADMIN}),
    factory=FamiliesWorkspace, order=40)
