"""Rubrics keep their history: editing a rubric somebody was rated under publishes a new
version, and the old ratings keep (and still show) theirs. Equipment per level."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt

from academy_desktop.domain.curriculum import NodeKind, NodeRef
from tests.db.curriculum_fixtures import fetch
from tests.qt import curriculum_fixtures as fx
from tests.qt.curriculum_pdf import pdf_contains
from tests.qt.test_curriculum_editor import open_path

curriculum_world = fx.curriculum_world
open_screen = fx.open_screen
pytestmark = pytest.mark.usefixtures("qloop")


def rate_a_student(su: str, level, rubric_id, criterion_id) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(su, autocommit=True) as conn:
        loc = conn.execute(
            "insert into academy.locations (code, name) values ('R1', 'Pool') returning id"
        ).fetchone()[0]  # type: ignore[index]
        student = conn.execute(
            "insert into academy.students (first_name, last_name, date_of_birth, location_id)"
            " values ('Ana', 'Lee', '2018-03-01', %s) returning id",
            (loc,),
        ).fetchone()[0]  # type: ignore[index]
        conn.execute(
            "insert into academy.student_progress"
            " (student_id, level_id, program_id, rubric_id, criterion_id, stars)"
            " values (%s, %s, (select program_id from academy.levels where id = %s), %s, %s, 2)",
            (student, level, level, rubric_id, criterion_id),
        )


def test_editing_a_rated_rubric_creates_a_new_version(
    curriculum_world, login_role, open_screen
) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1")
    panel = ws.level_panel
    screen.qtbot.waitUntil(lambda: panel.level_id == swim.level and panel.rubric is not None)
    model = panel.rubric_model
    row = model.add_criterion()
    for column, text in enumerate(
        ["Kicking", "No kick", "Kicks with help", "Kicks alone", "Strong kick"]
    ):
        model.setData(model.index(row, column), text)
    screen.qtbot.mouseClick(panel.save_rubric, Qt.MouseButton.LeftButton)
    screen.qtbot.waitUntil(lambda: panel.rubric is not None and panel.rubric.version == 1)
    v1, criterion = fetch(
        su,
        "select r.id, c.id from academy.assessment_rubrics r join"
        " academy.assessment_rubric_criteria c on c.rubric_id = r.id where r.level_id = %s",
        (swim.level,),
    )[0]
    rate_a_student(su, swim.level, v1, criterion)
    panel.show_level(swim.level, True)
    screen.qtbot.waitUntil(lambda: panel.rubric is not None and panel.rubric.rated)
    assert "publishes version 2" in panel.rubric_status.text()
    model.setData(model.index(0, 3), "Kicks alone for 10 m")
    screen.qtbot.mouseClick(panel.save_rubric, Qt.MouseButton.LeftButton)
    screen.qtbot.waitUntil(lambda: panel.rubric is not None and panel.rubric.version == 2)
    rubrics = fetch(
        su,
        "select version, is_current from academy.assessment_rubrics where level_id = %s"
        " order by version",
        (swim.level,),
    )
    assert rubrics == [(1, False), (2, True)]
    # the old rating still points at version 1, whose descriptor is unchanged
    old = fetch(
        su,
        "select c.star_2_descriptor, r.version from academy.student_progress p"
        " join academy.assessment_rubric_criteria c on c.id = p.criterion_id"
        " join academy.assessment_rubrics r on r.id = p.rubric_id",
    )
    assert old == [("Kicks alone", 1)]
    assert panel.versions.count() == 2
    panel.versions.setCurrentIndex(1)
    panel.versions.activated.emit(1)
    screen.qtbot.waitUntil(lambda: model.rubric is not None and model.rubric.version == 1)
    assert model.data(model.index(0, 3)) == "Kicks alone"


def test_equipment_from_the_library(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1")
    panel = ws.level_panel
    screen.qtbot.waitUntil(lambda: panel.level_id == swim.level and panel.rubric is not None)
    screen.qtbot.keyClicks(panel.new_item, "Noodle float")
    screen.qtbot.keyClick(panel.new_item, Qt.Key.Key_Return)
    screen.qtbot.waitUntil(lambda: any(i.name == "Noodle float" for i in panel.items))
    screen.qtbot.mouseClick(panel.add_need, Qt.MouseButton.LeftButton)
    combo = panel.equipment.cellWidget(0, 0)
    combo.setCurrentIndex(combo.findText("Noodle float"))
    panel.equipment.cellWidget(0, 1).setValue(2)
    screen.qtbot.mouseClick(panel.save_equipment, Qt.MouseButton.LeftButton)
    screen.qtbot.waitUntil(lambda: bool(fetch(su, "select 1 from academy.equipment_requirements")))
    assert fetch(
        su,
        "select i.name::text, r.quantity, r.is_required from academy.equipment_requirements r"
        " join academy.equipment_items i on i.id = r.equipment_item_id where r.level_id = %s",
        (swim.level,),
    ) == [("Noodle float", 2, True)]


def test_level_pdf_contains_the_rubric(
    curriculum_world, login_role, open_screen, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    with psycopg.connect(su, autocommit=True) as conn:
        rubric = conn.execute(
            "insert into academy.assessment_rubrics (level_id, program_id, is_current, name)"
            " values (%s, %s, true, 'Assessment') returning id",
            (swim.level, swim.program),
        ).fetchone()[0]  # type: ignore[index]
        conn.execute(
            "insert into academy.assessment_rubric_criteria (rubric_id, program_id, name,"
            " star_0_descriptor, star_1_descriptor, star_2_descriptor, star_3_descriptor)"
            " values (%s, %s, 'Floating', 'Sinks', 'Floats with noodle', 'Floats 5 s',"
            " 'Floats 30 s')",
            (rubric, swim.program),
        )
    desk_path = tmp_path / "level1.pdf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(desk_path), "PDF files (*.pdf)"),
    )
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1", "M1")
    screen.qtbot.keyClick(screen.workspace.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    screen.qtbot.waitUntil(lambda: desk_path.exists() and desk_path.stat().st_size > 1000)
    data = desk_path.read_bytes()
    assert data.startswith(b"%PDF")
    for text in ("Level 1", "Floating", "Floats with noodle", "Floats 30 s", "M1S1L1"):
        assert pdf_contains(data, text), text
    assert not pdf_contains(data, "Gymnastics")
    # the whole curriculum: one page per level
    desk_path = tmp_path / "kids.pdf"
    screen.workspace.select(NodeRef(NodeKind.CURRICULUM, swim.curriculum))
    screen.qtbot.keyClick(screen.workspace.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    screen.qtbot.waitUntil(lambda: desk_path.exists() and desk_path.stat().st_size > 1000)
    assert pdf_contains(desk_path.read_bytes(), "Floats with noodle")


def test_rubric_and_equipment_edits_undo(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5-8", "Level 1")
    panel = ws.level_panel
    screen.qtbot.waitUntil(lambda: panel.level_id == swim.level and panel.rubric is not None)
    row = panel.rubric_model.add_criterion()
    panel.rubric_model.setData(panel.rubric_model.index(row, 0), "Gliding")
    screen.qtbot.mouseClick(panel.save_rubric, Qt.MouseButton.LeftButton)
    screen.settle()

    def criteria() -> list[tuple[object, ...]]:
        return fetch(su, "select c.name from academy.assessment_rubric_criteria c"
                         " join academy.assessment_rubrics r on r.id = c.rubric_id"
                         " where r.level_id = %s and r.is_current and c.is_active", (swim.level,))

    assert criteria() == [("Gliding",)]
    ws.editor.stack.undo()
    screen.settle()
    assert criteria() == []
    ws.editor.stack.redo()
    screen.settle()
    assert criteria() == [("Gliding",)]
    screen.qtbot.waitUntil(lambda: panel.rubric is not None and bool(panel.rubric.criteria))
