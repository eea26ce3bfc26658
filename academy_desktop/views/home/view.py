"""Home/Today page: greeting, role, locations and live counts with loading placeholders."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from academy_desktop.db.login import program_names
from academy_desktop.domain.identity import PersonKind
from academy_desktop.domain.overview import Stat, StatKey
from academy_desktop.ui.aio import spawn
from academy_desktop.ui.dates import format_long_day
from academy_desktop.views.home.presenter import STATS_FOR, fetch_stats
from academy_desktop.views.workspace import ALL_KINDS, Workspace, WorkspaceContext, WorkspaceSpec

PLACEHOLDER = "…"
MISSING = "—"


def kind_label(kind: PersonKind) -> str:
    texts = {
        PersonKind.SUPER_ADMIN: QT_TRANSLATE_NOOP("roles", "Super admin"),
        PersonKind.PROGRAM_ADMIN: QT_TRANSLATE_NOOP("roles", "Program admin"),
        PersonKind.FRONT_DESK: QT_TRANSLATE_NOOP("roles", "Front desk"),
        PersonKind.INSTRUCTOR: QT_TRANSLATE_NOOP("roles", "Instructor"),
        PersonKind.PARENT: QT_TRANSLATE_NOOP("roles", "Parent"),
    }
    return QCoreApplication.translate("roles", texts[kind])


def stat_label(key: StatKey, scoped_all: bool) -> str:
    texts = {
        StatKey.SESSIONS_TODAY: "Sessions today", StatKey.STUDENTS: "Students",
        StatKey.FAMILIES: "Parents & guardians", StatKey.PROGRAMS: "Programs",
        StatKey.LOCATIONS: "Locations",
    }
    return QCoreApplication.translate("home", texts[key])


class _Card(QFrame):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.value = QLabel(PLACEHOLDER, self)
        self.value.setObjectName("cardValue")
        self.caption = QLabel(label, self)
        self.caption.setObjectName("cardLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(label)
        self.setMinimumWidth(170)

    def set_value(self, value: int | None) -> None:
        text = MISSING if value is None else QLocale().toString(value)
        self.value.setText(text)
        self.setToolTip("" if value is not None else self.tr("Not available on this server yet"))
        self.setAccessibleDescription(text)


class HomeWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        identity = context.identity
        self.title = QLabel(self.tr("Hello, %s") % identity.display_name, self)
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setProperty("muted", True)
        self.cards: dict[StatKey, _Card] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for index, key in enumerate(STATS_FOR[identity.kind]):
            card = _Card(stat_label(key, False), self)
            self.cards[key] = card
            grid.addWidget(card, index // 3, index % 3)
        self.locations_title = QLabel(self.tr("Your locations"), self)
        self.locations_title.setObjectName("personName")
        self.locations = QLabel(self)
        self.locations.setWordWrap(True)
        self.locations.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(10)
        layout.addLayout(grid)
        layout.addSpacing(14)
        layout.addWidget(self.locations_title)
        layout.addWidget(self.locations)
        layout.addStretch(1)
        context.location_changed.connect(self._on_location_changed)
        self._show_static()

    def _show_static(self) -> None:
        identity = self.context.identity
        today = format_long_day(dt.date.today())
        self.subtitle.setText(self.tr("%1 · %2").replace("%1", today)
                              .replace("%2", kind_label(identity.kind)))
        names = [loc.name for loc in identity.locations]
        if identity.kind is PersonKind.PROGRAM_ADMIN and not names:
            # their scope is programs: name those (once the server answers)
            self.locations_title.setText(self.tr("Your programs"))
            spawn(self._show_programs(), self, "home.programs")
        elif identity.sees_all_locations and not names:
            self.locations.setText(self.tr("All locations"))
        elif names:
            self.locations.setText("\n".join(f"• {name}" for name in names))
        else:
            self.locations.setText(self.tr("No location assigned yet"))

    async def _show_programs(self) -> None:
        ids = self.context.identity.program_ids
        names = await self.context.runner.run(lambda s: program_names(s, ids))
        self.locations.setText("\n".join(f"• {name}" for name in names)
                               or self.tr("No program assigned yet"))

    def clear(self) -> None:
        for card in self.cards.values():
            card.value.setText(PLACEHOLDER)

    async def reload(self) -> None:
        self.clear()
        ctx = self.context
        # narrow by location only when the person picked one; otherwise RLS decides
        # (a program admin's scope is programs, not locations)
        scoped = ctx.location_id is not None
        stats: list[Stat] = await ctx.runner.run(
            lambda s: fetch_stats(s, ctx.identity.kind, ctx.location_ids, scoped))
        for stat in stats:
            self.cards[stat.key].set_value(stat.value)
        await super().reload()

    def _on_location_changed(self, _location: object) -> None:
        spawn(self.reload(), self, "home.reload")


HOME = WorkspaceSpec("home", "Today", "home", ALL_KINDS, HomeWorkspace, order=0)
