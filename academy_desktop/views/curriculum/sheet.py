"""The poolside sheet: one level (lessons, rubric with what each star means, equipment)
rendered to PDF so an instructor can print it or keep it on a tablet."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from academy_desktop.domain.curriculum import LevelSheet


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


def write_pdf(sheet: LevelSheet, path: Path) -> None:
    """Render ``sheet`` to an A4 PDF at ``path``."""
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{sheet.curriculum_name} — {sheet.level.name}")
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
    doc.setHtml(sheet_html(sheet))
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
