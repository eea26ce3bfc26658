"""The painted week: days across, hours down, sessions as coloured blocks read from a
``WeekModel``. Custom-painted because a week grid with side-by-side overlaps, shaded
availability and a "now" line is not a table. Keyboard first: arrows move between
sessions (left/right to the nearest one on the neighbouring day), Enter opens one."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from academy_desktop.models.week import WeekModel
from academy_desktop.views.calendar.week_blocks import paint_block
from academy_desktop.views.calendar.week_groups import (
    Group,
    crowded_groups,
    group_tooltip,
    menu_label,
    paint_group,
)

GUTTER = 52
HEADER = 40
HOUR = 52
FIRST_HOUR, LAST_HOUR = 7, 21  # widened to fit every session of the week


class WeekView(QWidget):
    """Emits ``activated(row)`` on Enter/double-click; ``current_changed(row)``."""

    activated = Signal(int)
    current_changed = Signal(int)

    def __init__(self, model: WeekModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.current = -1
        self.now: datetime | None = None  # tests may pin "now"
        self.first_hour, self.last_hour = FIRST_HOUR, LAST_HOUR
        self.header = HEADER  # 0 when a WeekHeader above the scroll area draws the days
        self._fonts: dict[tuple[str, bool], tuple[tuple[QFont, QFontMetrics], ...]] = {}
        self._crowd: tuple[float, list[Group], dict[int, int]] | None = None
        self._menu: QMenu | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Week calendar"))
        model.modelReset.connect(self._on_reset)

    # -- geometry ----------------------------------------------------------------------------
    def _on_reset(self) -> None:
        first, last = FIRST_HOUR, LAST_HOUR
        for row in range(self.model.rowCount()):
            first = min(first, self.model.placement(row)[1] // 60)
            last = max(last, -(-self.model.placement(row)[2] // 60))
        self.first_hour, self.last_hour = first, min(last, 24)
        self._crowd = None
        self.current = min(self.current, self.model.rowCount() - 1)
        self.setMinimumHeight(self.header + (self.last_hour - self.first_hour) * HOUR + 16)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, self.header + (self.last_hour - self.first_hour) * HOUR + 16)

    def _day_width(self) -> float:
        return max(40.0, (self.width() - GUTTER - 1) / 7)

    def _y(self, minute: int) -> float:
        top = self.header or 8  # under a WeekHeader: room for the first hour's label
        return top + (minute - self.first_hour * 60) * HOUR / 60

    def crowd(self) -> tuple[list[Group], dict[int, int]]:
        """Summary blocks of days too crowded for the current column width (cached)."""
        width = self._day_width()
        if self._crowd is None or self._crowd[0] != width:
            self._crowd = (width, *crowded_groups(self.model, width))
        return self._crowd[1], self._crowd[2]

    def group_of(self, row: int) -> Group | None:
        groups, of_row = self.crowd()
        index = of_row.get(row)
        return None if index is None else groups[index]

    def block_rect(self, row: int) -> QRectF:
        """Where ``row`` is drawn: its own block, or the summary block it is part of."""
        group = self.group_of(row)
        if group is not None:
            return self._rect(*group.slot())
        return self._rect(*self.model.placement(row))

    def _rect(self, day: int, start_min: int, end_min: int, lane: int, lanes: int) -> QRectF:
        width = self._day_width()
        x0 = GUTTER + day * width + 2
        lane_w = (width - 5) / lanes
        top = self._y(start_min)
        bottom = self._y(end_min)
        return QRectF(x0 + lane * lane_w, top + 1, lane_w - 2, max(bottom - top - 2, 14))

    def row_at(self, point: QPointF) -> int:
        for row in reversed(range(self.model.rowCount())):
            if self.block_rect(row).contains(point):
                return row
        return -1

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint_week(painter, QRect(0, 0, self.width(), self.height()), event.rect())
        painter.end()

    def paint_week(self, p: QPainter, area: QRect, clip: QRect | None = None) -> None:
        """Paint into ``area`` (the widget, or a PDF page scaled to this widget's size)."""
        pal = self.palette()
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        grid = QColor(text)
        grid.setAlpha(28)
        p.fillRect(area, base)
        width = self._day_width()
        bottom = self._y(self.last_hour * 60)
        now = self.now or datetime.now(self.model.tz)
        today = now.astimezone(self.model.tz).date()
        # availability shading (weekday windows), then today's column
        shade = QColor("#22c55e")
        shade.setAlpha(26)
        off = QColor(text)
        off.setAlpha(14)
        for w in self.model.availability:
            x = GUTTER + (w.weekday - 1) * width
            top = self._y(w.start.hour * 60 + w.start.minute)
            end = self._y(w.end.hour * 60 + w.end.minute)
            p.fillRect(QRectF(x, top, width, end - top), shade if w.available else off)
        for day in range(7):
            if self.model.day_date(day) == today:
                tint = QColor(pal.color(QPalette.ColorRole.Highlight))
                tint.setAlpha(18)
                p.fillRect(
                    QRectF(GUTTER + day * width, self.header, width, bottom - self.header), tint
                )
        # hour lines and labels
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        p.setFont(small)
        for hour in range(self.first_hour, self.last_hour + 1):
            y = self._y(hour * 60)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(GUTTER, y), QPointF(GUTTER + 7 * width, y))
            if hour < self.last_hour:
                p.setPen(muted)
                p.drawText(
                    QRectF(0, y - 2, GUTTER - 8, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    f"{hour:02d}:00",
                )
        for day in range(8):
            x = GUTTER + day * width
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(x, max(0, self.header - 6)), QPointF(x, bottom))
        if self.header:
            self._paint_header(p, width, today, text, muted)
        groups, of_row = self.crowd()
        for row in range(self.model.rowCount()):
            if row not in of_row:
                self._paint_block(p, row, text)
        for g in groups:
            rect = self._rect(*g.slot())
            paint_group(p, self.model, g, rect, self._block_fonts(False), text,
                        self.current in g.rows)
        # the now line
        if self.model.monday <= today < self.model.day_date(7):
            local = now.astimezone(self.model.tz)
            minute = local.hour * 60 + local.minute
            if self.first_hour * 60 <= minute <= self.last_hour * 60:
                day = (today - self.model.monday).days
                y = self._y(minute)
                p.setPen(QPen(QColor("#e11d48"), 2))
                p.drawLine(QPointF(GUTTER + day * width, y), QPointF(GUTTER + (day + 1) * width, y))
                p.setBrush(QColor("#e11d48"))
                p.drawEllipse(QPointF(GUTTER + day * width, y), 4, 4)

    def paint_day_header(self, p: QPainter) -> None:
        """The day names alone (for ``WeekHeader``), aligned with this view's columns."""
        pal = self.palette()
        now = self.now or datetime.now(self.model.tz)
        self._paint_header(
            p,
            self._day_width(),
            now.astimezone(self.model.tz).date(),
            pal.color(QPalette.ColorRole.Text),
            pal.color(QPalette.ColorRole.PlaceholderText),
        )

    def _paint_header(
        self, p: QPainter, width: float, today: date, text: QColor, muted: QColor
    ) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for day in range(7):
            d = self.model.day_date(day)
            rect = QRectF(GUTTER + day * width, 4, width, HEADER - 10)
            if d == today:
                pill = QColor(self.palette().color(QPalette.ColorRole.Highlight))
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(pill)
                p.drawRoundedRect(rect.adjusted(6, 2, -6, 0), 6, 6)
                p.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
            else:
                p.setPen(text)
            p.setFont(bold)
            label = self.locale().toString(d, "ddd d MMM")
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_block(self, p: QPainter, row: int, text: QColor) -> None:
        s = self.model.session(row)
        fonts = self._block_fonts(s.cancelled)
        paint_block(p, self.model, s, self.block_rect(row), fonts, text, row == self.current)

    def _block_fonts(self, struck: bool) -> tuple[tuple[QFont, QFontMetrics], ...]:
        """(bold, regular) fonts with metrics for block text, built once per font."""
        key = (self.font().key(), struck)
        cached = self._fonts.get(key)
        if cached is None:
            out = []
            for bold in (True, False):
                font = QFont(self.font())
                font.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
                font.setBold(bold)
                font.setStrikeOut(struck)
                out.append((font, QFontMetrics(font)))
            cached = self._fonts[key] = tuple(out)
        return cached

    # -- interaction -------------------------------------------------------------------------
    def set_current(self, row: int) -> None:
        if row != self.current:
            self.current = row
            self.update()
            self.current_changed.emit(row)
            if row >= 0:
                s = self.model.session(row)
                self.setAccessibleDescription(f"{s.title}, {self.model.time_range(s)}")

    def current_index(self) -> QModelIndex:
        return self.model.index(self.current) if self.current >= 0 else QModelIndex()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        count = self.model.rowCount()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current >= 0:
            self.activated.emit(self.current)
            return
        if count == 0 or key not in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        ):
            super().keyPressEvent(event)
            return
        if self.current < 0 or key == Qt.Key.Key_Home:
            self.set_current(0)
        elif key == Qt.Key.Key_End:
            self.set_current(count - 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):  # rows are sorted by start time
            self.set_current(self._step_in_day(1 if key == Qt.Key.Key_Down else -1))
        else:
            self.set_current(self._nearest_on_day(1 if key == Qt.Key.Key_Right else -1))
        self._show_current_tip()

    def _step_in_day(self, step: int) -> int:
        day = self.model.placement(self.current)[0]
        row = self.current + step
        if 0 <= row < self.model.rowCount() and self.model.placement(row)[0] == day:
            return row
        return max(0, min(self.model.rowCount() - 1, row))

    def _nearest_on_day(self, direction: int) -> int:
        here = self.model.placement(self.current)
        day, minute = here[0], here[1]
        days = sorted({self.model.placement(r)[0] for r in range(self.model.rowCount())})
        later = [d for d in days if (d - day) * direction > 0]
        if not later:
            return self.current
        target = min(later, key=lambda d: abs(d - day))
        rows = [r for r in range(self.model.rowCount()) if self.model.placement(r)[0] == target]
        return min(rows, key=lambda r: abs(self.model.placement(r)[1] - minute))

    def _show_current_tip(self) -> None:
        if self.current >= 0 and self.isVisible():
            rect = self.block_rect(self.current).toRect()
            QToolTip.showText(
                self.mapToGlobal(rect.bottomLeft()),
                self.model.tooltip(self.model.session(self.current)),
                self,
            )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        row = self.row_at(event.position())
        self.set_current(row)
        group = self.group_of(row) if row >= 0 else None
        if group is not None:
            self.choose_from(group, event.globalPosition().toPoint())

    def choose_from(self, group: Group, where: QPoint) -> QMenu:
        """The classes of a summary block, to open one (non-blocking menu)."""
        if self._menu is not None:
            self._menu.deleteLater()
        menu = self._menu = QMenu(self)
        for row in group.rows:
            action = menu.addAction(menu_label(self.model, row))
            action.setData(row)
        menu.triggered.connect(lambda action: self._open_row(int(action.data())))
        menu.popup(where)
        return menu

    def _open_row(self, row: int) -> None:
        self.set_current(row)
        self.activated.emit(row)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position())
        if row >= 0 and self.group_of(row) is None:
            self.set_current(row)
            self.activated.emit(row)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(QPointF(event.pos()))
            if row >= 0:
                group = self.group_of(row)
                QToolTip.showText(
                    event.globalPos(),
                    group_tooltip(self.model, group)
                    if group is not None
                    else self.model.tooltip(self.model.session(row)),
                    self,
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class WeekHeader(QWidget):
    """Day names that stay put while the hours scroll underneath."""

    def __init__(self, view: WeekView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        view.header = 0
        self.setFixedHeight(HEADER)
        view.model.modelReset.connect(self.update)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.view.palette().color(QPalette.ColorRole.Base))
        self.view.paint_day_header(p)
        p.end()
