"""The main window: a header saying who and where, role-shaped navigation, workspaces.

It owns no data itself: workspaces load through the runner. It handles the shell's
cross-cutting duties - banner and busy strip, lock (Ctrl+L and idle timeout), switch
user, reconnect with backoff after a lost connection, and restoring geometry.
"""

from __future__ import annotations

import asyncio
import logging
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid
from sqlalchemy import text

from academy_desktop.db.login import program_names
from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import Identity, PersonKind
from academy_desktop.ui.aio import async_slot, spawn
from academy_desktop.ui.banner import Banner
from academy_desktop.ui.busy import BusyIndicator
from academy_desktop.ui.icons import icon
from academy_desktop.ui.settings import Settings
from academy_desktop.views.home.view import kind_label
from academy_desktop.views.lock import LockScreen
from academy_desktop.views.signin.change_password import ChangePasswordDialog
from academy_desktop.views.workspace import (
    Workspace,
    WorkspaceContext,
    WorkspaceRegistry,
    WorkspaceSpec,
    registry,
)

log = logging.getLogger(__name__)
RECONNECT_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
#: Where a kind of person starts the first time (later: the workspace they left open).
#: A front desk's day is checking children in, not reading the overview.
FIRST_WORKSPACE: dict[PersonKind, str] = {PersonKind.FRONT_DESK: "checkin"}
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


