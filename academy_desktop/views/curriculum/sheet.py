"""The poolside sheet: one level (lessons, rubric with what each star means, equipment)
rendered to PDF so an instructor can print it or keep it on a tablet."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import CurriculumNode, LevelSheet, NodeKind
from academy_desktop.ui.aio import spawn

if TYPE_CHECKING:
    from academy_desktop.views.curriculum.view import CurriculumWorkspace


def _tr(text: str) -> str:
    return QCoreApplication.translate("curriculum", text)


def _e(text: object) -> str:
    return html.escape(str(text))


def sheet_html(sheet: LevelSheet) -> str:
    parts = [
        f"<h1>{_e(sheet.level.name)}</h1>",
        f"<p style='color:#555'>{_e(sheet.curriculum_name)}</p>",
    ]
    parts.append(f"<h2>{_e(_tr('Lessons'))}</h2>")
    if sheet.lessons:
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
        parts.append(
            "<tr>"
            + "".join(
                f"<th align='left'>{_e(_tr(h))}</th>"
                for h in ("Module", "Section", "Lesson", "Minutes")
            )
            + "</tr>"
        )
        for module, section, lesson, minutes in sheet.lessons:
            parts.append(
                f"<tr><td>{_e(module)}</td><td>{_e(section)}</td><td>{_e(lesson)}</td>"
                f"<td>{_e(minutes or '')}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{_e(_tr('No lessons yet.'))}</p>")
    rubric = sheet.rubric
    title = _tr("Assessment rubric")
    if rubric is not None and rubric.id is not None:
        title += " · " + _tr("version %d") % rubric.version
    parts.append(f"<h2>{_e(title)}</h2>")
    if rubric is not None and rubric.criteria:
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
        stars = ["☆☆☆", "★☆☆", "★★☆", "★★★"]
        parts.append(
            f"<tr><th align='left'>{_e(_tr('Criterion'))}</th>"
            + "".join(f"<th align='left'>{s}</th>" for s in stars)
            + "</tr>"
        )
        for crit in rubric.criteria:
            parts.append(
                f"<tr><td><b>{_e(crit.name)}</b></td>"
                + "".join(f"<td>{_e(d)}</td>" for d in crit.stars)
                + "</tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{_e(_tr('No rubric yet.'))}</p>")
    parts.append(f"<h2>{_e(_tr('Equipment'))}</h2><ul>")
    for need in sheet.equipment:
        kind = _tr("required") if need.is_required else _tr("optional")
        parts.append(f"<li>{_e(need.quantity)} × {_e(need.name)} ({_e(kind)})</li>")
    if not sheet.equipment:
        parts.append(f"<li>{_e(_tr('Nothing special.'))}</li>")
    parts.append("</ul>")
    return "<html><body style='font-family:sans-serif'>" + "".join(parts) + "</body></html>"


def write_pdf(sheets: LevelSheet | Sequence[LevelSheet], path: Path) -> None:
    """Render one level, or a whole curriculum (one level per page), to an A4 PDF."""
    sheets = (sheets,) if isinstance(sheets, LevelSheet) else tuple(sheets)
    writer = QPdfWriter(str(path))
    title = sheets[0].curriculum_name if sheets else ""
    if len(sheets) == 1:
        title += f" — {sheets[0].level.name}"
    writer.setTitle(title)
    writer.setCreator("Academy Desktop")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(150)
    doc = QTextDocument()
    pages = [
        sheet_html(s)
        .removeprefix("<html><body style='font-family:sans-serif'>")
        .removesuffix("</body></html>")
        for s in sheets
    ]
    breaker = "<p style='page-break-before: always'></p>"
    doc.setHtml(
        "<html><body style='font-family:sans-serif'>" + breaker.join(pages) + "</body></html>"
    )
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)


# -- the workspace's "Print to PDF" -------------------------------------------------------


def print_selected(ws: CurriculumWorkspace) -> None:
    """Save the selected curriculum, or the selected level (or the level above the
    selection), as a PDF."""
    node = ws.current_node()
    while node is not None and node.kind not in (NodeKind.LEVEL, NodeKind.CURRICULUM):
        up = ws.editor.parent_ref(node.ref)
        node = ws.model.node(up) if up is not None and up.kind is not NodeKind.PROGRAM else None
    if node is None:
        ws.show_info(ws.tr("Select a curriculum or a level (or something in it) to print."))
        return
    suggested = str(Path.home() / f"{node.name}.pdf")
    path, _ = QFileDialog.getSaveFileName(
        ws, ws.tr("Save as PDF"), suggested, ws.tr("PDF files (*.pdf)")
    )
    if path:
        spawn(save_pdf(ws, node, Path(path)), ws, "curriculum.pdf")


async def save_pdf(ws: CurriculumWorkspace, node: CurriculumNode, path: Path) -> None:
    node_id = node.id
    if node.kind is NodeKind.CURRICULUM:
        sheets = await ws.context.runner.run(lambda s: q.curriculum_sheets(s, node_id))
    else:
        sheets = (await ws.context.runner.run(lambda s: q.level_sheet(s, node_id)),)
    write_pdf(sheets, path)
    ws.show_info(ws.tr("Saved %s") % path.name)
