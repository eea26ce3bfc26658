"""Curriculum workspace: the program tree on the left, the selected item's details on the
right, undo history below the tree. Program admins edit their programs (super admins all);
everyone else who can open it reads. The database enforces the same (RLS and grants);
the screen only avoids offering what would be refused.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeView,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import (
    CurriculumNode,
    NodeDetail,
    NodeKind,
    NodeRef,
    child_kind,
    parent_kind,
)
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.domain.identity import PersonKind
from academy_desktop.models.curriculum_tree import NODE_ROLE, CurriculumTreeModel
from academy_desktop.ui.aio import LatestRequest, async_slot, spawn
from academy_desktop.ui.banner import Banner, Level
from academy_desktop.ui.icons import icon
from academy_desktop.ui.messages import user_message
from academy_desktop.ui.settings import Settings
from academy_desktop.views.curriculum import sheet, transfer
from academy_desktop.views.curriculum.commands import AddNode, DuplicateNode, UpdateFields, _tr
from academy_desktop.views.curriculum.detail import DetailPanel
from academy_desktop.views.curriculum.editor import Editor
from academy_desktop.views.curriculum.level_panel import LevelPanel
from academy_desktop.views.curriculum.messages import curriculum_message
from academy_desktop.views.workspace import Workspace, WorkspaceContext, WorkspaceSpec

KIND_ICONS = {
    NodeKind.PROGRAM: "curriculum",
    NodeKind.COURSE: "node-course",
    NodeKind.CURRICULUM: "node-curriculum",
    NodeKind.LEVEL: "node-level",
    NodeKind.MODULE: "node-module",
    NodeKind.SECTION: "node-section",
    NodeKind.LESSON: "node-lesson",
}


class CurriculumWorkspace(Workspace):
    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        identity = context.identity
        self.model = CurriculumTreeModel(lambda kind: icon(KIND_ICONS[kind]), self)
        self.model.read_only = identity.kind not in (
            PersonKind.PROGRAM_ADMIN,
            PersonKind.SUPER_ADMIN,
        )
        if identity.kind is PersonKind.PROGRAM_ADMIN:
            self.model.editable_programs = frozenset(identity.program_ids)
        self.editor = Editor(context, self.model, self)
        self.editor.widget = self
        self.editor.refused.connect(self._refused)
        self.editor.saved.connect(self._node_saved)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.banner = Banner(self)
        self.banner.hide()
        self._detail_request = LatestRequest()
        self._clipboard: NodeRef | None = None
        self._build_widgets()
        self._build_actions()
        self._restore_state()

    # -- layout -------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.title = QLabel(self.tr("Curriculum"), self)
        self.title.setObjectName("pageTitle")
        self.mode = QLabel(self.tr("Read only") if self.model.read_only else "", self)
        self.mode.setProperty("muted", True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter the tree (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.show_archived = QCheckBox(self.tr("Show archived"), self)
        self.show_archived.toggled.connect(self._archived_toggled)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("Curriculum tree"))
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.history = QUndoView(self.editor.stack, self)
        self.history.setEmptyLabel(self.tr("<no changes yet>"))
        self.history.setAccessibleName(self.tr("Undo history"))
        self.detail = DetailPanel(self)
        self.detail.save_requested.connect(self._save_detail)
        self.level_panel = LevelPanel(self.context, self.detail)
        self.level_panel.editor = self.editor
        self.detail.extra.addWidget(self.level_panel)
        self.level_panel.hide()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        left = self.left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.tree)
        history_box = QWidget(self)
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 4, 0, 0)
        caption = QLabel(self.tr("History"), history_box)
        caption.setProperty("muted", True)
        hl.addWidget(caption)
        hl.addWidget(self.history)
        left.addWidget(history_box)
        left.setStretchFactor(0, 4)
        left.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.toolbar = QHBoxLayout()
        self.toolbar.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.mode)
        head.addStretch(1)
        head.addWidget(self.filter, 2)
        head.addWidget(self.show_archived)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(head)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.splitter, 1)

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | str | None,
        slot: object,
        *,
        edit: bool = True,
        button: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({keys})")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        if edit and self.model.read_only:
            action.setVisible(False)
        if button and action.isVisible():
            btn = QToolButton(self)
            btn.setDefaultAction(action)
            self.toolbar.addWidget(btn)
        return action

    def _build_actions(self) -> None:
        self.add_action = self._action(self.tr("Add child"), "Ins", self.add_child)
        self.rename_action = self._action(self.tr("Rename"), "F2", self.rename_selected)
        self.duplicate_action = self._action(
            self.tr("Duplicate"), "Ctrl+D", self.duplicate_selected
        )
        self.copy_action = self._action(
            self.tr("Copy"), QKeySequence.StandardKey.Copy, self.copy_selected, button=False
        )
        self.paste_action = self._action(
            self.tr("Paste copy here"),
            QKeySequence.StandardKey.Paste,
            self.paste_copy,
            button=False,
        )
        self.archive_action = self._action(
            self.tr("Archive / restore"), "Del", self.toggle_archived
        )
        self.undo_action = self._action(self.tr("Undo"), "Ctrl+Z", self.editor.stack.undo)
        self.redo_action = self._action(self.tr("Redo"), "Ctrl+Shift+Z", self.editor.stack.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        stack = self.editor.stack
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_action.setToolTip(self.tr("Undo %s (Ctrl+Z)") % t)
        )
        stack.redoTextChanged.connect(
            lambda t: self.redo_action.setToolTip(self.tr("Redo %s (Ctrl+Shift+Z)") % t)
        )
        self.toolbar.addSpacing(12)
        self._action(self.tr("Expand all"), "Ctrl+E", self.expand_all, edit=False)
        self._action(self.tr("Collapse all"), "Ctrl+Shift+E", self.tree.collapseAll, edit=False)
        self.print_action = self._action(
            self.tr("Print to PDF…"), "Ctrl+P", self.print_level, edit=False
        )
        self.export_action = self._action(
            self.tr("Export…"), "Ctrl+Shift+X", lambda: transfer.export_selected(self), edit=False
        )
        self.import_action = self._action(
            self.tr("Import…"), "Ctrl+Shift+I", lambda: transfer.import_into_selected(self)
        )
        self.toolbar.addStretch(1)
        # the same actions on right-click, for mouse users
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (
            self.add_action,
            self.rename_action,
            self.duplicate_action,
            self.copy_action,
            self.paste_action,
            self.archive_action,
            self.print_action,
            self.export_action,
            self.import_action,
        ):
            if action.isVisible():
                self.tree.addAction(action)

    def _restore_state(self) -> None:
        self.settings = Settings()
        for name, splitter in (("curriculum.main", self.splitter), ("curriculum.left", self.left)):
            state = self.settings.splitter_state(name)
            if state is not None:
                splitter.restoreState(state)
            splitter.splitterMoved.connect(
                lambda *_a, n=name, sp=splitter: self.settings.set_splitter_state(n, sp.saveState())
            )

    # -- Workspace API ---------------------------------------------------------------------
    @property
    def search_field(self) -> QLineEdit:
        return self.filter

    async def reload(self) -> None:
        await self.editor.wait_idle()
        self.model.clear()
        self.editor.versions.clear()
        await self.editor._load(None)
        if self.model.rowCount() == 1:
            self.tree.expand(self.proxy.index(0, 0))
        await super().reload()

    def clear(self) -> None:
        self.editor.stack.clear()
        self.model.clear()
        self.detail.show_detail(None, False)
        self.level_panel.hide()

    def report_error(self, error: BaseException) -> None:
        text = curriculum_message(error) if isinstance(error, UserFacingError) else None
        if isinstance(error, UserFacingError):
            self.banner.show_message(Level.ERROR, text or user_message(error))
            self.banner.show()
            return
        window = self.window()
        if window is not self and hasattr(window, "report_error"):
            window.report_error(error)

    # -- selection & detail -------------------------------------------------------------
    def current_node(self) -> CurriculumNode | None:
        index = self.tree.currentIndex()
        node = index.data(NODE_ROLE) if index.isValid() else None
        return self.model.node(node.ref) if node is not None else None

    def select(self, ref: NodeRef) -> None:
        index = self.proxy.mapFromSource(self.model.index_of(ref))
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_current()

    @async_slot
    async def _show_current(self) -> None:
        node = self.current_node()
        if node is None:
            self.detail.show_detail(None, False)
            self.level_panel.hide()
            return

        async def load() -> object:
            await self.editor.wait_idle()  # a just-added node exists once its save is done
            return await self.context.runner.run(lambda s: q.get_detail(s, node))

        detail = await self._detail_request.run(load)
        current = self.model.node(node.ref) or node
        from dataclasses import replace

        self.detail.show_detail(replace(detail, node=current), self.model.can_edit(current))
        self.detail_shown(detail)

    def detail_shown(self, detail: NodeDetail) -> None:
        node = detail.node
        is_level = node.kind is NodeKind.LEVEL
        self.level_panel.setVisible(is_level)
        if is_level:
            self.level_panel.show_level(node.id, self.model.can_edit(node))

    def _node_saved(self, ref: NodeRef) -> None:
        current = self.current_node()
        if current is not None and current.ref == ref:
            self._show_current()

    def _save_detail(self, detail: object, old: dict, new: dict) -> None:  # type: ignore[type-arg]
        node = self.model.node(detail.node.ref)  # type: ignore[attr-defined]
        if node is None:
            return
        self.editor.stack.push(
            UpdateFields(self.editor, node, old, new, _tr("Edit “%s”") % node.name)
        )

    # -- operations ---------------------------------------------------------------------------
    def add_child(self) -> None:
        node = self.current_node()
        if node is None or child_kind(node.kind) is None or not self.model.can_edit(node):
            return
        if not self.model.is_loaded(node.ref) and node.child_count > 0:
            self.tree.expand(self.tree.currentIndex())
            spawn(self._add_after_load(node), self, "curriculum.add")
            return
        self._add(node)

    async def _add_after_load(self, node: CurriculumNode) -> None:
        await self.editor._load(node.ref)
        fresh = self.model.node(node.ref)
        if fresh is not None:
            self._add(fresh)

    def _add(self, node: CurriculumNode) -> None:
        command = AddNode(self.editor, node)
        self.editor.stack.push(command)
        self.tree.expand(self.proxy.mapFromSource(self.model.index_of(node.ref)))
        new_ref = NodeRef(command.kind, command.new_id)
        self.select(new_ref)
        self.tree.edit(self.tree.currentIndex())

    def rename_selected(self) -> None:
        if self.current_node() is not None:
            self.tree.edit(self.tree.currentIndex())

    def duplicate_selected(self) -> None:
        node = self.current_node()
        parent = self.editor.parent_ref(node.ref) if node is not None else None
        if node is not None and parent is not None and self.model.can_edit(node):
            self.editor.stack.push(DuplicateNode(self.editor, node, parent))

    def copy_selected(self) -> None:
        node = self.current_node()
        if node is not None and node.kind is not NodeKind.PROGRAM:
            self._clipboard = node.ref
            self.banner.show_message(
                Level.INFO,
                self.tr("Copied “%s”. Select where it goes and press Ctrl+V.") % node.name,
                timeout_ms=5000,
            )
            self.banner.show()

    def paste_copy(self) -> None:
        target = self.current_node()
        source = self._clipboard
        if target is None or source is None or not self.model.can_edit(target):
            return
        if parent_kind(source.kind) is not target.kind:
            self.report_error(UserFacingError("invalid_input", "curriculum_wrong_kind"))
            return
        node = self.model.node(source)
        if node is not None:
            self.editor.stack.push(DuplicateNode(self.editor, node, target.ref))

    def toggle_archived(self) -> None:
        node = self.current_node()
        if node is None or node.kind is NodeKind.PROGRAM or not self.model.can_edit(node):
            return
        text = (_tr("Archive “%s”") if node.is_active else _tr("Restore “%s”")) % node.name
        self.editor.stack.push(
            UpdateFields(
                self.editor,
                node,
                {"is_active": node.is_active},
                {"is_active": not node.is_active},
                text,
            )
        )

    @async_slot
    async def expand_all(self) -> None:
        for program in self.model.children_of(None):
            await self.editor.load_program_tree(program.ref)
        self.tree.expandAll()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.expand_all()

    def _archived_toggled(self, on: bool) -> None:
        self.editor.show_archived = on
        spawn(self.reload(), self, "curriculum.reload")

    def _refused(self, error: UserFacingError) -> None:
        spawn(self.reload(), self, "curriculum.reload")

    def show_info(self, text: str) -> None:
        self.banner.show_message(Level.INFO, text, timeout_ms=6000)
        self.banner.show()

    def print_level(self) -> None:
        sheet.print_selected(self)


def _factory(context: WorkspaceContext) -> Workspace:
    return CurriculumWorkspace(context)


CURRICULUM = WorkspaceSpec(
    key="curriculum",
    title="Curriculum",
    icon="curriculum",
    kinds=frozenset(
        {
            PersonKind.SUPER_ADMIN,
            PersonKind.PROGRAM_ADMIN,
            PersonKind.FRONT_DESK,
            PersonKind.INSTRUCTOR,
        }
    ),
    factory=_factory,
)

__all__ = ["CURRICULUM", "CurriculumWorkspace", "QModelIndex"]
