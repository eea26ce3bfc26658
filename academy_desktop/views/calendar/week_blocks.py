"""One session's block in the week view: program colour (faded when cancelled), title,
time and seats (start time only when the column is narrow), level, instructor, a red
dot when full. A function of its inputs so the view, its PDF and tests paint alike."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from academy_desktop.domain.schedule import WeekSession
from academy_desktop.models.week import WeekModel, program_color


def paint_block(
    p: QPainter,
    model: WeekModel,
    s: WeekSession,
    rect: QRectF,
    fonts: tuple[tuple[QFont, QFontMetrics], ...],
    text: QColor,
    current: bool,
) -> None:
    color = program_color(s)
    fill = QColor(color)
    fill.setAlpha(60 if s.cancelled else 200)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(fill)
    p.drawRoundedRect(rect, 5, 5)
    p.setBrush(color.darker(130))
    p.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
    if current:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(text, 2))
        p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 5, 5)
    ink = QColor("#111827") if fill.lightnessF() > 0.55 or s.cancelled else QColor("#ffffff")
    if s.cancelled:
        ink = text
    inner = rect.adjusted(8, 3, -4, -2)
    line_h = fonts[0][1].height()
    seats = f"{s.booked}/{s.capacity}" + (f" +{s.waiting}" if s.waiting else "")
    start = f"{s.starts_at.astimezone(model.tz):%H:%M}"
    # the widest form that fits: range and seats, start and seats, start alone
    forms = (f"{model.time_range(s)} · {seats}", f"{start} · {seats}", f"{start} {seats}", start)
    when = next((f for f in forms if fonts[1][1].horizontalAdvance(f) <= inner.width()), start)
    lines = (
        s.title,
        when,
        s.level_name or s.program_name,
        s.instructor_name + (" ⇄" if s.substitute_for else ""),
    )
    if inner.height() < 2 * line_h:  # a short class: start time and title on one line
        lines = (f"{start} {s.title}",)
    p.setPen(ink)
    y = inner.top()
    width = int(inner.width())
    for number, content in enumerate(lines):
        if y + line_h > inner.bottom() + 2:
            break
        font, metrics = fonts[0] if number == 0 else fonts[1]
        p.setFont(font)
        p.drawText(
            QPointF(inner.left(), y + metrics.ascent()),
            metrics.elidedText(content, Qt.TextElideMode.ElideRight, width),
        )
        y += line_h
    if s.booked >= s.capacity and not s.cancelled:  # full badge
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#b91c1c"))
        p.drawEllipse(QPointF(rect.right() - 7, rect.top() + 7), 4, 4)
