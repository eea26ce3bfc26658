"""Import families from a CSV file: pick the file and the location, see every row in a
preview with the bad cells marked (and why), and import only when nothing is wrong - all
families in one transaction, so a refusal by the server leaves nothing half-imported.

Columns (header row, any order): family, role (parent/child), first_name, last_name,
date_of_birth (YYYY-MM-DD), phone, email, relationship, allergies, medical_notes.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.family_csv import COLUMNS, CsvUnreadable, FamilyImport, parse_families
from academy_desktop.domain.students import Choice
from academy_desktop.domain.validation import normalise_phone
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.students.fields import ERROR_STYLE, issue_text

BAD_CELL = QColor("#f9dedc")
PREVIEW_CELL_CHARS = 80  # a 10,000-character cell is shown cut, in full in its tooltip


class ImportFamiliesDialog(QDialog):
    imported = Signal(int)  # how many families

    def __init__(self, presenter: Any, locations: list[Choice], default_location: UUID | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.result_: FamilyImport | None = None
        self.problems: dict[tuple[int, str], list[str]] = {}
        self.text = ""
        self.setWindowTitle(self.tr("Import families from CSV"))
        self.resize(980, 600)
        self.location = QComboBox(self)
        self.location.setAccessibleName(self.tr("Location"))
        for choice in locations:
            self.location.addItem(choice.name, str(choice.id))
        if default_location is not None:
            self.location.setCurrentIndex(max(0, self.location.findData(str(default_location))))
        self.choose_button = QPushButton(self.tr("&Choose file…"), self)
        self.file_label = QLabel(self.tr("One row per person; rows with the same “family” "
                                         "make one family."), self)
        self.file_label.setProperty("muted", True)
        self.table = QTableWidget(0, len(COLUMNS) + 1, self)
        self.table.setHorizontalHeaderLabels(["#", *COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Preview"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.import_button = QPushButton(self.tr("&Import"), self)
        self.import_button.setProperty("primary", True)
        self.import_button.setEnabled(False)
        cancel = QPushButton(self.tr("Cancel"), self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Location"), self))
        top.addWidget(self.location)
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(cancel)
        bottom.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.choose_button.clicked.connect(self._choose)
        self.location.currentIndexChanged.connect(lambda _i: self.preview(self.text))
        self.import_button.clicked.connect(self.do_import)
        cancel.clicked.connect(self.reject)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import families"), "",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.load_file(Path(path))

    @async_slot
    async def load_file(self, path: Path) -> None:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
        self.file_label.setText(path.name)
        await self.preview(text)

    @async_slot
    async def preview(self, text: str) -> FamilyImport | None:
        """Parse, validate and look for parents already on file; fill the preview."""
        self.text, self.result_, self.problems = text, None, {}
        self.import_button.setEnabled(False)
        if not text:
            return None
        location = self.location.currentData()
        try:
            found = parse_families(text, UUID(location) if location else None, date.today())
        except CsvUnreadable as error:
            self._fill([], error_text=self._unreadable(error))
            return None
        for issue in found.issues:
            self.problems.setdefault((issue.line, issue.column), []).append(
                issue_text(issue.issue))
        await self._mark_duplicates(found)
        self.result_ = found
        self._fill(list(found.rows))
        return found

    async def _mark_duplicates(self, found: FamilyImport) -> None:
        phones, emails = found.contacts()
        if not (phones or emails):
            return
        existing = await self.presenter.find_duplicates(phones, emails)
        taken = {x for row in existing for x in (row.phone, (row.email or "").lower()) if x}
        for row in found.rows:
            if row.role != "parent":
                continue
            for column, value in (("phone", normalise_phone(row.values.get("phone", ""))),
                                  ("email", row.values.get("email", "").strip().lower())):
                if value and value in taken:
                    self.problems.setdefault((row.line, column), []).append(self.tr(
                        "Already on file: add this family with “New family” to link the "
                        "parent."))

    def _unreadable(self, error: CsvUnreadable) -> str:
        texts = {"columns": self.tr("The header row must name the columns %1; "
                                    "missing or unknown: %2"),
                 "cells": self.tr("Line %2 has a different number of cells than the header."),
                 "quoting": self.tr("The file is not valid CSV (quotes) near line %2."),
                 "too_many": self.tr("Too many rows: at most %2 per import.")}
        return texts[error.reason].replace("%1", ", ".join(COLUMNS)).replace("%2", error.detail)

    def _fill(self, rows: list[Any], error_text: str = "") -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(str(row.line)))
            for c, column in enumerate(COLUMNS, start=1):
                value = row.values.get(column, "")
                shown = value if len(value) <= PREVIEW_CELL_CHARS else \
                    value[:PREVIEW_CELL_CHARS] + "…"
                item = QTableWidgetItem(shown)
                why = self.problems.get((row.line, column))
                if why:
                    item.setBackground(QBrush(BAD_CELL))
                    item.setToolTip("\n".join(why))
                elif len(value) > PREVIEW_CELL_CHARS:
                    item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        bad_lines = sorted({line for line, _col in self.problems})
        if error_text:
            text = error_text
        elif bad_lines:
            text = self.tr("%1 row(s) have problems (marked; hover for why): nothing will be "
                           "imported until they are fixed. Lines: %2").replace(
                "%1", str(len(bad_lines))).replace("%2", ", ".join(map(str, bad_lines[:20])))
        elif self.result_ is not None:
            people = sum(len(f.parents) + len(f.children) for f in self.result_.families)
            text = self.tr("Ready: %1 families, %2 people.").replace(
                "%1", str(len(self.result_.families))).replace("%2", str(people))
        else:
            text = ""
        ok = not error_text and not bad_lines and self.result_ is not None and self.result_.ok
        self.status.setStyleSheet("" if ok else ERROR_STYLE + " font-size: 12px;")
        self.status.setText(text)
        self.import_button.setEnabled(ok)

    def problem_cells(self) -> dict[tuple[int, str], list[str]]:
        """(CSV line, column) -> why it is refused (what the preview marks)."""
        return dict(self.problems)

    @async_slot
    async def do_import(self) -> int:
        found = self.result_
        if found is None or not found.ok or self.problems:
            return 0
        self.import_button.setEnabled(False)
        try:
            count = await self.presenter.import_families(list(found.families))
        except BaseException:
            self.status.setStyleSheet(ERROR_STYLE + " font-size: 12px;")
            self.status.setText(self.tr("The server refused the import: nothing was saved."))
            self.import_button.setEnabled(True)
            raise
        self.imported.emit(count)
        self.accept()
        return count
