"""The curriculum editor's presenter: loads the tree lazily into the model, runs the undo
commands' database calls strictly in order, and recovers when the database refuses.

It owns no widgets; the workspace wires it to the tree view and the detail panel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from uuid import UUID

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import CurriculumNode, NodeKind, NodeRef, parent_kind
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.models.curriculum_tree import CurriculumTreeModel
from academy_desktop.ui.aio import spawn
from academy_desktop.views.workspace import WorkspaceContext

Persist = Callable[[Any], Awaitable[None]]


class Editor(QObject):
    refused = Signal(object)  # UserFacingError: the database said no; tree reloaded
    saved = Signal(object)  # NodeRef whose save finished
    idle_changed = Signal(bool)

    def __init__(
        self, context: WorkspaceContext, model: CurriculumTreeModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.model = model
        self.stack = QUndoStack(self)
        self.versions: dict[UUID, int] = {}
        self.show_archived = False
        self._tail: asyncio.Future[Any] | None = None
        self._pending = 0
        self.widget: Any = None  # for error routing (ui.aio looks for .widget)
        model.fetch_requested.connect(self._fetch)
        model.rename_requested.connect(self.rename)
        model.move_requested.connect(self.move)

    # -- loading ----------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _fetch(self, ref: NodeRef | None) -> None:
        spawn(self._load(ref), self, "curriculum.fetch")

    async def _load(self, ref: NodeRef | None) -> None:
        archived = self.show_archived
        epoch = self.model.epoch
        try:
            if ref is None:
                nodes = await self.context.runner.run(lambda s: q.list_programs(s, archived))
            else:
                kind = _child(ref.kind)
                nodes = await self.context.runner.run(
                    lambda s: q.list_children(s, kind, ref.id, archived)
                )
        except BaseException:
            self.model.fetch_failed(ref)
            raise
        if epoch != self.model.epoch:
            return
        self._remember(nodes)
        self.model.set_children(ref, nodes)

    def _remember(self, nodes: Iterable[CurriculumNode]) -> None:
        for node in nodes:
            self.versions[node.id] = node.row_version

    def reload_children(self, ref: NodeRef | None) -> None:
        if self.model.is_loaded(ref):
            spawn(self._load(ref), self, "curriculum.reload")

    async def load_program_tree(self, program: NodeRef) -> None:
        """Everything under one program in one go (expand all, filter)."""
        archived = self.show_archived
        epoch = self.model.epoch
        groups = await self.context.runner.run(
            lambda s: q.list_program_tree(s, program.id, archived)
        )
        if epoch == self.model.epoch:
            self._fill(program, groups)

    def _fill(self, ref: NodeRef, groups: dict[UUID, tuple[CurriculumNode, ...]]) -> None:
        nodes = groups.get(ref.id, ())
        self._remember(nodes)
        self.model.set_children(ref, nodes)
        for node in nodes:
            if node.kind is not NodeKind.LESSON:
                self._fill(node.ref, groups)

    def parent_ref(self, ref: NodeRef) -> NodeRef | None:
        node = self.model.node(ref)
        kind = parent_kind(ref.kind)
        if node is None or node.parent_id is None or kind is None:
            return None
        return NodeRef(kind, node.parent_id)

    def program_of(self, ref: NodeRef) -> UUID:
        node = self.model.node(ref)
        assert node is not None
        return node.program_id

    # -- edits --------------------------------------------------------------------------
    def rename(self, ref: NodeRef, name: str) -> None:
        from academy_desktop.views.curriculum.commands import UpdateFields, _tr

        node = self.model.node(ref)
        if node is None or name == node.name:
            return
        self.stack.push(
            UpdateFields(
                self,
                node,
                {"name": node.name},
                {"name": name},
                _tr("Rename “%s” to “%s”") % (node.name, name),
            )
        )

    def move(self, ref: NodeRef, new_parent: NodeRef, row: int) -> None:
        from academy_desktop.views.curriculum.commands import MoveNode

        node = self.model.node(ref)
        if node is None:
            return
        if self.parent_ref(ref) == new_parent and node.position == row:
            return
        self.stack.push(MoveNode(self, node, new_parent, row))

    def persist(
        self,
        work: Persist,
        refresh: Iterable[NodeRef | None] = (),
        after: Callable[[], None] | None = None,
    ) -> None:
        """Queue ``work`` after every earlier edit; then reload ``refresh`` parents."""
        previous = self._tail
        self._pending += 1
        if self._pending == 1:
            self.idle_changed.emit(False)
        self._tail = spawn(
            self._run(previous, work, tuple(refresh), after), self, "curriculum.save"
        )

    async def _run(
        self,
        previous: asyncio.Future[Any] | None,
        work: Persist,
        refresh: tuple[NodeRef | None, ...],
        after: Callable[[], None] | None,
    ) -> None:
        try:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            try:
                await self.context.runner.run(work)
            except UserFacingError as error:
                self._recover()
                self.refused.emit(error)
                raise
            if after is not None:
                after()
            for ref in dict.fromkeys(refresh):
                if self.model.is_loaded(ref):
                    await self._load(ref)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.idle_changed.emit(True)

    def _recover(self) -> None:
        """The database refused: forget the history and show what it holds now."""
        self.stack.clear()
        self.model.clear()
        self.model.fetchMore(self.model.index_of(None))

    def node_saved(self, ref: NodeRef) -> None:
        self.saved.emit(ref)

    async def wait_idle(self) -> None:
        while self._tail is not None and not self._tail.done():
            await asyncio.gather(self._tail, return_exceptions=True)


def _child(kind: NodeKind) -> NodeKind:
    from academy_desktop.domain.curriculum import child_kind

    below = child_kind(kind)
    assert below is not None
    return below
