"""The curriculum tree model on its own: QAbstractItemModelTester, lazy loading, drops."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from academy_desktop.domain.curriculum import CurriculumNode, NodeKind, child_kind
from academy_desktop.models.curriculum_tree import CurriculumTreeModel


def make(
    kind: NodeKind,
    parent: uuid.UUID | None,
    program: uuid.UUID,
    pos: int,
    children: int = 2,
    name: str = "",
) -> CurriculumNode:
    return CurriculumNode(
        kind,
        uuid.uuid4(),
        parent,
        program,
        name or f"{kind.value} {pos}",
        pos,
        child_count=children if child_kind(kind) else 0,
    )


def loader(model: CurriculumTreeModel):  # type: ignore[no-untyped-def]
    """Answer fetch requests synchronously with two children per node."""
    program = uuid.uuid4()

    def answer(ref):  # type: ignore[no-untyped-def]
        if ref is None:
            model.set_children(None, [make(NodeKind.PROGRAM, None, program, 0)])
            return
        below = child_kind(ref.kind)
        assert below is not None
        model.set_children(ref, [make(below, ref.id, program, i) for i in range(2)])

    model.fetch_requested.connect(answer)


def expand_all(model: CurriculumTreeModel, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    for row in range(model.rowCount(parent)):
        expand_all(model, model.index(row, 0, parent))


def test_model_passes_tester_while_loading_and_moving(qapp) -> None:  # type: ignore[no-untyped-def]
    model = CurriculumTreeModel()
    model.read_only = False
    loader(model)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    expand_all(model)
    program = model.index(0, 0)
    assert model.data(program) == "program 0"
    lessons = []

    def walk(idx):  # type: ignore[no-untyped-def]
        node = model.data(idx, Qt.ItemDataRole.UserRole + 1)
        if node is not None and node.kind is NodeKind.LESSON:
            lessons.append(node)
        for r in range(model.rowCount(idx)):
            walk(model.index(r, 0, idx))

    walk(QModelIndex())
    assert len(lessons) == 2**6
    first, other = lessons[0], lessons[-1]
    model.move_node(first.ref, model.node(other.parent_id).ref, 1)  # type: ignore[union-attr]
    assert model.node(first.id).name == first.name  # type: ignore[union-attr]
    assert model.index_of(first.ref).parent() == model.index_of(model.node(other.parent_id).ref)  # type: ignore[union-attr]
    # reorder within a parent, both directions
    siblings = model.children_of(model.node(other.parent_id).ref)  # type: ignore[union-attr]
    model.move_node(siblings[0].ref, model.node(other.parent_id).ref, 2)  # type: ignore[union-attr]
    assert [n.id for n in model.children_of(model.node(other.parent_id).ref)] == [  # type: ignore[union-attr]
        siblings[1].id,
        siblings[2].id,
        siblings[0].id,
    ]
    model.remove_node(first.ref)
    model.insert_node(model.node(other.parent_id).ref, 0, first)  # type: ignore[union-attr]
    model.update_node(
        CurriculumNode(**{**{f: getattr(first, f) for f in first.__slots__}, "name": "Renamed"})
    )
    assert model.data(model.index_of(first.ref)) == "Renamed"


def test_drop_rules(qapp) -> None:  # type: ignore[no-untyped-def]
    model = CurriculumTreeModel()
    model.read_only = False
    loader(model)
    expand_all(model)
    requested = []
    model.move_requested.connect(lambda *a: requested.append(a))
    level = model.index(0, 0, model.index(0, 0, model.index(0, 0, model.index(0, 0))))
    module_a, module_b = model.index(0, 0, level), model.index(1, 0, level)
    section = model.index(0, 0, module_a)
    lesson = model.index(0, 0, section)
    data = model.mimeData([lesson])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index(0, 0, module_b))
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, module_b)  # wrong kind
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, model.index(1, 0, module_a))
    assert requested and requested[0][2] == 2
    module_data = model.mimeData([module_a])
    assert model.drop_refusal(module_data, section) == "curriculum_cycle"
    model.read_only = True
    assert not model.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, 0, model.index(0, 0, module_b)
    )
    assert not model.flags(lesson) & Qt.ItemFlag.ItemIsEditable
