"""Out of the app: an instructor's timetable as an iCalendar file (the ``icalendar``
library, UTC times and stable UIDs so re-importing updates rather than duplicates) and
any painted week as a one-page landscape PDF (QPdfWriter)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar, Event
from PySide6.QtCore import QMarginsF, QRect
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from academy_desktop.domain.schedule import WeekSession

PRODID = "-//Academy Desktop//Timetable//EN"


def timetable_ics(
    sessions: Sequence[WeekSession], name: str, location_names: dict | None = None
) -> bytes:
    """RFC 5545 calendar of ``sessions`` (cancelled ones are exported as CANCELLED)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for s in sessions:
        event = Event()
        event.add("uid", f"{s.id}@academy-desktop")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.starts_at.astimezone(UTC))
        event.add("dtend", s.ends_at.astimezone(UTC))
        summary = s.title + (f" ({s.level_name})" if s.level_name else "")
        event.add("summary", summary)
        where = (location_names or {}).get(s.location_id, "")
        if s.room:
            where = f"{where}, {s.room}" if where else s.room
        if where:
            event.add("location", where)
        event.add("description", f"{s.program_name} · {s.booked}/{s.capacity} booked")
        event.add("status", "CANCELLED" if s.cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def write_ics(
    path: str | Path, sessions: Sequence[WeekSession], name: str, location_names: dict | None = None
) -> None:
    Path(path).write_bytes(timetable_ics(sessions, name, location_names))


def write_week_pdf(view: object, path: str, heading: str) -> None:
    """Paint ``view`` (a WeekView) onto an A4 landscape page with a heading."""
    writer = QPdfWriter(path)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
    writer.setTitle(heading)
    writer.setCreator("Academy Desktop")
    painter = QPainter(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    font = QFont(view.font())  # type: ignore[attr-defined]
    font.setPointSize(14)
    font.setBold(True)
    painter.setFont(font)
    title_h = int(writer.resolution() * 0.35)
    painter.drawText(QRect(0, 0, page.width(), title_h), 0, heading)
    # lay the week out at a screen-like size, then scale it onto the page
    width = 1400
    height = view.sizeHint().height() + 40  # type: ignore[attr-defined]
    old = view.size()  # type: ignore[attr-defined]
    old_header = view.header  # type: ignore[attr-defined]
    view.header = 40  # type: ignore[attr-defined]
    view.resize(width, height)  # type: ignore[attr-defined]
    scale = min(page.width() / width, (page.height() - title_h) / height)
    painter.translate(0, title_h)
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.paint_week(painter, QRect(0, 0, width, height))  # type: ignore[attr-defined]
    painter.end()
    view.header = old_header  # type: ignore[attr-defined]
    view.resize(old)  # type: ignore[attr-defined]
