"""The students workspace: one search field, server-side filters, the paged list, and the
chosen student's whole picture beside it (with edit in place, archive and restore)."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from uuid import UUID

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.students import Choice, FilterChoices, StudentChanges, StudentFilter
from academy_desktop.domain.validation import normalise_phone
from academy_desktop.models.students import COLUMNS, StudentsModel
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.icons import icon
from academy_desktop.ui.settings import Settings
from academy_desktop.views.students.detail import StudentPanel, scaled_photo
from academy_desktop.views.students.editor import StudentEditor
from academy_desktop.views.students.family_dialog import NewFamilyDialog
from academy_desktop.views.students.presenter import StudentsPresenter
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

HEADER_NAME = "students/list"
LOCATION_COLUMN = 3
SPLITTER_NAME = "students/main"


class StudentsWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.settings = Settings()
        self.model = StudentsModel(self)
        self.presenter = StudentsPresenter(context, self.model, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr(
            "Find a student or parent: name, phone, email or student number  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Search students and parents"))
        self.location_filter = self._combo(self.tr("All locations"), "Location filter")
        self.program_filter = self._combo(self.tr("All programs"), "Program filter")
        self.level_filter = self._combo(self.tr("All levels"), "Level filter")
        self.active_filter = QComboBox(self)
        # string data: PySide6 mis-counts references of bools stored in item data
        for text, value in ((self.tr("Active"), "active"), (self.tr("Archived"), "archived"),
                            (self.tr("Active and archived"), "all")):
            self.active_filter.addItem(text, value)
        self.new_family_button = QPushButton(icon("families"), self.tr("&New family…"), self)
        self.export_button = QPushButton(self.tr("E&xport CSV…"), self)
        self.status = QLabel(self)
        self.status.setProperty("muted", True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Students"))
        for column, width in enumerate((190, 82, 40, 110, 100, 200)):
            self.table.setColumnWidth(column, width)
        self.panel = StudentPanel(self)
        self.editor = StudentEditor(self.panel.widget())
        self.editor.setVisible(False)
        self.panel.editor_slot.addWidget(self.editor)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._layout()
        self._restore_state()
        self._connect()

    def _combo(self, all_text: str, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(all_text, None)
        combo.setAccessibleName(self.tr(name))
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.view().setMinimumWidth(320)  # the open list shows long level names whole
        return combo

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        for widget in (self.location_filter, self.program_filter, self.level_filter,
                       self.active_filter, self.new_family_button, self.export_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    def _restore_state(self) -> None:
        header = self.settings.header_state(HEADER_NAME)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        splitter = self.settings.splitter_state(SPLITTER_NAME)
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([640, 480])

    def save_state(self) -> None:
        self.settings.set_header_state(HEADER_NAME, self.table.horizontalHeader().saveState())
        self.settings.set_splitter_state(SPLITTER_NAME, self.splitter.saveState())

    def _connect(self) -> None:
        self.search.textChanged.connect(self.presenter.set_query)
        self.search.returnPressed.connect(
            lambda: self.presenter.open_best_match(self.search.text()))
        for combo in (self.location_filter, self.program_filter, self.level_filter,
                      self.active_filter):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.table.activated.connect(self._row_activated)
        self.presenter.detail_loaded.connect(self._show_detail)
        self.presenter.choices_loaded.connect(self._fill_choices)
        self.model.modelReset.connect(self._count_rows)
        self.model.rowsInserted.connect(self._count_rows)
        self.new_family_button.clicked.connect(self.open_new_family)
        self.export_button.clicked.connect(self._export_clicked)
        self.panel.edit_button.clicked.connect(self.start_edit)
        self.panel.archive_button.clicked.connect(self.toggle_archive)
        self.panel.photo_button.clicked.connect(self._photo_clicked)
        self.panel.remove_photo_button.clicked.connect(lambda: self.set_photo(None))
        self.editor.save_wanted.connect(self.save_edit)
        self.panel.link_bar.link_wanted.connect(self.link_parent)
        self.panel.link_bar.unlink_wanted.connect(self.unlink_parent)
        self.editor.cancelled.connect(lambda: self.editor.setVisible(False))
        self.context.location_changed.connect(lambda _loc: self._filters_changed())
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search,
                  activated=self.search.clear, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, activated=self._into_table,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.save_state())
        self.splitter.splitterMoved.connect(lambda *_: self.save_state())

    @property
    def search_field(self) -> QLineEdit:
        return self.search

    # -- loading ------------------------------------------------------------------------------
    async def reload(self) -> None:
        self.status.setText(self.tr("Loading…"))
        await self.presenter.load_choices()
        self.presenter.filters = self._filters()
        if self.search.text().strip():
            await self.presenter.search(self.search.text())
        else:
            await self.presenter._load_first_page()
        if self.panel.detail is not None:
            await self.presenter.open_student(self.panel.detail.profile.id)
        await super().reload()

    def clear(self) -> None:
        self.presenter.cancel_all()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.clear()
        self.panel.clear()
        self.editor.setVisible(False)
        self.status.setText("")

    def _fill_choices(self, choices: FilterChoices) -> None:
        for combo, items in ((self.location_filter, choices.locations),
                             (self.program_filter, choices.programs),
                             (self.level_filter, choices.levels)):
            combo.blockSignals(True)
            current = combo.currentData()
            while combo.count() > 1:
                combo.removeItem(1)
            for choice in items:
                combo.addItem(choice.name, str(choice.id))
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.location_filter.setVisible(len(choices.locations) > 1)
        # one location: its name on every row says nothing; the family gets the room
        self.table.setColumnHidden(LOCATION_COLUMN, len(choices.locations) <= 1)
        self._locations = list(choices.locations)
        self.editor.set_locations(self._locations)

    def _filters(self) -> StudentFilter:
        def uuid_of(combo: QComboBox) -> UUID | None:
            data = combo.currentData()
            return UUID(data) if data else None
        location = uuid_of(self.location_filter) or self.context.location_id
        return StudentFilter(location, uuid_of(self.program_filter),
                             uuid_of(self.level_filter),
                             {"active": True, "archived": False}.get(
                                 self.active_filter.currentData()))

    def _filters_changed(self) -> None:
        self.presenter.set_filters(self._filters())

    def _count_rows(self) -> None:
        count = self.model.rowCount()
        more = self.tr(" (scroll for more)") if self.model.canFetchMore() else ""
        if self.search.text().strip():
            text = (self.tr("1 match") if count == 1 else self.tr("%1 matches").replace(
                "%1", str(count))) if count else self.tr("No match.")
        else:
            text = (self.tr("1 student") if count == 1 else self.tr("%1 students").replace(
                "%1", str(count))) + more
        self.status.setText(text)

    # -- one student ----------------------------------------------------------------------------
    def _row_chosen(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None and row.is_student:
            self.presenter.open_student(row.id)

    def _row_activated(self, index: QModelIndex) -> None:
        """Enter/double-click: a student opens; a parent lists their children (the search
        by the parent's phone or email also returns the children)."""
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            return
        if row.is_student:
            self.presenter.open_student(row.id)
        elif row.phone or row.email:
            self.search.setText(row.phone or row.email or "")
            self.search.setFocus()

    def _into_table(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_detail(self, detail: object) -> None:
        self.editor.setVisible(False)
        self.panel.show_detail(detail)  # type: ignore[arg-type]

    def start_edit(self) -> None:
        if self.panel.detail is not None:
            self.editor.load(self.panel.detail.profile)
            self.editor.setVisible(True)

    @async_slot
    async def save_edit(self, changes: StudentChanges) -> None:
        detail = self.panel.detail
        if detail is None:
            return
        profile = detail.profile
        try:
            await self.presenter.save_student(profile.id, profile.row_version, changes)
        except UserFacingError as error:
            if error.code is ErrorKind.CONFLICT_STALE:
                await self.presenter.open_student(profile.id)  # show what is there now
            raise
        self.editor.setVisible(False)
        await self.presenter.open_student(profile.id)
        self.presenter.reload_list()

    @async_slot
    async def toggle_archive(self) -> None:
        detail = self.panel.detail
        if detail is None:
            return
        p = detail.profile
        try:
            await self.presenter.set_active(p.id, p.row_version, not p.is_active)
        finally:
            await self.presenter.open_student(p.id)
        self.presenter.reload_list()

    def _photo_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Student photo"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp)"))
        if path:
            self.set_photo(Path(path))

    @async_slot
    async def set_photo(self, path: Path | None) -> None:
        """Scale the image (off the GUI thread) and store it; None removes the photo."""
        detail = self.panel.detail
        if detail is None:
            return
        photo = None
        if path is not None:
            try:
                photo = await asyncio.to_thread(scaled_photo, path)
            except ValueError as error:
                raise UserFacingError(ErrorKind.INVALID_INPUT) from error
        p = detail.profile
        try:
            await self.presenter.set_photo(p.id, p.row_version, photo)
        finally:
            await self.presenter.open_student(p.id)

    @async_slot
    async def link_parent(self, contact: str, relationship: str) -> None:
        detail = self.panel.detail
        if detail is None:
            return
        phone = normalise_phone(contact) if "@" not in contact else None
        email = contact if "@" in contact else None
        matches = await self.presenter.find_duplicates([phone or ""], [email or ""])
        if len(matches) != 1:
            raise UserFacingError(ErrorKind.NOT_FOUND)
        await self.presenter.link_parent(detail.profile.id, matches[0].id, relationship)
        self.panel.link_bar.contact.clear()
        await self.presenter.open_student(detail.profile.id)

    @async_slot
    async def unlink_parent(self) -> None:
        detail, parent_id = self.panel.detail, self.panel.selected_parent()
        if detail is None or parent_id is None:
            return
        await self.presenter.unlink_parent(detail.profile.id, parent_id)  # type: ignore[arg-type]
        await self.presenter.open_student(detail.profile.id)

    # -- families and export ----------------------------------------------------------------------
    def open_new_family(self) -> NewFamilyDialog:
        locations = getattr(self, "_locations", None) or [
            Choice(loc.location_id, loc.name) for loc in self.context.identity.locations]
        dialog = NewFamilyDialog(self.presenter, locations, self.context.location_id, self)
        dialog.family_saved.connect(self._family_saved)
        dialog.open()
        return dialog

    def _family_saved(self, child_ids: tuple[UUID, ...]) -> None:
        self.presenter.reload_list()
        if child_ids:
            self.presenter.open_student(child_ids[0])

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export students"), "students.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> int:
        """Write the rows the list holds now (all loaded pages, or the search result)."""
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([self.model.headerData(c, Qt.Orientation.Horizontal)
                             for c in range(len(COLUMNS))])
            for row in range(self.model.rowCount()):
                writer.writerow([_csv_safe(self.model.text_at(row, c))
                                 for c in range(len(COLUMNS))])
        self.status.setText(self.tr("Exported %n row(s).", "", self.model.rowCount()))
        return self.model.rowCount()


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (=, +, -, @ at the start of a cell)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


STUDENTS = WorkspaceSpec(
    key="students", title="Students", icon="students",
    kinds=frozenset({PersonKind.FRONT_DESK, PersonKind.PROGRAM_ADMIN, PersonKind.SUPER_ADMIN}),
    factory=StudentsWorkspace, order=30)
