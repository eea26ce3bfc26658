"""Export a curriculum to a file and import it into another program: preview first, and
nothing half-imported when the database refuses a part."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from academy_desktop.domain.curriculum import NodeKind, NodeRef
from academy_desktop.views.curriculum import transfer
from tests.db.curriculum_fixtures import fetch
from tests.qt import curriculum_fixtures as fx

curriculum_world = fx.curriculum_world
open_screen = fx.open_screen
pytestmark = pytest.mark.usefixtures("qloop")


def test_export_then_import_into_another_program(
    curriculum_world, login_role, open_screen, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    su, swim, gym = curriculum_world
    admin = login_role("program_admin", programs=[swim.program, gym.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    path = tmp_path / "kids.json"
    screen.wait(transfer.save_export(ws, swim.curriculum, path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (
        doc["curriculum"]["levels"][0]["modules"][1]["sections"][0]["lessons"][1]["name"]
        == "M2S1L2"
    )
    screen.wait(ws.editor._load(None))
    screen.wait(ws.editor.load_program_tree(NodeRef(NodeKind.PROGRAM, gym.program)))
    box = transfer.ask_import(ws, NodeRef(NodeKind.COURSE, gym.course), path)
    assert box is not None and "8 lessons" in box.informativeText()
    import_button = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    import_button.click()
    screen.qtbot.waitUntil(
        lambda: (
            len(fetch(su, "select 1 from academy.curriculums where course_id = %s", (gym.course,)))
            == 2
        )
    )
    screen.settle()
    counts = fetch(
        su,
        "select count(*) from academy.lessons l join academy.sections s on s.id = l.section_id"
        " join academy.modules m on m.id = s.module_id join academy.levels v on v.id = m.level_id"
        " where v.program_id = %s",
        (gym.program,),
    )
    assert counts == [(16,)]
    assert fetch(
        su,
        "select name, min_age, max_age, position from academy.curriculums where course_id = %s"
        " order by position desc limit 1",
        (gym.course,),
    ) == [("Kids 5-8 (copy)", 5, 8, 1)]

    # a file the database refuses halfway (two lessons with the same name): nothing stays
    doc["curriculum"]["name"] = "Broken"
    lessons = doc["curriculum"]["levels"][0]["modules"][1]["sections"][1]["lessons"]
    lessons[1]["name"] = lessons[0]["name"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    box = transfer.ask_import(ws, NodeRef(NodeKind.COURSE, gym.course), path)
    assert box is not None
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
    screen.qtbot.waitUntil(
        lambda: ws.banner.isVisible() and "already has that name" in ws.banner._text.text()
    )
    assert fetch(su, "select count(*) from academy.curriculums where name = 'Broken'") == [(0,)]
    # not a curriculum file at all
    path.write_text('{"format": "something else"}', encoding="utf-8")
    assert transfer.ask_import(ws, NodeRef(NodeKind.COURSE, gym.course), path) is None
    assert "not a curriculum export" in ws.banner._text.text()
