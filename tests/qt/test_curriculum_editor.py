"""The curriculum workspace driven like a user, against the real database under RLS."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from academy_desktop.domain.curriculum import NodeKind, NodeRef
from tests.db.curriculum_fixtures import fetch
from tests.qt.curriculum_fixtures import Screen, curriculum_world, open_screen  # noqa: F401

pytestmark = pytest.mark.usefixtures("qloop")


def open_path(screen: Screen, *names: str) -> None:
    """Expand the tree along ``names`` and select the last one."""
    ws = screen.workspace
    index = None
    for name in names:
        screen.settle()
        parent = ws.proxy.index(0, 0).parent() if index is None else index
        screen.qtbot.waitUntil(lambda: any(ws.proxy.index(r, 0, parent).data() == name
                                           for r in range(ws.proxy.rowCount(parent))))
        index = next(ws.proxy.index(r, 0, parent) for r in range(ws.proxy.rowCount(parent))
                     if ws.proxy.index(r, 0, parent).data() == name)
        ws.tree.setCurrentIndex(index)
        ws.tree.expand(index)
    screen.settle()


def type_name(screen: Screen, name: str) -> None:
    screen.qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    screen.qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    screen.qtbot.keyClicks(editor, name)
    screen.qtbot.keyClick(editor, Qt.Key.Key_Return)
    screen.settle()


def test_build_a_small_tree_by_keyboard(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    su, swim, _, = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1")
    tree = screen.workspace.tree
    tree.setFocus()
    for name in ("Breathing", "Bubbles", "Blow bubbles at the surface"):
        screen.qtbot.keyClick(tree, Qt.Key.Key_Insert)
        screen.settle()
        type_name(screen, name)
    rows = fetch(su, "select m.name, s.name, l.name, m.position from academy.lessons l"
                     " join academy.sections s on s.id = l.section_id"
                     " join academy.modules m on m.id = s.module_id where l.name like 'Blow%%'")
    assert rows == [("Breathing", "Bubbles", "Blow bubbles at the surface", 2)]


def test_undo_redo_rename_and_move_in_database(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1", "M1S1", "M1S1L1")
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_F2)
    type_name(screen, "Float on back")
    lesson = swim.ids["M1S1L1"]
    name = lambda: fetch(su, "select name from academy.lessons where id = %s", (lesson,))[0][0]  # noqa: E731
    assert name() == "Float on back"
    # drag-and-drop path: the model's drop request, as the view makes it
    target = ws.model.index_of(NodeRef(NodeKind.SECTION, swim.ids["M1S2"]))
    ws.tree.expand(ws.proxy.mapFromSource(target))
    screen.settle()
    data = ws.model.mimeData([ws.model.index_of(NodeRef(NodeKind.LESSON, lesson))])
    assert ws.model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, target)
    screen.settle()
    where = lambda: fetch(su, "select section_id, position from academy.lessons where id = %s", (lesson,))[0]  # noqa: E731
    assert where() == (swim.ids["M1S2"], 1)
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    screen.settle()
    assert where() == (swim.ids["M1S1"], 0)
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    screen.settle()
    assert name() == "M1S1L1"
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, redo)
    screen.settle()
    assert name() == "Float on back"
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, redo)
    screen.settle()
    assert where() == (swim.ids["M1S2"], 1)
    assert ws.history.model().rowCount() == 3  # <empty> + rename + move
    positions = fetch(su, "select section_id, array_agg(position order by position) from academy.lessons"
                          " where section_id in (%s, %s) group by 1", (swim.ids["M1S1"], swim.ids["M1S2"]))
    assert sorted(p[1] for p in positions) == [[0], [0, 1, 2]]
