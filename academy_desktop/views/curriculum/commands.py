"""Undoable curriculum edits. Each command changes the model at once (so the tree
answers instantly) and queues the matching database call; undo and redo do both again.

Database calls run one after another through ``Editor.persist`` in the order the user
made them, each with the row_version the previous one left; a refusal reloads the tree
and clears the history (it no longer describes the database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import (
    CurriculumNode,
    EquipmentNeed,
    NodeKind,
    NodeRef,
    Rubric,
    RubricCriterion,
    child_kind,
    copy_name,
)

if TYPE_CHECKING:
    from academy_desktop.views.curriculum.editor import Editor


def _tr(text: str) -> str:
    return QCoreApplication.translate("curriculum", text)


class _Command(QUndoCommand):
    def __init__(self, editor: Editor, text: str) -> None:
        super().__init__(text)
        self.editor = editor
        self.model = editor.model

    def version_of(self, ref: NodeRef) -> int | None:
        node = self.model.node(ref)
        return node.row_version if node is not None else None


class UpdateFields(_Command):
    """Rename, edit details, archive or restore: old and new values of some fields."""

    def __init__(
        self,
        editor: Editor,
        node: CurriculumNode,
        old: dict[str, Any],
        new: dict[str, Any],
        text: str,
    ) -> None:
        super().__init__(editor, text)
        self.ref = node.ref
        self.parent = editor.parent_ref(node.ref)  # kept: an archived node leaves the model
        self.old, self.new = old, new

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, fields: dict[str, Any]) -> None:
        node = self.model.node(self.ref)
        if node is not None:
            shown = {k: v for k, v in fields.items() if k in ("name", "is_active", "description")}
            if shown.get("description") is None:
                shown.pop("description", None)
            node = replace(node, **shown)
            if not node.is_active and not self.editor.show_archived:
                self.model.remove_node(self.ref)
            else:
                self.model.update_node(node)
        ref = self.ref

        async def persist(session: Any) -> None:
            version = await q.update_node(
                session, ref.kind, ref.id, fields, self.editor.versions.get(ref.id)
            )
            self.editor.versions[ref.id] = version

        self.editor.persist(
            persist,
            refresh=() if "is_active" not in fields else (self._parent(),),
            after=self._after(fields),
        )

    def _parent(self) -> NodeRef | None:
        return self.parent

    def _after(self, fields: dict[str, Any]) -> Any:
        def done() -> None:
            node = self.model.node(self.ref)
            if node is not None:
                self.model.update_node(replace(node, row_version=self.editor.versions[self.ref.id]))
            if "is_active" in fields and fields["is_active"] and self.model.node(self.ref) is None:
                self.editor.reload_children(self._parent())
            self.editor.node_saved(self.ref)

        return done


class MoveNode(_Command):
    def __init__(self, editor: Editor, node: CurriculumNode, new_parent: NodeRef, row: int) -> None:
        super().__init__(editor, _tr("Move “%s”") % node.name)
        self.ref = node.ref
        old_parent = editor.parent_ref(node.ref)
        assert old_parent is not None
        self.old_parent, self.old_row = old_parent, node.position
        self.new_parent, self.new_row = new_parent, row

    def redo(self) -> None:
        self._go(self.new_parent, self.new_row, self.old_parent)

    def undo(self) -> None:
        self._go(self.old_parent, self.old_row, self.new_parent)

    def _go(self, parent: NodeRef, row: int, came_from: NodeRef) -> None:
        self.model.move_node(self.ref, parent, row)
        ref = self.ref

        async def persist(session: Any) -> None:
            version = await q.move_node(
                session, ref.kind, ref.id, parent.id, row, self.editor.versions.get(ref.id)
            )
            self.editor.versions[ref.id] = version

        self.editor.persist(persist, refresh=(came_from, parent))


class AddNode(_Command):
    """Add a child at the end; undo deletes it (only possible while nothing uses it)."""

    def __init__(self, editor: Editor, parent: CurriculumNode, name: str | None = None) -> None:
        super().__init__(editor, "")
        kind = child_kind(parent.kind)
        assert kind is not None
        taken = {n.name for n in editor.model.children_of(parent.ref)}
        self.name = name or copy_name(_tr("New %s") % kind_noun(kind), taken)
        self.setText(_tr("Add “%s”") % self.name)
        self.parent = parent.ref
        self.kind = kind
        self.new_id: UUID = uuid4()
        self.row = parent.child_count

    def redo(self) -> None:
        node = CurriculumNode(
            self.kind,
            self.new_id,
            self.parent.id,
            self.editor.program_of(self.parent),
            self.name,
            self.row,
        )
        self.model.insert_node(self.parent, self.row, node)
        self.editor.versions[self.new_id] = 1
        kind, parent, name, row, new_id = self.kind, self.parent, self.name, self.row, self.new_id

        async def persist(session: Any) -> None:
            await q.create_node(session, kind, parent.id, name, row, new_id)

        self.editor.persist(persist, refresh=(parent,))

    def undo(self) -> None:
        ref = NodeRef(self.kind, self.new_id)
        self.model.remove_node(ref)

        async def persist(session: Any) -> None:
            await q.remove_subtree(session, ref.kind, ref.id)

        self.editor.persist(persist, refresh=(self.parent,))


class DuplicateNode(_Command):
    def __init__(self, editor: Editor, node: CurriculumNode, new_parent: NodeRef) -> None:
        super().__init__(editor, _tr("Duplicate “%s”") % node.name)
        self.source = node.ref
        self.parent = new_parent
        self.new_id = uuid4()

    def redo(self) -> None:
        source, parent, new_id = self.source, self.parent, self.new_id

        async def persist(session: Any) -> None:
            await q.duplicate_subtree(session, source.kind, source.id, parent.id, new_id)

        self.editor.persist(persist, refresh=(parent,))

    def undo(self) -> None:
        ref = NodeRef(self.source.kind, self.new_id)
        self.model.remove_node(ref)

        async def persist(session: Any) -> None:
            await q.remove_subtree(session, ref.kind, ref.id)

        self.editor.persist(persist, refresh=(self.parent,))


def kind_noun(kind: NodeKind) -> str:
    return {
        NodeKind.COURSE: "course",
        NodeKind.CURRICULUM: "curriculum",
        NodeKind.LEVEL: "level",
        NodeKind.MODULE: "module",
        NodeKind.SECTION: "section",
        NodeKind.LESSON: "lesson",
        NodeKind.PROGRAM: "program",
    }[kind]


class SaveRubric(_Command):
    """Save a level's criteria; undo saves the previous ones back. A rubric somebody was
    rated under is never rewritten: each save then publishes a new version."""

    def __init__(
        self,
        editor: Editor,
        level_id: UUID,
        rubric: Rubric,
        new: tuple[RubricCriterion, ...],
        refresh: Callable[[UUID], object],
    ) -> None:
        super().__init__(editor, _tr("Edit rubric"))
        self.level_id, self.name = level_id, rubric.name or "Assessment"
        self.old, self.new = rubric.criteria, new
        self.expected: int | None = rubric.version  # what the user saw; later: the latest
        self.refresh = refresh

    def redo(self) -> None:
        self._save(self.new)

    def undo(self) -> None:
        self._save(self.old)

    def _save(self, criteria: tuple[RubricCriterion, ...]) -> None:
        level_id, name, expected = self.level_id, self.name, self.expected
        self.expected = None

        async def persist(session: Any) -> None:
            version = expected
            if version is None:
                version = (await q.get_rubric(session, level_id)).version
            await q.save_rubric(session, level_id, name, criteria, version)

        self.editor.persist(persist, after=lambda: self.refresh(level_id))


class SetEquipment(_Command):
    def __init__(
        self,
        editor: Editor,
        level_id: UUID,
        old: tuple[EquipmentNeed, ...],
        new: tuple[EquipmentNeed, ...],
        refresh: Callable[[UUID], object],
    ) -> None:
        super().__init__(editor, _tr("Edit equipment"))
        self.level_id, self.old, self.new, self.refresh = level_id, old, new, refresh

    def redo(self) -> None:
        self._save(self.new)

    def undo(self) -> None:
        self._save(self.old)

    def _save(self, needs: tuple[EquipmentNeed, ...]) -> None:
        level_id = self.level_id

        async def persist(session: Any) -> None:
            await q.set_level_equipment(session, level_id, needs)

        self.editor.persist(persist, after=lambda: self.refresh(level_id))
