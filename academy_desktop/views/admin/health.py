"""Database health: the numbers a super admin checks when the desks feel slow.

Cards for connections (warn at 80% of ``max_connections``), slow queries (> 1 s),
locks and deadlocks, database size and replication, each coloured by its threshold,
plus the largest tables with their index sizes. F5 refreshes; nothing refreshes on its
own, so the screen never adds load of its own to a struggling server.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import health as queries
from academy_desktop.db.queries.health import HealthReport, Level
from academy_desktop.domain.identity import PersonKind
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

COLOURS = {Level.OK: "#2e7d32", Level.WARN: "#c62828", Level.UNKNOWN: "#757575"}


def human_bytes(value: int | None) -> str:
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


class MetricCard(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title, self)
        self.title.setObjectName("cardLabel")
        self.value = QLabel("…", self)
        self.value.setObjectName("cardValue")
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setProperty("muted", True)
        self.level = Level.UNKNOWN
        column = QVBoxLayout(self)
        for widget in (self.value, self.title, self.detail):
            column.addWidget(widget)
        self.setAccessibleName(title)

    def show_value(self, value: str, level: Level, detail: str = "") -> None:
        self.level = level
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {COLOURS[level]};")
        self.detail.setText(detail)

    def reset(self) -> None:
        self.show_value("…", Level.UNKNOWN)


class HealthWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext) -> None:
        super().__init__(context)
        self.report: HealthReport | None = None
        self.cards = {key: MetricCard(title, self) for key, title in (
            ("connections", self.tr("Connections")), ("slow", self.tr("Slow queries (> 1 s)")),
            ("locks", self.tr("Lock waits / deadlocks")), ("size", self.tr("Database size")),
            ("replication", self.tr("Replication")))}
        grid = QGridLayout()
        for index, card in enumerate(self.cards.values()):
            grid.addWidget(card, 0, index)
        self.server = QLabel(self)
        self.server.setProperty("muted", True)
        self.slow_model = QStandardItemModel(0, 4, self)
        self.slow_model.setHorizontalHeaderLabels(
            [self.tr("Mean (ms)"), self.tr("Calls"), self.tr("Total (s)"), self.tr("Query")])
        self.sizes_model = QStandardItemModel(0, 4, self)
        self.sizes_model.setHorizontalHeaderLabels(
            [self.tr("Table"), self.tr("Rows (est.)"), self.tr("Table size"),
             self.tr("Index size")])
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._table(self.sizes_model, self.tr("Largest tables"), (1, 2, 3)))
        self.slow_title = QLabel(self)
        self.slow_title.setObjectName("sectionTitle")
        slow_box = QWidget(self)
        slow_column = QVBoxLayout(slow_box)
        slow_column.setContentsMargins(0, 8, 0, 0)
        slow_column.addWidget(self.slow_title)
        slow_column.addWidget(self._table(self.slow_model, self.tr("Statements"), ()))
        splitter.addWidget(slow_box)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        title_row = QHBoxLayout()
        title = QLabel(self.tr("Database health"), self)
        title.setObjectName("pageTitle")
        title_row.addWidget(title)
        title_row.addStretch(1)
        title_row.addWidget(self.server)
        column.addLayout(title_row)
        column.addLayout(grid)
        column.addWidget(splitter, 1)

    def _table(self, model: QStandardItemModel, name: str,
               fixed: tuple[int, ...]) -> QTableView:
        table = QTableView(self)
        table.setAccessibleName(name)
        table.setModel(model)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setStretchLastSection(not fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch if fixed
                                    else QHeaderView.ResizeMode.Interactive)
        for column in fixed:
            table.setColumnWidth(column, 130)
        if not fixed:
            for column in (0, 1, 2):
                table.setColumnWidth(column, 90)
        return table

    async def reload(self) -> None:
        for card in self.cards.values():
            card.reset()
        self.report = await self.context.runner.run(queries.fetch_health)
        self._show(self.report)
        await super().reload()

    def _show(self, r: HealthReport) -> None:
        self.server.setText(self.tr("PostgreSQL %s%s") % (
            r.server_version, self.tr(" (replica)") if r.is_replica else ""))
        if r.connections is not None and r.max_connections:
            percent = round(100 * r.connections / r.max_connections)
            self.cards["connections"].show_value(
                f"{r.connections} / {r.max_connections}", r.connections_level,
                self.tr("%1% in use; warning at 80%").replace("%1", str(percent)))
        else:
            self.cards["connections"].show_value("—", Level.UNKNOWN, self.tr("not readable"))
        source = self.tr("from pg_stat_statements (mean time)") \
            if r.slow_source == "pg_stat_statements" else \
            self.tr("running now") + ("" if r.sees_all_sessions else self.tr(
                "; only your own sessions (grant pg_read_all_stats to see all)"))
        count = "—" if r.slow_queries is None else str(len(r.slow_queries))
        self.cards["slow"].show_value(count, r.slow_level, source)
        self.cards["locks"].show_value(
            f"{_dash(r.lock_waits)} / {_dash(r.deadlocks)}", r.locks_level,
            self.tr("waiting now / deadlocks since statistics reset"))
        self.cards["size"].show_value(human_bytes(r.database_bytes),
                                      Level.OK if r.database_bytes is not None
                                      else Level.UNKNOWN, self.tr("disk used by this database"))
        self._show_replication(r)
        self._fill(self.sizes_model, [
            (rel.name, f"{rel.rows_estimate:,}", human_bytes(rel.table_bytes),
             human_bytes(rel.index_bytes)) for rel in r.relations or ()], (1, 2, 3))
        self._show_statements(r)

    def _show_statements(self, r: HealthReport) -> None:
        """The most expensive statements where pg_stat_statements answers, else the
        statements running for more than a second now."""
        shown = r.top_statements if r.top_statements is not None else r.slow_queries
        self.slow_title.setText(
            self.tr("Most expensive statements (total time, pg_stat_statements)")
            if r.top_statements is not None else self.tr("Statements running over 1 s"))
        self._fill(self.slow_model, [
            (f"{q.seconds * 1000:,.1f}", "—" if q.calls is None else f"{q.calls:,}",
             "—" if q.total_seconds is None else f"{q.total_seconds:.2f}", q.query)
            for q in shown or ()], (0, 1, 2))

    def _show_replication(self, r: HealthReport) -> None:
        card = self.cards["replication"]
        if r.replicas is None:
            card.show_value("—", Level.UNKNOWN, self.tr("not readable"))
        elif not r.replicas:
            card.show_value(self.tr("none"), Level.OK, self.tr("no streaming replicas"))
        else:
            lags = [x.lag_seconds for x in r.replicas if x.lag_seconds is not None]
            worst = f"{max(lags):.1f} s" if lags else "—"
            card.show_value(worst, r.replication_level,
                            self.tr("%n replica(s); warning above 30 s lag", "",
                                    len(r.replicas)))

    @staticmethod
    def _fill(model: QStandardItemModel, rows: list[tuple[str, ...]],
              numeric: tuple[int, ...]) -> None:
        model.setRowCount(0)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row in rows:
            items = [QStandardItem(text) for text in row]
            for column in numeric:
                items[column].setTextAlignment(right)
            model.appendRow(items)

    def clear(self) -> None:
        self.report = None
        for card in self.cards.values():
            card.reset()
        self.slow_model.setRowCount(0)
        self.sizes_model.setRowCount(0)
        self.loaded_once = False


def _dash(value: int | None) -> str:
    return "—" if value is None else str(value)


HEALTH = WorkspaceSpec(key="health", title="Database health", icon="health",
                       kinds=frozenset({PersonKind.SUPER_ADMIN}),
                       factory=HealthWorkspace)
