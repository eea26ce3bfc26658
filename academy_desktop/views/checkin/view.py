"""The rush-hour screen: type part of a name (or scan a student number) and press Enter
to check that child into the session they are booked for now. P/L/A/E mark the selected
child, F checks in the whole family, Ctrl+Z undoes the last check-in. Every row says
whether its write was saved.

The first paint carries today's sessions and only the rosters of the sessions the desk
acts on first (running now, next, the selected one); the rest of the day's rosters
follow in a second call right after, never blocking input. Selecting a session whose
roster has not arrived loads it at once; Enter-by-name, whole family and mark-all wait
for the rest (tens of ms) so they choose among all of a child's bookings, as before."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.attendance import (
    AttendanceStatus,
    RosterEntry,
    SaveState,
    TodaySession,
    pick_session_for,
)
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.models.roster import (
    ENTRY_ROLE,
    SAVE_COLUMN,
    SESSION_COLUMN,
    RosterFilter,
    RosterModel,
)
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.dates import format_long_day
from academy_desktop.views.checkin.navigation import SessionNavigation
from academy_desktop.views.checkin.presenter import CheckInPresenter, explain
from academy_desktop.views.checkin.sessions import SESSION_ROLE, SessionList
from academy_desktop.views.checkin.staged import StagedRosters
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec


class CheckInWorkspace(SessionNavigation, Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RosterModel(self)
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.presenter = CheckInPresenter(context.runner, self.model)
        self.sessions: list[TodaySession] = []
        self.walk_in_results: list[tuple[UUID, str, str]] = []
        self.staged = StagedRosters(self.presenter, self.model, self, self._refresh_sessions)
        self._build()
        context.location_changed.connect(lambda _loc: self._reload_soon())
        self.model.dataChanged.connect(lambda *_a: self._counts_timer.start())
        self._counts_timer = QTimer(
            self, singleShot=True, interval=150, timeout=self._refresh_sessions
        )
        self._clock = QTimer(self, interval=60_000, timeout=self._refresh_sessions)
        self._clock.start()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.tr("Check-in"), self)
        title.setObjectName("pageTitle")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            self.tr("Type a name or scan a student number, then Enter to check in")
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_query)
        self.search.returnPressed.connect(self._on_enter)
        self.search.installEventFilter(self)
        self.status = QLabel(self.tr("Loading today's sessions…"), self)
        self.status.setObjectName("checkinStatus")
        self.status.setWordWrap(True)
        self.session_list = SessionList(self)
        self.session_list.currentItemChanged.connect(self._on_session_changed)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.installEventFilter(self)
        self.walk_ins = QListWidget(self)
        self.walk_ins.setAccessibleName(self.tr("Walk-in students"))
        self.walk_ins.hide()
        self.walk_ins.itemActivated.connect(self._on_walk_in_chosen)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            (
                "present",
                self.tr("Present (P)"),
                lambda: self._mark_selected(AttendanceStatus.PRESENT),
            ),
            ("late", self.tr("Late (L)"), lambda: self._mark_selected(AttendanceStatus.LATE)),
            ("absent", self.tr("Absent (A)"), lambda: self._mark_selected(AttendanceStatus.ABSENT)),
            (
                "excused",
                self.tr("Excused (E)"),
                lambda: self._mark_selected(AttendanceStatus.EXCUSED),
            ),
            ("family", self.tr("Whole family (F)"), lambda: self._family()),
            ("all", self.tr("Mark all present"), lambda: self._mark_all()),
            ("undo", self.tr("Undo last (Ctrl+Z)"), lambda: self._undo()),
            ("close", self.tr("Close session"), lambda: self._close()),
        ):
            button = QPushButton(label, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self._undo)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.walk_ins)
        rl.addWidget(self.table, 1)
        rl.addLayout(buttons)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.session_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

    @property
    def search_field(self) -> QLineEdit:
        return self.search

    # -- loading ---------------------------------------------------------------------
    def clear(self) -> None:
        self.staged.begin()
        self.staged.loaded = set()
        self.model.clear()
        self.session_list.clear()
        self.sessions = []
        self.search.clear()
        self.status.setText("")

    def _reload_soon(self) -> None:
        QTimer.singleShot(0, self._reload_slot)

    @async_slot
    async def _reload_slot(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        generation = self.staged.begin()
        today = await self.presenter.load(
            self.context.location_ids, keep=self.session_list.session_id()
        )
        if generation != self.staged.generation:
            return  # a newer reload (or clear) superseded this one
        self.staged.day, self.staged.loaded = today.day, set(today.loaded)
        self.sessions = today.sessions
        self.model.currency = today.currency
        self.session_list.set_zone(today.timezone)
        titles = {s.session_id: self.session_list.short_label(s) for s in today.sessions}
        self.model.set_entries(today.entries, titles)
        self._fill_sessions(dt.datetime.now(dt.UTC))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(SAVE_COLUMN, max(self.table.columnWidth(SAVE_COLUMN), 120))
        self.table.setColumnHidden(SESSION_COLUMN, True)
        if not self.sessions:
            self.status.setText(self._quiet_text(today.quiet))
        elif self.status.text() == self.tr("Loading today's sessions…"):
            self.status.setText(
                self.tr("1 session today.")
                if len(self.sessions) == 1
                else self.tr("%1 sessions today.").replace("%1", str(len(self.sessions)))
            )
        self.staged.painted(generation, self.sessions)
        await super().reload()

    def _quiet_text(self, quiet: tuple[str, dt.date | None, int] | None) -> str:
        """A day without sessions says why, when the location recorded a closure, and
        when the desk will next be busy, so nobody wonders whether the screen failed."""
        reason, next_day, count = quiet or ("", None, 0)
        first = (self.tr("Closed today: %1.").replace("%1", reason) if reason
                 else self.tr("No sessions at this location today."))
        if next_day is None:
            return first + " " + self.tr("No classes in the next two weeks.")
        then = (self.tr("Next classes: %1, 1 session.") if count == 1
                else self.tr("Next classes: %1, %2 sessions.").replace("%2", str(count)))
        return first + " " + then.replace("%1", format_long_day(next_day))

    def _on_query(self, text: str) -> None:
        self.proxy.set_query(text)
        self.table.setColumnHidden(SESSION_COLUMN, not text.strip())  # which session, when mixed
        self.walk_ins.hide()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def selected_entry(self) -> RosterEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        return self.proxy.data(index, ENTRY_ROLE) if index.isValid() else None

    def _on_enter(self) -> None:
        query = self.search.text().strip()
        if query:
            self._when_loaded(lambda: self._check_in_by_name(query))

    def _check_in_by_name(self, query: str) -> None:
        """The child matching ``query`` into the session they are booked for now (of
        all their bookings today: current, else next, else the latest started)."""
        matches = [e for e in self.model.entries() if e.matches(query)]
        children = {e.student_id for e in matches}
        if not matches:
            self._find_walk_in(query)
            return
        if len(children) > 1:
            chosen = self.selected_entry()
            if chosen is None:
                return
            matches = [e for e in matches if e.student_id == chosen.student_id]
        entry = pick_session_for(matches, self.sessions, dt.datetime.now(dt.UTC))
        if entry is not None:
            if self.search.text().strip() == query:  # not what was typed while waiting
                self.search.clear()
            self._mark(entry, AttendanceStatus.PRESENT)

    # -- actions ---------------------------------------------------------------------
    def _mark_selected(self, status: AttendanceStatus) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._mark(entry, status)

    @async_slot
    async def _mark(
        self, entry: RosterEntry, status: AttendanceStatus, walk_in: bool = False
    ) -> None:
        name = entry.display_name
        self.status.setText(self.tr("Saving %s…") % name)
        try:
            result = await self.presenter.mark(entry, status, walk_in)
        except UserFacingError as error:
            self.status.setText(
                self.tr("NOT saved — %1: %2").replace("%1", name).replace("%2", explain(error))
            )
            raise
        session = next((s for s in self.sessions if s.session_id == entry.session_id), None)
        where = session.title if session else ""
        text = (
            self.tr("Saved ✓ %1 — %2 (%3)")
            .replace("%1", name)
            .replace("%2", self.tr(status.value.title()))
            .replace("%3", where)
        )
        if result.outcome == "already_recorded":
            text += self.tr(" — was already recorded")
        self.status.setText(text + self._alert_suffix(entry))

    def _alert_suffix(self, entry: RosterEntry) -> str:
        from academy_desktop.models.roster import alerts

        found = alerts(entry, self.model.currency)
        return ("   ⚠ " + " · ".join(found)) if found else ""

    def _family(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._when_loaded(lambda: self._family_of(entry))

    def _family_of(self, entry: RosterEntry) -> None:
        family = set(entry.family_ids)
        now = dt.datetime.now(dt.UTC)
        by_child: dict[UUID, list[RosterEntry]] = {}
        for e in self.model.entries():
            if e.student_id == entry.student_id or (family and family & set(e.family_ids)):
                by_child.setdefault(e.student_id, []).append(e)
        for bookings in by_child.values():
            chosen = pick_session_for(bookings, self.sessions, now)
            if chosen is not None and chosen.status is None:
                self._mark(chosen, AttendanceStatus.PRESENT)
        self.search.clear()

    def _mark_all(self) -> None:
        session_id = self.proxy_session()
        self._when_loaded(lambda: self._mark_all_of(session_id))

    def _mark_all_of(self, session_id: UUID | None) -> None:
        for e in self.model.entries():
            if e.session_id == session_id and e.status is None:
                self._mark(e, AttendanceStatus.PRESENT)

    @async_slot
    async def _undo(self) -> None:
        result = await self.presenter.undo()
        texts = {
            "undone": self.tr("Undone ✓ — the last check-in was taken back."),
            "already_undone": self.tr("That check-in was already undone."),
            "nothing_to_undo": self.tr("Nothing to undo."),
        }
        self.status.setText(texts.get(result.outcome, result.outcome))

    @async_slot
    async def _close(self) -> None:
        session_id = self.proxy_session()
        if session_id is None:
            return
        count = await self.presenter.close(session_id)
        self.status.setText(self.tr("Session closed: %n child(ren) marked absent.", "", count))
        await self.reload()

    @async_slot
    async def _find_walk_in(self, query: str) -> None:
        self.walk_in_results = await self.presenter.find_walk_ins(query)
        self.walk_ins.clear()
        for student_id, name, number in self.walk_in_results:
            item = QListWidgetItem(
                self.tr("Walk-in: %1 (%2) → book into the selected session")
                .replace("%1", name)
                .replace("%2", number)
            )
            item.setData(SESSION_ROLE, student_id)
            self.walk_ins.addItem(item)
        self.walk_ins.setVisible(bool(self.walk_in_results))
        if self.walk_in_results:
            self.walk_ins.setCurrentRow(0)
            self.walk_ins.setFocus()
            self.status.setText(self.tr("Not booked today. Enter books the walk-in."))
        else:
            self.status.setText(self.tr("No student matches “%s”.") % query)

    def _on_walk_in_chosen(self, item: QListWidgetItem) -> None:
        student_id = item.data(SESSION_ROLE)
        session_id = self.proxy_session()
        row = next((r for r in self.walk_in_results if r[0] == student_id), None)
        if session_id is None or row is None:
            return
        first, _, last = row[1].partition(" ")
        entry = RosterEntry(
            session_id,
            student_id,
            row[2],
            first,
            last,
            None,
            None,
            None,
            0.0,
            True,
            (),
            SaveState.NONE,
        )
        self.walk_ins.hide()
        self.search.clear()
        self.search.setFocus()
        self._mark(entry, AttendanceStatus.PRESENT, True)


CHECKIN = WorkspaceSpec(
    key="checkin",
    title="Check-in",
    icon="checkin",
    kinds=frozenset({PersonKind.FRONT_DESK, PersonKind.SUPER_ADMIN}),
    factory=CheckInWorkspace,
)
