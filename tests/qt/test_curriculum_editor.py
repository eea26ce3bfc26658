"""The curriculum workspace driven like a user, against the real database under RLS."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from academy_desktop.domain.curriculum import NodeKind, NodeRef
from tests.db.curriculum_fixtures import fetch
from tests.qt import curriculum_fixtures as fx
from tests.qt.curriculum_fixtures import Screen

curriculum_world = fx.curriculum_world
open_screen = fx.open_screen
pytestmark = pytest.mark.usefixtures("qloop")


def open_path(screen: Screen, *names: str) -> None:
    """Expand the tree along ``names`` and select the last one."""
    ws = screen.workspace
    index = None
    for name in names:
        screen.settle()
        parent = ws.proxy.index(0, 0).parent() if index is None else index
        def shown(parent=parent, name=name) -> bool:  # type: ignore[no-untyped-def]
            return any(ws.proxy.index(r, 0, parent).data() == name
                       for r in range(ws.proxy.rowCount(parent)))

        screen.qtbot.waitUntil(shown, timeout=15000)
        index = next(
            ws.proxy.index(r, 0, parent)
            for r in range(ws.proxy.rowCount(parent))
            if ws.proxy.index(r, 0, parent).data() == name
        )
        ws.tree.setCurrentIndex(index)
        ws.tree.expand(index)
    screen.settle()


def type_name(screen: Screen, name: str) -> None:
    viewport = screen.workspace.tree.viewport()

    def editing() -> bool:  # the tree's in-place editor, not the filter field
        focus = QApplication.focusWidget()
        return isinstance(focus, QLineEdit) and focus.parent() is viewport

    screen.qtbot.waitUntil(editing, timeout=15000)
    editor = QApplication.focusWidget()
    screen.qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    screen.qtbot.keyClicks(editor, name)
    screen.qtbot.keyClick(editor, Qt.Key.Key_Return)
    screen.settle()


def test_build_a_small_tree_by_keyboard(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    (
        su,
        swim,
        _,
    ) = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1")
    tree = screen.workspace.tree
    tree.setFocus()
    for name in ("Breathing", "Bubbles", "Blow bubbles at the surface"):
        screen.qtbot.keyClick(tree, Qt.Key.Key_Insert)
        screen.settle()
        type_name(screen, name)
    rows = fetch(
        su,
        "select m.name, s.name, l.name, m.position from academy.lessons l"
        " join academy.sections s on s.id = l.section_id"
        " join academy.modules m on m.id = s.module_id where l.name like 'Blow%%'",
    )
    assert rows == [("Breathing", "Bubbles", "Blow bubbles at the surface", 2)]


def test_undo_redo_rename_and_move_in_database(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
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
    def where() -> tuple[object, ...]:
        return fetch(su, "select section_id, position from academy.lessons where id = %s",
                     (lesson,))[0]
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
    positions = fetch(
        su,
        "select section_id, array_agg(position order by position) from academy.lessons"
        " where section_id in (%s, %s) group by 1",
        (swim.ids["M1S1"], swim.ids["M1S2"]),
    )
    assert sorted(p[1] for p in positions) == [[0], [0, 1, 2]]


def test_invalid_drop_is_refused_and_a_refused_move_explained(
    curriculum_world, login_role, open_screen
) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1", "M1S1")
    model = ws.model
    lesson = model.index_of(NodeRef(NodeKind.LESSON, swim.ids["M1S1L1"]))
    module = model.index_of(NodeRef(NodeKind.MODULE, swim.ids["M2"]))
    data = model.mimeData([lesson])
    assert not model.dropMimeData(
        data, Qt.DropAction.MoveAction, 0, 0, module
    )  # a lesson under a module
    section_data = model.mimeData([model.index_of(NodeRef(NodeKind.SECTION, swim.ids["M1S1"]))])
    assert not model.canDropMimeData(
        section_data, Qt.DropAction.MoveAction, 0, 0, lesson
    )  # into itself
    screen.settle()
    assert fetch(
        su, "select section_id from academy.lessons where id = %s", (swim.ids["M1S1L1"],)
    ) == [(swim.ids["M1S1"],)]
    # someone else renames the lesson meanwhile: our move is refused, explained, tree reloaded
    with psycopg.connect(su, autocommit=True) as conn:
        conn.execute(
            "update academy.lessons set name = 'Changed elsewhere' where id = %s",
            (swim.ids["M1S1L1"],),
        )
    ws.editor.move(
        NodeRef(NodeKind.LESSON, swim.ids["M1S1L1"]), NodeRef(NodeKind.SECTION, swim.ids["M1S2"]), 0
    )
    screen.settle()
    screen.qtbot.waitUntil(lambda: ws.banner.isVisible())
    assert "changed this in the meantime" in ws.banner._text.text()
    assert ws.editor.stack.count() == 0
    assert fetch(
        su, "select section_id from academy.lessons where id = %s", (swim.ids["M1S1L1"],)
    ) == [(swim.ids["M1S1"],)]


def test_front_desk_reads_but_cannot_edit(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    with psycopg.connect(su, autocommit=True) as conn:
        loc = conn.execute(
            "insert into academy.locations (code, name) values ('FD1', 'Pool') returning id"
        ).fetchone()[0]  # type: ignore[index]
        conn.execute(
            "insert into academy.location_programs (location_id, program_id) values (%s, %s)",
            (loc, swim.program),
        )
    desk = login_role("front_desk", locations=[loc])
    screen = open_screen(desk.url)
    ws = screen.workspace
    assert [n.name for n in ws.model.children_of(None)] == ["Swimming"]  # not Gymnastics
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1", "M1S1", "M1S1L1")
    assert not ws.add_action.isVisible() and not ws.archive_action.isVisible()
    assert not ws.model.flags(ws.model.index_of(NodeRef(NodeKind.LESSON, swim.ids["M1S1L1"]))) & (
        Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
    )
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_F2)
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Insert)
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Delete)
    screen.settle()
    assert (
        not isinstance(QApplication.focusWidget(), QLineEdit)
        or QApplication.focusWidget() is ws.filter
    )
    assert ws.editor.stack.count() == 0
    screen.qtbot.waitUntil(lambda: ws.detail.detail is not None)
    assert ws.detail.name.isReadOnly() and not ws.detail.save.isVisible()
    # and the database agrees, whatever the screen offers
    with pytest.raises(psycopg.errors.InsufficientPrivilege), psycopg.connect(desk.url) as conn:
        conn.execute(
            "select academy.update_curriculum_node('lesson', %s, '{\"name\": \"x\"}', null)",
            (swim.ids["M1S1L1"],),
        )
    assert fetch(su, "select name from academy.lessons where id = %s", (swim.ids["M1S1L1"],)) == [
        ("M1S1L1",)
    ]


def test_duplicate_archive_filter_by_keyboard(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    ctrl = Qt.KeyboardModifier.ControlModifier
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1")
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_D, ctrl)
    screen.settle()

    def modules() -> list[tuple[object, ...]]:
        return fetch(su, "select name, is_active from academy.modules where level_id = %s"
                         " order by position", (swim.level,))

    assert modules() == [("M1", True), ("M2", True), ("M1 (copy)", True)]
    shown = ws.model.children_of(NodeRef(NodeKind.LEVEL, swim.level))
    assert shown[-1].name == "M1 (copy)"
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, ctrl)
    screen.settle()
    assert modules() == [("M1", True), ("M2", True)]
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M2")
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Delete)
    screen.settle()
    assert modules() == [("M1", True), ("M2", False)]
    assert [n.name for n in ws.model.children_of(NodeRef(NodeKind.LEVEL, swim.level))] == ["M1"]
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Z, ctrl)
    screen.settle()
    assert modules() == [("M1", True), ("M2", True)]
    # archived items come back (greyed, italic) with "Show archived"
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M2")
    screen.qtbot.keyClick(ws.tree, Qt.Key.Key_Delete)
    screen.settle()
    assert modules() == [("M1", True), ("M2", False)]
    ws.show_archived.setChecked(True)
    screen.settle()
    screen.wait(ws.expand_all())
    screen.qtbot.waitUntil(lambda: ws.model.node(swim.ids["M2"]) is not None)
    m2 = ws.model.index_of(NodeRef(NodeKind.MODULE, swim.ids["M2"]))
    assert ws.model.data(m2, Qt.ItemDataRole.FontRole).italic()
    ws.show_archived.setChecked(False)
    screen.settle()
    # filter: everything loads, only matching branches stay
    screen.qtbot.keyClick(ws, Qt.Key.Key_F, ctrl)
    screen.qtbot.keyClicks(ws.filter, "m1s2l1")
    screen.qtbot.waitUntil(lambda: ws.model.node(swim.ids["M1S2L1"]) is not None)
    screen.settle()
    level = ws.proxy.mapFromSource(ws.model.index_of(NodeRef(NodeKind.LEVEL, swim.level)))
    assert ws.proxy.rowCount(level) == 1
    m1 = ws.proxy.index(0, 0, level)
    assert ws.proxy.rowCount(m1) == 1 and ws.proxy.index(0, 0, m1).data() == "M1S2"


def test_lesson_details_saved_and_undone(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1", "M1S1", "M1S1L1")
    panel = ws.detail
    screen.qtbot.waitUntil(lambda: panel.detail is not None and panel.objectives.isVisible())
    panel.objectives.setPlainText("Enter the water safely")
    panel.duration.setValue(45)
    panel.content.setHtml("<p>Sit on the edge, <b>turn</b>, slide in.</p>")
    screen.qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    screen.settle()

    def lesson() -> tuple[object, ...]:
        return fetch(su, "select objectives, duration_minutes, content like '%%<b>%%' or"
                         " content like '%%font-weight%%' from academy.lessons where id = %s",
                     (swim.ids["M1S1L1"],))[0]

    assert lesson() == ("Enter the water safely", 45, True)
    ws.editor.stack.undo()
    screen.settle()
    assert lesson() == (None, 30, None)
