"""Staff & access: every staff login with its role, scope and state, and the account acts
(create, disable/enable, unlock, issue a reset code) through the server's functions.

A plain ``QStandardItemModel`` is enough here: a staff list is short and read whole.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
)

from academy_desktop.db.queries import staff as queries
from academy_desktop.db.queries.staff import StaffAccount
from academy_desktop.domain.identity import PersonKind
from academy_desktop.ui.aio import async_slot
from academy_desktop.ui.dates import format_moment
from academy_desktop.ui.icons import icon
from academy_desktop.ui.settings import Settings
from academy_desktop.views.admin.staff_dialogs import NewAccountDialog, ResetCodeDialog
from academy_desktop.views.home.view import kind_label
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

COLUMNS = ("Name", "Username", "Role", "Locations", "Programs", "State", "Last sign-in")
ROLE = Qt.ItemDataRole.UserRole


class StaffWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext) -> None:
        super().__init__(context)
        self.accounts: list[StaffAccount] = []
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Filter by name, username, role, location…"))
        self.search.setAccessibleName(self.tr("Filter staff"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Staff accounts"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = self._button("New account…", "staff", "Ctrl+N", self.new_account)
        self.toggle_button = self._button("Disable", "lock", "Ctrl+D", self.toggle_active)
        self.unlock_button = self._button("Unlock", "lock", "", self.unlock)
        self.reset_button = self._button("Reset code…", "refresh", "Ctrl+R", self.reset_code)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for button in (self.new_button, self.toggle_button, self.unlock_button,
                       self.reset_button):
            bar.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        self._settings = Settings()
        state = self._settings.header_state("staff")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
        else:
            for index, width in enumerate((170, 140, 110, 170, 150, 110)):
                self.table.setColumnWidth(index, width)
        self.table.horizontalHeader().sectionResized.connect(self._save_header)
        self._update_buttons()

    def _button(self, label: str, icon_name: str, keys: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setText(self.tr(label))
        button.setIcon(icon(icon_name))
        button.setAccessibleName(self.tr(label).rstrip("…"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        if keys:
            button.setShortcut(QKeySequence(keys))
            button.setToolTip(f"{self.tr(label)} ({keys})")
        button.clicked.connect(slot)
        return button

    def _save_header(self) -> None:
        self._settings.set_header_state("staff", self.table.horizontalHeader().saveState())

    @property
    def search_field(self) -> QLineEdit:
        return self.search

    # -- data -------------------------------------------------------------------------------
    async def reload(self) -> None:
        selected = self.selected()
        self.accounts = await self.context.runner.run(queries.list_staff)
        self.model.setRowCount(0)
        for account in self.accounts:
            self.model.appendRow(self._row(account))
        if selected is not None:
            self.select(selected.role_name)
        self._update_buttons()
        await super().reload()

    def _row(self, account: StaffAccount) -> list[QStandardItem]:
        state = self.tr("Disabled") if not account.is_active else (
            self.tr("Locked") if account.locked else (
                self.tr("Must change password") if account.must_change_password
                else self.tr("Active")))
        last = format_moment(account.last_login_at) or self.tr("never")
        texts = (account.full_name, account.role_name, kind_label(PersonKind(account.kind)),
                 ", ".join(account.locations) or "—", ", ".join(account.programs) or "—",
                 state, last)
        items = [QStandardItem(t) for t in texts]
        items[0].setData(account.role_name, ROLE)
        if not account.is_active or account.locked:
            for item in items:
                item.setForeground(self.palette().placeholderText())
        return items

    def clear(self) -> None:
        self.accounts = []
        self.model.setRowCount(0)
        self.search.clear()
        self.loaded_once = False

    def selected(self) -> StaffAccount | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        role = self.proxy.index(rows[0].row(), 0).data(ROLE)
        return next((a for a in self.accounts if a.role_name == role), None)

    def select(self, role_name: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ROLE) == role_name:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        account = self.selected()
        me = account is not None and account.role_name == self.context.identity.role_name
        self.toggle_button.setEnabled(account is not None and not me)
        self.toggle_button.setText(self.tr("Enable") if account and not account.is_active
                                   else self.tr("Disable"))
        self.unlock_button.setEnabled(account is not None and account.locked)
        self.reset_button.setEnabled(account is not None and account.is_active and not me)

    # -- actions ------------------------------------------------------------------------------
    @async_slot
    async def new_account(self) -> None:
        locations, programs = await self.context.runner.run(queries.scope_choices)
        self.dialog = NewAccountDialog(locations, programs, self)
        self.dialog.accepted.connect(self._create)
        self.dialog.open()

    @async_slot
    async def _create(self) -> None:
        account = self.dialog.account()
        await self.context.runner.run(lambda s: queries.create_staff_account(s, account))
        self.window().banner.show_info(self.tr(
            "Account %s created. The person chooses their own password at first sign-in.")
            % account.role_name, timeout_ms=8000)
        await self.reload()
        self.select(account.role_name)

    @async_slot
    async def toggle_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        await self.context.runner.run(
            lambda s: queries.set_active(s, account.role_name, not account.is_active))
        await self.reload()

    @async_slot
    async def unlock(self) -> None:
        account = self.selected()
        if account is not None:
            await self.context.runner.run(lambda s: queries.unlock(s, account.role_name))
            await self.reload()

    @async_slot
    async def reset_code(self) -> None:
        account = self.selected()
        if account is None:
            return
        code = await self.context.runner.run(
            lambda s: queries.issue_reset_code(s, account.role_name))
        self.code_dialog = ResetCodeDialog(account.role_name, code, self)
        self.code_dialog.open()


STAFF = WorkspaceSpec(key="staff", title="Staff & access", icon="staff",
                      kinds=frozenset({PersonKind.SUPER_ADMIN}),
                      factory=StaffWorkspace)
