# ruff: noqa: F811  (pytest fixtures imported from students_fixtures)
""""New family" and the families workspace, typed like a user against a real database as
a real front desk: two children registered and found, the duplicate parent offered and
linked, bad input refused field by field with nothing saved."""

from __future__ import annotations

from typing import Any

import psycopg
from PySide6.QtCore import Qt
from students_fixtures import World, open_workspace, world  # noqa: F401 (fixtures)

from academy_desktop.models.family import FamiliesModel
from academy_desktop.views.families.view import FamiliesWorkspace
from academy_desktop.views.students.family_dialog import NewFamilyDialog


def fill(qtbot: Any, field: Any, text: str) -> None:
    """Type ``text``; words with non-ASCII letters or emoji are inserted like a paste,
    since QTest cannot synthesise key events for them."""
    field.input.setFocus()
    field.input.clear()
    for part in text.split(" "):
        if part.isascii():
            qtbot.keyClicks(field.input, part)
        else:
            field.input.insert(part)
        if part is not text.split(" ")[-1]:
            qtbot.keyClicks(field.input, " ")


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def count(world: World, table: str) -> int:
    return int(world.one(f"select count(*) from academy.{table}"))


def test_register_family_with_two_children_and_find_them(qtbot: Any, world: World,
                                                         open_workspace: Any) -> None:
    workspace, host = open_workspace(world)
    dialog: NewFamilyDialog = workspace.open_new_family()
    parent = dialog.parent_forms[0]
    fill(qtbot, parent.fields["first_name"], "Carl")
    fill(qtbot, parent.fields["last_name"], "O'Brien")
    fill(qtbot, parent.fields["phone"], "(555) 000-1111")
    parent.relationship.setCurrentIndex(parent.relationship.findData("father"))
    fill(qtbot, dialog.child_forms[0].fields["first_name"], "Mia")
    fill(qtbot, dialog.child_forms[0].fields["date_of_birth"], "2017-04-02")
    second = dialog.add_child()
    fill(qtbot, second.fields["first_name"], "Noah 😀")
    fill(qtbot, second.fields["date_of_birth"], "2019-09-30")
    fill(qtbot, second.fields["allergies"], "Peanuts")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    rows = world.all("select s.first_name, s.last_name, p.phone, r.relationship::text,"
                     " r.is_primary_contact from academy.students s"
                     " join academy.student_parent_relationships r on r.student_id = s.id"
                     " join academy.parents p on p.id = r.parent_id"
                     " where s.last_name = 'O''Brien' order by s.first_name")
    assert rows == [("Mia", "O'Brien", "+15550001111", "father", True),
                    ("Noah 😀", "O'Brien", "+15550001111", "father", True)]
    workspace.search.setFocus()
    qtbot.keyClicks(workspace.search, "obrien")  # accent/punctuation-free typing
    qtbot.waitUntil(lambda: {r.first_name for r in workspace.model.rows() if r.is_student}
                    >= {"Mia", "Noah 😀"})
    qtbot.waitUntil(lambda: workspace.panel.detail is not None)  # opened after saving
    assert not host.errors


def test_duplicate_parent_is_offered_and_linked(qtbot: Any, world: World,
                                                open_workspace: Any) -> None:
    workspace, host = open_workspace(world)
    parents_before = count(world, "parents")
    dialog = workspace.open_new_family()
    parent = dialog.parent_forms[0]
    fill(qtbot, parent.fields["first_name"], "Ana")
    fill(qtbot, parent.fields["last_name"], "Martinez")
    fill(qtbot, parent.fields["phone"], "555 123 4567")  # Ana's, in another format
    qtbot.keyClick(parent.fields["phone"].input, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: parent.offer is not None)
    assert "Ana Martínez" in parent.offer_label.text()
    assert "Olivia Martínez" in parent.offer_label.text()
    click(qtbot, parent.link_button)
    assert parent.linked is not None and not parent.fields["phone"].isEnabled()
    fill(qtbot, dialog.child_forms[0].fields["first_name"], "Pablo")
    fill(qtbot, dialog.child_forms[0].fields["date_of_birth"], "2020-01-15")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert count(world, "parents") == parents_before  # no twin
    assert world.all("select p.first_name from academy.students s"
                     " join academy.student_parent_relationships r on r.student_id = s.id"
                     " join academy.parents p on p.id = r.parent_id"
                     " where s.first_name = 'Pablo'") == [("Ana",)]
    assert not host.errors