class MainWindow(QMainWindow):
    switch_user_requested = Signal()
    initial_load_finished = Signal()

    def __init__(self, runner: DbRunner, identity: Identity, *,
                 settings: Settings | None = None,
                 workspaces: WorkspaceRegistry = registry) -> None:
        super().__init__()
        self.runner = runner
        self.identity = identity
        self.settings = settings or Settings()
        self.context = WorkspaceContext(runner, identity, self)
        self.specs: list[WorkspaceSpec] = workspaces.for_kind(identity.kind)
        self.workspaces: dict[str, Workspace] = {}
        self._reconnecting: asyncio.Task[None] | None = None
        self._initial_done = False
        self.password_dialog: ChangePasswordDialog | None = None
        self.setWindowTitle(self.tr("Academy Desktop — %s") % identity.display_name)
        self.setMinimumSize(880, 560)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_content())
        self.lock_screen = LockScreen(self)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.switch_user_requested.connect(self.request_switch_user)
        self._pages.addWidget(self.lock_screen)
        self.setCentralWidget(self._pages)
        self._build_actions()
        self.busy.attach(runner)
        self._idle = QTimer(self, singleShot=True, timeout=self.lock)
        QApplication.instance().installEventFilter(self)
        self._restore()

    # -- construction -------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        content = QWidget(self)
        self.banner = Banner(content)
        self.busy = BusyIndicator(content)
        self.nav = QListWidget(content)
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName(self.tr("Workspaces"))
        self.nav.setMinimumWidth(170)
        self.nav.setMaximumWidth(260)
        for number, spec in enumerate(self.specs, start=1):
            item = QListWidgetItem(icon(spec.icon), spec.display_title())
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(spec.shortcut or f"Ctrl+{number}")
            self.nav.addItem(item)
        self.stack = QStackedWidget(content)
        self.splitter = QSplitter(content)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_header(content))
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.splitter, 1)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        return content

    def _build_header(self, parent: QWidget) -> QWidget:
        header = QWidget(parent)
        header.setObjectName("header")
        title = QLabel(self.tr("Academy Desktop"), header)
        title.setObjectName("appTitle")
        self.person_label = QLabel(self.identity.display_name, header)
        self.person_label.setObjectName("personName")
        self.person_label.setAccessibleName(self.tr("Signed in as"))
        self.role_label = QLabel(kind_label(self.identity.kind), header)
        self.role_label.setObjectName("roleChip")
        self.role_label.setAccessibleName(self.tr("Role"))
        self.location_label = QToolButton(header)
        self.location_label.setObjectName("locationChip")
        self.location_label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.location_label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.location_label.setAccessibleName(self.tr("Location"))
        self.location_combo = QComboBox(header)
        self.location_combo.setAccessibleName(self.tr("Location"))
        self._fill_locations()
        self.password_button = self._tool_button(header, "key", self.tr("Change my password"))
        self.password_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.lock_button = self._tool_button(header, "lock", self.tr("Lock"))
        self.switch_button = self._tool_button(header, "switch-user", self.tr("Switch user"))
        layout = QHBoxLayout(header)
        layout.setContentsMargins(16, 8, 10, 8)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addStretch(1)
        for widget in (self.person_label, self.role_label, self.location_label,
                       self.location_combo, self.password_button, self.lock_button,
                       self.switch_button):
            layout.addWidget(widget)
        return header

    def _tool_button(self, parent: QWidget, icon_name: str, label: str) -> QToolButton:
        button = QToolButton(parent)
        button.setIcon(icon(icon_name))
        button.setText(label)
        button.setAccessibleName(label)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _fill_locations(self) -> None:
        locations = self.identity.locations
        if len(locations) > 1:
            self.location_label.hide()
            everything = self.tr("All locations") if self.identity.sees_all_locations \
                else self.tr("All my locations")
            self.location_combo.addItem(icon("location"), everything, None)
            for loc in locations:
                self.location_combo.addItem(icon("location"), loc.name, str(loc.location_id))
            self.location_combo.currentIndexChanged.connect(self._on_location_chosen)
            return
        self.location_combo.hide()
        self.location_label.setIcon(icon("location"))
        self.location_label.setToolTip(self.tr("Location"))
        if locations:
            self.location_label.setText(locations[0].name)
        elif self.identity.sees_all_locations:
            self.location_label.setText(self.tr("All locations"))
        elif self.identity.kind is PersonKind.PROGRAM_ADMIN and self.identity.program_ids:
            # a program admin's scope is programs: name them once the server answers
            self.location_label.setIcon(icon("curriculum"))
            self.location_label.setToolTip(self.tr("Programs"))
            self.location_label.setAccessibleName(self.tr("Programs"))
            spawn(self._show_programs(), self, "header.programs")
        else:
            self.location_label.setText(self.tr("No location"))

    async def _show_programs(self) -> None:
        ids = self.identity.program_ids
        names = await self.runner.run(lambda s: program_names(s, ids))
        if isValid(self.location_label):
            self.location_label.setText(", ".join(names) or self.tr("No program"))

    def _build_actions(self) -> None:
        def add(text: str, keys: QKeySequence | str, slot: object) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.lock_action = add(self.tr("Lock"), "Ctrl+L", self.lock)
        self.switch_action = add(self.tr("Switch user"), "Ctrl+Shift+L", self.request_switch_user)
        self.password_action = add(self.tr("Change my password…"), "Ctrl+Shift+P",
                                   self.change_password)
        self.refresh_action = add(self.tr("Refresh"), QKeySequence.StandardKey.Refresh,
                                  self.refresh)
        self.find_action = add(self.tr("Find"), QKeySequence.StandardKey.Find, self.focus_search)
        for number, spec in enumerate(self.specs[:9], start=1):
            add(spec.display_title(), spec.shortcut or f"Ctrl+{number}",
                lambda _=False, key=spec.key: self.show_workspace(key))
        self.lock_button.setDefaultAction(self.lock_action)
        self.lock_action.setIcon(icon("lock"))
        self.switch_button.setDefaultAction(self.switch_action)
        self.switch_action.setIcon(icon("switch-user"))
        self.password_button.setDefaultAction(self.password_action)
        self.password_action.setIcon(icon("key"))
        self.password_action.setToolTip(self.tr("Change my password (Ctrl+Shift+P)"))

    # -- workspaces ---------------------------------------------------------------------
    def show_workspace(self, key: str) -> None:
        keys = [spec.key for spec in self.specs]
        if key in keys:
            self.nav.setCurrentRow(keys.index(key))

    def current_workspace(self) -> Workspace | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Workspace) else None

    def _on_nav_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        spec = self.specs[row]
        workspace = self.workspaces.get(spec.key)
        if workspace is None:
            workspace = spec.factory(self.context)
            self.workspaces[spec.key] = workspace
            self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        self.settings.set_last_workspace(self.identity.kind.value, spec.key)
        if not workspace.loaded_once:
            spawn(self._load(workspace), workspace, f"{spec.key}.reload")

    async def _load(self, workspace: Workspace) -> None:
        try:
            await workspace.reload()
        finally:
            if not self._initial_done:
                self._initial_done = True
                self.initial_load_finished.emit()

    @async_slot
    async def refresh(self) -> None:
        workspace = self.current_workspace()
        if workspace is not None:
            await workspace.reload()

    def focus_search(self) -> None:
        workspace = self.current_workspace()
        field = workspace.search_field if workspace else None
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()

    def _on_location_chosen(self, index: int) -> None:
        data = self.location_combo.itemData(index)
        self.context.set_location(UUID(data) if data else None)
        self.settings.set_last_location(self.identity.kind.value, data or "")

    # -- errors and reconnecting ----------------------------------------------------------
    def report_error(self, error: BaseException) -> None:
        self.banner.show_error(error)
        lost = isinstance(error, UserFacingError) and error.code in (
            ErrorKind.CONNECTION_LOST, ErrorKind.SERVER_UNREACHABLE)
        if lost and (self._reconnecting is None or self._reconnecting.done()):
            self._reconnecting = asyncio.ensure_future(self._reconnect())

    async def _reconnect(self) -> None:
        for attempt, delay in enumerate(_backoff(), start=1):
            await asyncio.sleep(delay)
            if self.runner.closed:
                return
            try:
                await self.runner.run(lambda s: s.execute(text("select 1")))
            except UserFacingError as error:
                if not error.transient:
                    self.banner.show_error(error)
                    return
                log.info("reconnect attempt %d failed: %s", attempt, error.code.value)
                continue
            self.banner.show_info(self.tr("Connection restored."), timeout_ms=5000)
            for workspace in self.workspaces.values():
                workspace.loaded_once = False
            current = self.current_workspace()
            if current is not None:
                spawn(current.reload(), self, "reload-after-reconnect")
            return

    # -- lock / switch user ---------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._pages.currentWidget() is self.lock_screen

    def lock(self) -> None:
        if self.locked or self.runner.closed:
            return
        if self.password_dialog is not None and isValid(self.password_dialog):
            self.password_dialog.reject()
        for workspace in self.workspaces.values():
            workspace.clear()
        self.banner.dismiss()
        self.lock_screen.arm(self.identity.display_name, self.runner.url.password or "")
        self._pages.setCurrentWidget(self.lock_screen)

    def unlock(self) -> None:
        self.lock_screen.disarm()
        self._pages.setCurrentIndex(0)
        self._restart_idle_timer()
        current = self.current_workspace()
        if current is not None:
            spawn(current.reload(), self, "reload-after-unlock")

    def change_password(self) -> ChangePasswordDialog | None:
        if self.locked or self.runner.closed:
            return None
        dialog = ChangePasswordDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.password_changed.connect(lambda: self.banner.show_info(
            self.tr("Your password was changed."), timeout_ms=5000))
        dialog.open()
        self.password_dialog = dialog
        return dialog

    def request_switch_user(self) -> None:
        self.switch_user_requested.emit()

    async def shutdown(self) -> None:
        """Save layout, forget every shown row and dispose the engine."""
        self._save()
        QApplication.instance().removeEventFilter(self)
        self._idle.stop()
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        for workspace in self.workspaces.values():
            workspace.clear()
            workspace.deleteLater()
        self.workspaces.clear()
        self.busy.detach()
        self.lock_screen.disarm()
        await self.runner.aclose()

    # -- idle timer, persistence ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and not self.locked:
            self._restart_idle_timer()
        return False

    def _restart_idle_timer(self) -> None:
        minutes = self.settings.idle_lock_minutes
        if minutes:
            self._idle.start(minutes * 60_000)
        else:
            self._idle.stop()

    def _restore(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 760)
        state = self.settings.splitter_state("main")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([200, 980])
        wanted = (self.settings.last_workspace(self.identity.kind.value)
                  or FIRST_WORKSPACE.get(self.identity.kind, ""))
        keys = [spec.key for spec in self.specs]
        self.nav.setCurrentRow(keys.index(wanted) if wanted in keys else 0)
        last_location = self.settings.last_location(self.identity.kind.value)
        if last_location and self.location_combo.isVisibleTo(self):
            index = self.location_combo.findData(last_location)
            if index > 0:
                self.location_combo.setCurrentIndex(index)
        self._restart_idle_timer()

    def _save(self) -> None:
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_splitter_state("main", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save()
        super().closeEvent(event)


def _backoff() -> list[float]:
    return [*RECONNECT_DELAYS, *([RECONNECT_DELAYS[-1]] * 1000)]
