# ruff: noqa: F811  (pytest fixtures imported from students_fixtures)
"""The students workspace driven like a user against a real database, as a real front
desk over TCP: search with a typo and open, scan a number, page the list, stale edits,
archive, location scope, CSV export; the list model passes QAbstractItemModelTester."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from students_fixtures import World, open_workspace, world  # noqa: F401 (fixtures)

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.students import PersonRow, StudentPage
from academy_desktop.models.students import StudentsModel
from academy_desktop.views.students.view import StudentsWorkspace


def type_search(qtbot: Any, workspace: StudentsWorkspace, text: str) -> None:
    workspace.search.setFocus()
    workspace.search.clear()
    qtbot.keyClicks(workspace.search, text)


def test_model_passes_tester(qapp: Any) -> None:
    model = StudentsModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    import uuid
    rows = tuple(PersonRow("student", uuid.uuid4(), f"F{i}", "L", f"S{i:07d}",
                           date_of_birth=date(2015, 1, 1)) for i in range(5))
    model.reset_rows(rows[:3], has_more=True)
    assert model.canFetchMore()
    asked: list[int] = []
    model.fetch_wanted.connect(asked.append)
    model.fetchMore()
    assert asked == [3] and not model.canFetchMore()  # no second request while loading
    model.append_page(StudentPage(rows[3:], 3, False))
    assert model.rowCount() == 5 and not model.canFetchMore()
    model.append_page(StudentPage(rows[3:], 3, False))  # stale page: ignored
    assert model.rowCount() == 5
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.descending and model.index(0, 2).data() != ""
    model.clear()


def test_same_result_again_resets_nothing_and_cells_are_precomputed(qapp: Any) -> None:
    """A keystroke whose result equals the one shown must not reset the view (no
    flicker, selection kept); cells answer from texts computed once per row."""
    import uuid
    model = StudentsModel(today=date(2025, 1, 1))
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = [PersonRow("student", uuid.uuid4(), "Ann", "Lee", "S0000001",
                      date_of_birth=date(2015, 1, 1)),
            PersonRow("parent", uuid.uuid4(), "Bo", "Lee", None, phone="+15085558374",
                      email="bo@example.com", is_active=True)]
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.reset_rows(rows)
    model.reset_rows(list(rows))  # equal rows: nothing happens
    assert len(resets) == 1
    model.reset_rows(rows[:1])
    assert len(resets) == 2 and model.rowCount() == 1
    model.reset_rows(rows)
    assert model.index(0, 2).data() == model.text_at(0, 2) == "10"
    assert model.index(1, 1).data() == "Parent" and model.text_at(1, 0) == rows[1].display_name
    assert model.text_at(1, 6) == "(508) 555-8374 · bo@example.com"  # as the desk dials it
    assert model.index(1, 0).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def test_typo_search_then_open_student(qtbot: Any, world: World, open_workspace: Any) -> None:
    workspace, host = open_workspace(world)
    type_search(qtbot, workspace, "olivai mart")
    qtbot.waitUntil(lambda: any(r.first_name == "Olivia" for r in workspace.model.rows()))
    row = next(i for i, r in enumerate(workspace.model.rows()) if r.first_name == "Olivia")
    workspace.table.setFocus()
    workspace.table.setCurrentIndex(workspace.model.index(row, 0))
    qtbot.waitUntil(lambda: workspace.panel.detail is not None)
    assert workspace.panel.name.text() == "Olivia Martínez"
    assert "born 1 May 2016" in workspace.panel.facts.text()  # not "01 05 2016" (C locale)
    assert any("Asthma" in text for text in workspace.panel.alert_texts())
    assert workspace.panel.family.row_texts()[0][0] == "Ana Martínez"
    assert not host.errors


def test_scanned_number_and_enter_opens_student(qtbot: Any, world: World,
                                                 open_workspace: Any) -> None:
    workspace, _host = open_workspace(world)
    type_search(qtbot, workspace, "S9000001")
    qtbot.keyClick(workspace.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.panel.detail is not None)
    assert workspace.panel.detail.profile.student_number == "S9000001"
    # a parent row: Enter lists the parent's children (search by the parent's phone)
    type_search(qtbot, workspace, "ana mart")
    qtbot.waitUntil(lambda: any(not r.is_student for r in workspace.model.rows()))
    qtbot.keyClick(workspace.search, Qt.Key.Key_Down)
    parent_row = next(i for i, r in enumerate(workspace.model.rows()) if not r.is_student)
    workspace.table.setCurrentIndex(workspace.model.index(parent_row, 0))
    qtbot.keyClick(workspace.table, Qt.Key.Key_Return)
    assert workspace.search.text() == "+15551234567"
    qtbot.waitUntil(lambda: any(r.first_name == "Olivia" and r.match_rank == 3
                                for r in workspace.model.rows()))


def test_front_desk_of_a_never_sees_b(qtbot: Any, world: World, open_workspace: Any) -> None:
    workspace, _host = open_workspace(world)
    for query in ("olivier", "martin", "S9000002"):
        type_search(qtbot, workspace, query)
        qtbot.waitUntil(lambda q=query: workspace.presenter.query == q
                        and not workspace.presenter._debounce.isActive())
        qtbot.wait(50)
        qtbot.waitUntil(lambda: workspace.presenter._search._task is None)
        assert all(r.last_name != "Martin" for r in workspace.model.rows()), query
    workspace.search.clear()
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 1)
    assert workspace.model.rows()[0].first_name == "Olivia"


def test_list_pages_as_it_scrolls(qtbot: Any, world: World, open_workspace: Any) -> None:
    world.many_students("A", 230)
    workspace, _host = open_workspace(world)
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 100)
    assert workspace.model.canFetchMore()
    for expected in (200, 231):  # the view asks for the next page when scrolled to the end
        workspace.table.scrollToBottom()
        qtbot.waitUntil(lambda n=expected: workspace.model.rowCount() == n)
    assert not workspace.model.canFetchMore()


def test_stale_edit_refused_then_reloaded(qtbot: Any, world: World, open_workspace: Any,
                                          tmp_path: Path) -> None:
    workspace, host = open_workspace(world)
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    workspace.presenter.open_student(olivia)
    qtbot.waitUntil(lambda: workspace.panel.detail is not None)
    qtbot.mouseClick(workspace.panel.edit_button, Qt.MouseButton.LeftButton)
    world.one("update academy.students set last_name = 'Martinez-Ruiz' where id = %s"
              " returning id", (olivia,))  # someone else saves first
    first = workspace.editor.fields["first_name"].input
    first.selectAll()
    qtbot.keyClicks(first, "Liv")
    qtbot.mouseClick(workspace.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(host.errors))
    error = host.errors[0]
    assert isinstance(error, UserFacingError) and error.code is ErrorKind.CONFLICT_STALE
    qtbot.waitUntil(lambda: workspace.panel.detail.profile.last_name == "Martinez-Ruiz")
    assert world.one("select first_name from academy.students where id = %s",
                     (olivia,)) == "Olivia"
    # bad input in the editor is refused field by field, nothing sent
    first.setText("x" * 10_000)
    qtbot.mouseClick(workspace.editor.save_button, Qt.MouseButton.LeftButton)
    assert "at most 200" in workspace.editor.fields["first_name"].error.text()
    # a fresh edit saves; then archive and restore
    first.setText("Liv")
    qtbot.mouseClick(workspace.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.panel.detail.profile.first_name == "Liv")
    qtbot.mouseClick(workspace.panel.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.panel.detail.profile.is_active)
    assert world.one("select is_active from academy.students where id = %s", (olivia,)) is False
    out = tmp_path / "students.csv"
    assert workspace.export_csv(out) == workspace.model.rowCount()
    assert out.read_text(encoding="utf-8-sig").startswith("Name,Number,Age")


def test_unlink_and_link_parent(qtbot: Any, world: World, open_workspace: Any) -> None:
    workspace, host = open_workspace(world)
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    links = "select count(*) from academy.student_parent_relationships where student_id = %s"
    workspace.presenter.open_student(olivia)
    qtbot.waitUntil(lambda: workspace.panel.detail is not None)
    tree = workspace.panel.family.tree
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.mouseClick(workspace.panel.link_bar.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.panel.detail.family)
    assert world.one(links, (olivia,)) == 0
    assert "No authorised pickup on file" in " ".join(workspace.panel.alert_texts())
    bar = workspace.panel.link_bar
    bar.relationship.setCurrentIndex(bar.relationship.findData("guardian"))
    qtbot.keyClicks(bar.contact, "ana@example.com")
    qtbot.keyClick(bar.contact, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(workspace.panel.detail.family) == 1)
    assert workspace.panel.detail.family[0].relationship == "guardian"
    assert world.one(links, (olivia,)) == 1
    assert not host.errors


def test_photo_set_scaled_shown_and_removed(qtbot: Any, world: World, open_workspace: Any,
                                            wait_task: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    big = QImage(1600, 1200, QImage.Format.Format_RGB32)
    big.fill(QColor("#2a6f97"))
    path = tmp_path / "olivia.png"
    assert big.save(str(path))
    workspace, host = open_workspace(world)
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    wait_task(workspace.presenter.open_student(olivia))
    assert not workspace.panel.has_photo_shown() and workspace.panel.photo.text() == "OM"
    wait_task(workspace.set_photo(path))
    size, mime = world.all("select octet_length(photo), photo_mime_type from academy.students"
                           " where id = %s", (olivia,))[0]
    assert mime == "image/jpeg" and 0 < size < 100_000  # scaled, not the 1600x1200 original
    stored = QImage.fromData(world.one("select photo from academy.students where id = %s",
                                       (olivia,)))
    assert max(stored.width(), stored.height()) == 320
    qtbot.waitUntil(workspace.panel.has_photo_shown)
    assert workspace.panel.remove_photo_button.isVisible()
    wait_task(workspace.set_photo(None))
    assert world.one("select photo from academy.students where id = %s", (olivia,)) is None
    qtbot.waitUntil(lambda: not workspace.panel.has_photo_shown())
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("hello", encoding="utf-8")
    task = workspace.set_photo(not_an_image)
    qtbot.waitUntil(task.done)
    assert [e.code for e in host.errors] == [ErrorKind.INVALID_INPUT]
