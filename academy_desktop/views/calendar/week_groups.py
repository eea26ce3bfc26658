"""Crowded days of the week view, summarised. A busy location runs dozens of classes at
once (the large demo: 35 side by side on a weekday afternoon); as separate blocks they
become coloured slivers nobody can read. When a day needs more side-by-side lanes than
its column can show legibly, its sessions are drawn as one block per starting hour
(the hour's full width and height):
"14 classes · 16:00", "98/140 booked · 3 full", the program mix, their colours as a
strip. Hovering lists the classes; clicking offers them to open (WeekView)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from academy_desktop.models.week import WeekModel, program_color, tr

#: narrowest lane that still shows a title (px); below it a day is summarised
MIN_LANE_PX = 48


@dataclass
class Group:
    """Sessions of one day starting in the same hour, drawn as one block over that hour
    (the text gives the real span: they may run on past it)."""

    day: int
    start_min: int
    end_min: int
    rows: list[int] = field(default_factory=list)

    def slot(self) -> tuple[int, int, int, int, int]:
        """(day, start, end, lane, lanes) of the block: its starting hour, full width."""
        hour = self.start_min // 60 * 60
        return self.day, hour, hour + 60, 0, 1


def crowded_groups(model: WeekModel, day_width: float) -> tuple[list[Group], dict[int, int]]:
    """(groups, row -> index of its group) for the days too crowded for ``day_width``."""
    fit = max(1, int((day_width - 5) // MIN_LANE_PX))
    by_day: dict[int, list[int]] = {}
    for row in range(model.rowCount()):
        by_day.setdefault(model.placement(row)[0], []).append(row)
    groups: list[Group] = []
    of_row: dict[int, int] = {}
    for day, rows in sorted(by_day.items()):
        if max(model.placement(r)[4] for r in rows) <= fit:
            continue
        hours: dict[int, Group] = {}
        for r in rows:
            _, start, end, _, _ = model.placement(r)
            g = hours.setdefault(start // 60, Group(day, start, end))
            g.start_min, g.end_min = min(g.start_min, start), max(g.end_min, end)
            g.rows.append(r)
        for hour in sorted(hours):  # one full-width block per hour: they never overlap
            of_row.update({r: len(groups) for r in hours[hour].rows})
            groups.append(hours[hour])
    return groups, of_row


def summary_lines(model: WeekModel, g: Group) -> list[str]:
    live = [model.session(r) for r in g.rows if not model.session(r).cancelled]
    booked, seats = sum(s.booked for s in live), sum(s.capacity for s in live)
    full = sum(1 for s in live if s.booked >= s.capacity)
    waiting = sum(s.waiting for s in live)
    start = _hhmm(g.start_min)
    programs: dict[str, int] = {}
    for s in live:
        programs[s.program_name or s.title] = programs.get(s.program_name or s.title, 0) + 1
    seats_line = [tr("%1/%2 booked").replace("%1", str(booked)).replace("%2", str(seats))]
    if full:
        seats_line.append(tr("%n full").replace("%n", str(full)))
    if waiting:
        seats_line.append(tr("+%n waiting").replace("%n", str(waiting)))
    mix = sorted(programs.items(), key=lambda x: -x[1])
    lines = [
        tr("%n classes").replace("%n", str(len(g.rows))) + f" · {start}",
        " · ".join(seats_line),
        " · ".join(f"{name} {count}" for name, count in mix),
    ]
    return lines


def group_tooltip(model: WeekModel, g: Group, limit: int = 18) -> str:
    head = " · ".join([*summary_lines(model, g)[:2], f"{_hhmm(g.start_min)}–{_hhmm(g.end_min)}"])
    items = []
    for r in g.rows[:limit]:
        s = model.session(r)
        seats = f"{s.booked}/{s.capacity}" + (f" +{s.waiting}" if s.waiting else "")
        state = " — " + tr("Cancelled") if s.cancelled else ""
        items.append(
            f"{model.local(s.starts_at):%H:%M} {_esc(s.title)} · {_esc(s.instructor_name)}"
            f" · {seats}{state}"
        )
    more = len(g.rows) - limit
    if more > 0:
        items.append(tr("and %n more; click to choose").replace("%n", str(more)))
    return f"<b>{_esc(head)}</b><br>" + "<br>".join(items)


def menu_label(model: WeekModel, row: int) -> str:
    s = model.session(row)
    seats = f"{s.booked}/{s.capacity}" + (f" +{s.waiting}" if s.waiting else "")
    return f"{model.time_range(s)}  {s.title} · {s.instructor_name} · {seats}"


def paint_group(
    p: QPainter,
    model: WeekModel,
    g: Group,
    rect: QRectF,
    fonts: tuple[tuple[QFont, QFontMetrics], ...],
    text: QColor,
    current: bool,
) -> None:
    """A light card with a strip of the programs' colours (in proportion) on the left."""
    fill = QColor(text)
    fill.setAlpha(16)
    p.setPen(QPen(QColor(text.red(), text.green(), text.blue(), 60), 1))
    p.setBrush(fill)
    p.drawRoundedRect(rect, 5, 5)
    counts: dict[str, tuple[QColor, int]] = {}
    for r in g.rows:
        color = program_color(model.session(r))
        old = counts.get(color.name(), (color, 0))
        counts[color.name()] = (color, old[1] + 1)
    y, total = rect.top(), len(g.rows)
    p.setPen(Qt.PenStyle.NoPen)
    for color, n in counts.values():
        h = rect.height() * n / total
        p.setBrush(color)
        p.drawRect(QRectF(rect.left(), y, 5, h))
        y += h
    if current:
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(text, 2))
        p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 5, 5)
    inner = rect.adjusted(10, 3, -4, -2)
    p.setPen(text)
    line_y = inner.top()
    for number, content in enumerate(summary_lines(model, g)):
        font, metrics = fonts[0] if number == 0 else fonts[1]
        if line_y + metrics.height() > inner.bottom() + 2:
            break
        p.setFont(font)
        p.drawText(
            QPointF(inner.left(), line_y + metrics.ascent()),
            metrics.elidedText(content, Qt.TextElideMode.ElideRight, int(inner.width())),
        )
        line_y += metrics.height()


def _hhmm(minute: int) -> str:
    return f"{minute // 60 % 24:02d}:{minute % 60:02d}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