def test_bad_input_refused_field_by_field(qtbot: Any, world: World,
                                          open_workspace: Any) -> None:
    workspace, _host = open_workspace(world)
    before = (count(world, "parents"), count(world, "students"))
    dialog = workspace.open_new_family()
    parent = dialog.parent_forms[0]
    parent.fields["first_name"].input.setText("x" * 10_000)  # pasted, not typed
    fill(qtbot, parent.fields["last_name"], "Robert'); DROP TABLE academy.students;--")
    fill(qtbot, parent.fields["phone"], "555-CALL-NOW")
    fill(qtbot, parent.fields["email"], "bobby.example.com")
    fill(qtbot, parent.fields["date_of_birth"], "2015-06-01")
    child = dialog.child_forms[0]
    fill(qtbot, child.fields["first_name"], "Zoë 🏊")
    fill(qtbot, child.fields["date_of_birth"], "2010-01-01")  # older than the parent
    other = dialog.add_child()
    fill(qtbot, other.fields["first_name"], "Sam")
    fill(qtbot, other.fields["date_of_birth"], "2019-02-30")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: bool(dialog.status.text()))
    errors = {key: field.error.text() for key, field in dialog.all_fields().items()
              if field.error.text()}
    assert errors == {
        "parents.0.first_name": "Too long: at most 200 characters.",
        "parents.0.phone": "A phone number cannot contain letters.",
        "parents.0.email": "Not an email address (it needs an @ and a domain).",
        "children.0.date_of_birth": "A child cannot be older than their parent.",
        "children.1.date_of_birth": "Not a valid date (use YYYY-MM-DD).",
    }
    assert dialog.isVisible()
    assert (count(world, "parents"), count(world, "students")) == before


def test_families_workspace_finds_by_phone(qtbot: Any, world: World,
                                           open_workspace: Any) -> None:
    world.one("insert into academy.student_financial_records (student_id, location_id,"
              " entry_type, amount, description) select id, location_id, 'charge', 120,"
              " 'Term fee' from academy.students where student_number = 'S9000001'"
              " returning id")
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    world.link(olivia, world.parent("A", "Luis", "Martínez", "+15557778888"), "father",
               primary=False)
    workspace, host = open_workspace(world, FamiliesWorkspace)
    assert isinstance(workspace.model, FamiliesModel)
    assert [f.first_name for f in workspace.model.rows()] == ["Ana"]  # a couple: one row
    assert workspace.model.index(0, 0).data() == "Martínez, Ana & Luis Martínez"
    workspace.search.setFocus()
    qtbot.keyClicks(workspace.search, "777-8888")  # Luis's phone finds the family too
    qtbot.waitUntil(lambda: workspace.presenter.query == "777-8888"
                    and not workspace.presenter._debounce.isActive()
                    and workspace.presenter._latest._task is None
                    and workspace.model.rowCount() == 1)
    assert workspace.model.rows()[0].first_name == "Ana"
    workspace.search.clear()
    qtbot.keyClicks(workspace.search, "123-4567")
    qtbot.waitUntil(lambda: workspace.presenter.query == "123-4567"
                    and not workspace.presenter._debounce.isActive()
                    and workspace.presenter._latest._task is None)
    family = workspace.model.rows()[0]
    assert family.children == ("Olivia Martínez",) and family.balance == 120  # counted once
    qtbot.keyClicks(workspace.search, "999")
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 0)
    assert not host.errors


def ddl(world: World, statement: str) -> None:
    with psycopg.connect(world.url, autocommit=True) as conn:
        conn.execute(statement)


CSV_HEAD = "family,role,first_name,last_name,date_of_birth,phone,email,relationship,allergies\n"


