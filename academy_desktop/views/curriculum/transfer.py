"""Export a curriculum to a JSON file, and import one under a course after a preview.
The import runs in one transaction: if the database refuses any part, nothing stays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtWidgets import QFileDialog, QMessageBox

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import (
    CurriculumFileError,
    ImportPreview,
    NodeKind,
    NodeRef,
    preview_curriculum_file,
)
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.ui.aio import spawn

if TYPE_CHECKING:
    from academy_desktop.views.curriculum.view import CurriculumWorkspace


def export_selected(ws: CurriculumWorkspace) -> None:
    node = ws.current_node()
    if node is None or node.kind is not NodeKind.CURRICULUM:
        ws.show_info(ws.tr("Select a curriculum to export."))
        return
    path, _ = QFileDialog.getSaveFileName(
        ws,
        ws.tr("Export curriculum"),
        str(Path.home() / f"{node.name}.json"),
        ws.tr("Curriculum files (*.json)"),
    )
    if path:
        spawn(save_export(ws, node.id, Path(path)), ws, "curriculum.export")


async def save_export(ws: CurriculumWorkspace, curriculum_id: UUID, path: Path) -> None:
    doc = await ws.context.runner.run(lambda s: q.export_curriculum(s, curriculum_id))
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    ws.show_info(ws.tr("Exported to %s") % path.name)


def import_into_selected(ws: CurriculumWorkspace) -> None:
    node = ws.current_node()
    if node is None or node.kind is not NodeKind.COURSE or not ws.model.can_edit(node):
        ws.show_info(ws.tr("Select a course you manage to import a curriculum into."))
        return
    path, _ = QFileDialog.getOpenFileName(
        ws, ws.tr("Import curriculum"), str(Path.home()), ws.tr("Curriculum files (*.json)")
    )
    if path:
        ask_import(ws, node.ref, Path(path))


def read_file(path: Path) -> tuple[dict[str, Any], ImportPreview]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return doc, preview_curriculum_file(doc)
    except (OSError, ValueError) as exc:  # JSONDecodeError and CurriculumFileError are ValueErrors
        detail = str(exc) if isinstance(exc, CurriculumFileError) else type(exc).__name__
        raise UserFacingError("invalid_input", "curriculum_import_invalid", detail=detail) from exc


def ask_import(ws: CurriculumWorkspace, course: NodeRef, path: Path) -> QMessageBox | None:
    """Show what the file holds; import on "Import". Returns the (non-modal) box."""
    try:
        doc, preview = read_file(path)
    except UserFacingError as error:
        ws.report_error(error)
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question,
        ws.tr("Import curriculum"),
        ws.tr("Import “%s” into this course?") % preview.name,
        parent=ws,
    )
    box.setInformativeText(
        ws.tr(
            "%d levels, %d modules, %d sections, %d lessons, %d rubric criteria, "
            "%d equipment items. Nothing is imported if any part is refused."
        )
        % (
            preview.levels,
            preview.modules,
            preview.sections,
            preview.lessons,
            preview.criteria,
            preview.equipment,
        )
    )
    ok = box.addButton(ws.tr("Import"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)

    def finished() -> None:
        if box.clickedButton() is ok:
            spawn(run_import(ws, course, doc), ws, "curriculum.import")

    box.finished.connect(finished)
    box.open()
    return box


async def run_import(ws: CurriculumWorkspace, course: NodeRef, doc: dict[str, Any]) -> None:
    new_id = await ws.context.runner.run(lambda s: q.import_curriculum(s, course.id, doc))
    await ws.editor._load(course)
    ws.select(NodeRef(NodeKind.CURRICULUM, new_id))
    ws.show_info(ws.tr("Imported “%s”.") % doc["curriculum"]["name"])
