"""The curriculum tree as one ``QAbstractItemModel``: program > course > curriculum >
level > module > section > lesson, loaded lazily one level at a time.

The model never touches the database. ``fetchMore`` emits ``fetch_requested``; the
presenter loads the children and hands them back with ``set_children``. Edits made in the
view (rename in place, drop) are emitted as requests (``rename_requested``,
``move_requested``); the presenter turns them into undoable commands that call the
model's mutators (``update_node``, ``move_node``, ...) and persist. A drop never removes
rows itself: ``dropMimeData`` only requests the move and ``removeRows`` is not
implemented, so the view's InternalMove cannot delete the moved rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from uuid import UUID

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from academy_desktop.domain.curriculum import (
    CurriculumNode,
    NodeKind,
    NodeRef,
    check_move,
    child_kind,
)

MIME_TYPE = "application/x-academy-curriculum-node"
NODE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class _Item:
    __slots__ = ("children", "fetched", "fetching", "node", "parent")

    def __init__(self, node: CurriculumNode | None, parent: _Item | None) -> None:
        self.node = node
        self.parent = parent
        self.children: list[_Item] = []
        self.fetched = False
        self.fetching = False

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent is not None else 0

    def ancestors(self) -> tuple[UUID, ...]:
        out: list[UUID] = []
        item = self.parent
        while item is not None and item.node is not None:
            out.append(item.node.id)
            item = item.parent
        return tuple(out)


class CurriculumTreeModel(QAbstractItemModel):
    fetch_requested = Signal(object)  # NodeRef | None (None: the programs)
    rename_requested = Signal(object, str)  # NodeRef, new name
    move_requested = Signal(object, object, int)  # NodeRef, new parent NodeRef, row

    def __init__(
        self, icon_for: Callable[[NodeKind], QIcon] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._icon_for = icon_for
        self._root = _Item(None, None)
        self._items: dict[UUID, _Item] = {}
        self.read_only = True
        self.epoch = 0  # bumped by clear(): loads started before it are dropped
        self.editable_programs: frozenset[UUID] | None = None  # None: all (super admin)

    # -- Qt structure -------------------------------------------------------------
    def _item(self, index: Index) -> _Item:
        if index.isValid():
            item = index.internalPointer()
            if isinstance(item, _Item):
                return item
        return self._root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._item(parent).children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self._item(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row(), 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return False
        item = self._item(parent)
        if item.children:
            return True
        return item.node is not None and not item.fetched and item.node.child_count > 0

    def canFetchMore(self, parent: Index) -> bool:
        item = self._item(parent)
        if item.fetched or item.fetching or (parent.isValid() and parent.column() != 0):
            return False
        return item.node is None or item.node.child_count > 0

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        item = self._item(parent)
        item.fetching = True
        self.fetch_requested.emit(item.node.ref if item.node is not None else None)

    # -- data -------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._item(index).node
        if node is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return node.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon_for(node.kind) if self._icon_for is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.FontRole and not node.is_active:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not node.is_active:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == NODE_ROLE:
            return node
        if role == KIND_ROLE:
            return node.kind.value
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return kind_label(node.kind)
        return None

    def _tooltip(self, node: CurriculumNode) -> str:
        text = kind_label(node.kind)
        if not node.is_active:
            text += " · " + QCoreApplication.translate("curriculum", "archived")
        return text + (f"\n{node.description}" if node.description else "")

    def can_edit(self, node: CurriculumNode | None) -> bool:
        if node is None or self.read_only:
            return False
        return self.editable_programs is None or node.program_id in self.editable_programs

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node = self._item(index).node
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.can_edit(node) and node is not None:
            if node.kind is not NodeKind.PROGRAM:
                flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
            if child_kind(node.kind) is not None:
                flags |= Qt.ItemFlag.ItemIsDropEnabled
        if node is not None and child_kind(node.kind) is None:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self._item(index).node
        if role != Qt.ItemDataRole.EditRole or node is None or not self.can_edit(node):
            return False
        name = str(value)
        if name != node.name:
            self.rename_requested.emit(node.ref, name)
        return True

    # -- drag and drop ------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        refs = [self._item(i).node for i in indexes if i.isValid() and i.column() == 0]
        data = QMimeData()
        data.setData(
            MIME_TYPE,
            json.dumps([[n.kind.value, str(n.id)] for n in refs if n is not None]).encode(),
        )
        return data

    def _dragged(self, data: QMimeData) -> list[_Item]:
        if not data.hasFormat(MIME_TYPE):
            return []
        try:
            pairs = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
            return [self._items[UUID(i)] for _, i in pairs if UUID(i) in self._items]
        except (ValueError, TypeError):
            return []

    def drop_refusal(self, data: QMimeData, parent: Index) -> str | None:
        """Why dropping ``data`` on ``parent`` is not allowed (None: allowed)."""
        target = self._item(parent)
        dragged = self._dragged(data)
        if len(dragged) != 1 or target.node is None or not self.can_edit(target.node):
            return "curriculum_not_movable"
        node = dragged[0].node
        assert node is not None
        refusal = check_move(
            node.kind, target.node.kind, target.ancestors(), node.id, target.node.id
        )
        return refusal.value if refusal is not None else None

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return action == Qt.DropAction.MoveAction and self.drop_refusal(data, parent) is None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        item = self._dragged(data)[0]
        target = self._item(parent)
        assert item.node is not None and target.node is not None
        if row < 0:
            row = len(target.children)
        if item.parent is target and row > item.row():
            row -= 1  # Qt counts the dragged row itself in the destination row
        self.move_requested.emit(item.node.ref, target.node.ref, row)
        return True

    # -- mutators (called by the presenter / undo commands) --------------------------------
    def index_of(self, ref: NodeRef | None) -> QModelIndex:
        item = self._items.get(ref.id) if ref is not None else None
        if item is None:
            return QModelIndex()
        return self.createIndex(item.row(), 0, item)

    def node(self, ref: NodeRef | UUID) -> CurriculumNode | None:
        item = self._items.get(ref.id if isinstance(ref, NodeRef) else ref)
        return item.node if item is not None else None

    def is_loaded(self, ref: NodeRef | None) -> bool:
        item = self._items.get(ref.id) if ref is not None else self._root
        return item is not None and item.fetched

    def children_of(self, ref: NodeRef | None) -> list[CurriculumNode]:
        item = self._items.get(ref.id) if ref is not None else self._root
        return [c.node for c in item.children if c.node is not None] if item is not None else []

    def set_children(self, parent: NodeRef | None, nodes: Iterable[CurriculumNode]) -> None:
        """Make ``parent``'s children exactly ``nodes``, keeping the rows (and their loaded
        children, expansion and selection) of nodes that were already there."""
        item = self._root if parent is None else self._items.get(parent.id)
        if item is None:
            return
        index = self.index_of(parent)
        fresh = list(nodes)
        wanted = {n.id for n in fresh}
        for row in range(len(item.children) - 1, -1, -1):
            old = item.children[row]
            if old.node is None or old.node.id not in wanted:
                self.beginRemoveRows(index, row, row)
                item.children.pop(row)
                self._forget(old)
                self.endRemoveRows()
        for row, node in enumerate(fresh):
            existing = self._items.get(node.id)
            if existing is not None and existing.parent is item:
                at = item.children.index(existing)
                if at != row:
                    self.beginMoveRows(index, at, at, index, row)
                    item.children.insert(row, item.children.pop(at))
                    self.endMoveRows()
                existing.node = replace(
                    node,
                    child_count=len(existing.children) if existing.fetched else node.child_count,
                )
                changed = self.createIndex(row, 0, existing)
                self.dataChanged.emit(changed, changed)
                continue
            if existing is not None:  # it moved here from another parent
                self.remove_node(node.ref)
            self.beginInsertRows(index, row, row)
            child = _Item(node, item)
            child.fetched = child_kind(node.kind) is None
            item.children.insert(row, child)
            self._items[node.id] = child
            self.endInsertRows()
        item.fetching = False
        item.fetched = True
        if item.node is not None and item.node.child_count != len(fresh):
            item.node = replace(item.node, child_count=len(fresh))
            self.dataChanged.emit(index, index)

    def fetch_failed(self, parent: NodeRef | None) -> None:
        item = self._root if parent is None else self._items.get(parent.id)
        if item is not None:
            item.fetching = False

    def _forget(self, item: _Item) -> None:
        for child in item.children:
            self._forget(child)
        if item.node is not None:
            self._items.pop(item.node.id, None)

    def update_node(self, node: CurriculumNode) -> None:
        item = self._items.get(node.id)
        if item is None:
            return
        item.node = replace(
            node, child_count=item.node.child_count if item.node else node.child_count
        )
        index = self.index_of(node.ref)
        self.dataChanged.emit(index, index)

    def insert_node(self, parent: NodeRef, row: int, node: CurriculumNode) -> None:
        item = self._items.get(parent.id)
        if item is None:
            return
        if item.node is not None:
            item.node = replace(item.node, child_count=item.node.child_count + 1)
        if not item.fetched:  # it will load with its children when expanded
            self.dataChanged.emit(self.index_of(parent), self.index_of(parent))
            return
        row = max(0, min(row, len(item.children)))
        self.beginInsertRows(self.index_of(parent), row, row)
        child = _Item(node, item)
        child.fetched = node.child_count == 0
        item.children.insert(row, child)
        self._items[node.id] = child
        self.endInsertRows()

    def remove_node(self, ref: NodeRef) -> None:
        item = self._items.get(ref.id)
        if item is None or item.parent is None:
            return
        up = item.parent
        row = item.row()
        self.beginRemoveRows(self.index_of(up.node.ref) if up.node else QModelIndex(), row, row)
        up.children.pop(row)
        self._forget(item)
        self.endRemoveRows()
        if up.node is not None:
            up.node = replace(up.node, child_count=max(0, up.node.child_count - 1))

    def move_node(self, ref: NodeRef, new_parent: NodeRef, row: int) -> None:
        """Move a loaded node; if the new parent is not loaded the node just leaves."""
        item = self._items.get(ref.id)
        target = self._items.get(new_parent.id)
        if item is None or item.parent is None:
            return
        if target is None or not target.fetched:
            self.remove_node(ref)
            if target is not None and target.node is not None:
                target.node = replace(target.node, child_count=target.node.child_count + 1)
            return
        source = item.parent
        src_row = item.row()
        row = max(0, min(row, len(target.children) - (1 if source is target else 0)))
        if source is target and row == src_row:
            return
        dest_qt = row + 1 if source is target and row > src_row else row
        self.beginMoveRows(
            self.index_of(source.node.ref) if source.node else QModelIndex(),
            src_row,
            src_row,
            self.index_of(new_parent),
            dest_qt,
        )
        source.children.pop(src_row)
        target.children.insert(row, item)
        item.parent = target
        self.endMoveRows()
        if source is not target:
            if source.node is not None:
                source.node = replace(source.node, child_count=max(0, source.node.child_count - 1))
            if target.node is not None:
                target.node = replace(target.node, child_count=target.node.child_count + 1)

    def clear(self) -> None:
        self.beginResetModel()
        self.epoch += 1
        self._root = _Item(None, None)
        self._items.clear()
        self.endResetModel()


def kind_label(kind: NodeKind) -> str:
    texts = {
        NodeKind.PROGRAM: "Program",
        NodeKind.COURSE: "Course",
        NodeKind.CURRICULUM: "Curriculum",
        NodeKind.LEVEL: "Level",
        NodeKind.MODULE: "Module",
        NodeKind.SECTION: "Section",
        NodeKind.LESSON: "Lesson",
    }
    return QCoreApplication.translate("curriculum", texts[kind])