def test_import_csv_preview_marks_bad_cells_and_imports_all_or_nothing(
        qtbot: Any, world: World, open_workspace: Any, wait_task: Any, tmp_path: Any) -> None:
    workspace, host = open_workspace(world, FamiliesWorkspace)
    before = (count(world, "parents"), count(world, "students"))
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEAD + "\n".join([
        'F1,parent,"Seán ""Jack""",O\'Neil 😀,,(555) 010-2000,sean@example.com,father,',
        'F1,child,Aoife,O\'Neil,2016-03-04,,,,"Peanuts, ""all"" nuts"',
        "F2,parent,Bob,Stone,,555-CALL-NOW,bob.example.com,father,",
        "F2,child,Kid,Stone,2019-02-30,,,,",
        f"F2,child,{'x' * 10_000},Stone,2018-01-01,,,,",
        "F3,parent,Ana,Martinez,,+1 555 123 4567,,mother,",  # Ana is on file
        "F3,child,Pia,Martinez,2020-01-01,,,,"]) + "\n", encoding="utf-8")
    dialog = workspace.open_import()
    wait_task(dialog.load_file(bad))
    assert set(dialog.problem_cells()) == {(4, "phone"), (4, "email"), (5, "date_of_birth"),
                                           (6, "first_name"), (7, "phone")}
    assert dialog.problem_cells()[(6, "first_name")] == ["Too long: at most 200 characters."]
    assert "Already on file" in dialog.problem_cells()[(7, "phone")][0]
    assert not dialog.import_button.isEnabled() and "nothing will be imported" in \
        dialog.status.text()
    assert (count(world, "parents"), count(world, "students")) == before
    good = tmp_path / "good.csv"
    lines = [*bad.read_text(encoding="utf-8").splitlines()[1:3],
             "F4,parent,Zed,Zee,,555-010-3000,,mother,", "F4,child,Zed,Zee,2017-01-01,,,,"]
    good.write_text(CSV_HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    # the server refuses one row (a rule the client does not know): nothing is saved
    ddl(world, "alter table academy.students add constraint students_test_zed_check"
               " check (first_name <> 'Zed') not valid")
    try:
        wait_task(dialog.load_file(good))
        assert dialog.problem_cells() == {} and dialog.import_button.isEnabled()
        task = dialog.do_import()
        qtbot.waitUntil(task.done)
        assert len(host.errors) == 1 and "nothing was saved" in dialog.status.text()
        assert (count(world, "parents"), count(world, "students")) == before
    finally:
        ddl(world, "alter table academy.students drop constraint students_test_zed_check")
    host.errors.clear()
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert (count(world, "parents"), count(world, "students")) == (before[0] + 2, before[1] + 2)
    assert world.all("select first_name, last_name, allergies from academy.students"
                     " where last_name = 'O''Neil'") == [("Aoife", "O'Neil", 'Peanuts, "all" nuts')]
    assert world.one("select first_name from academy.parents where email = 'sean@example.com'"
                     ) == 'Seán "Jack"'
    qtbot.waitUntil(lambda: "Imported 2 families" in workspace.status.text())
    assert not host.errors


def test_family_balance_in_its_currency_and_credit_said_so(qapp: Any) -> None:
    """A bare "-$18.75" reads like a debt at the desk; and a EUR location is not in $."""
    import uuid
    from decimal import Decimal

    from academy_desktop.domain.students import FamilySummary

    model = FamiliesModel()
    model.reset_rows([
        FamilySummary(uuid.uuid4(), "Ida", "Berg", None, None, "Far", (), Decimal("-18.75"),
                      currency="EUR"),
        FamilySummary(uuid.uuid4(), "Ana", "Lopez", None, None, "Desk", (), Decimal("65.5")),
    ])
    assert model.index(0, 5).data() == "€18.75 credit"
    assert model.index(1, 5).data() == "$65.50"
    assert model.index(1, 5).data(Qt.ItemDataRole.ForegroundRole) is not None  # owes: red
    assert model.index(0, 5).data(Qt.ItemDataRole.ForegroundRole) is None
