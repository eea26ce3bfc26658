"""Curriculum rules in pure Python: which kind goes where, moves, names, import files."""

from __future__ import annotations

import uuid

import pytest

from academy_desktop.domain.curriculum import (
    FILE_FORMAT,
    CurriculumFileError,
    MoveRefusal,
    NodeKind,
    check_move,
    child_kind,
    copy_name,
    parent_kind,
    preview_curriculum_file,
    validate_name,
)


def test_kinds_chain() -> None:
    assert child_kind(NodeKind.SECTION) is NodeKind.LESSON
    assert child_kind(NodeKind.LESSON) is None
    assert parent_kind(NodeKind.COURSE) is NodeKind.PROGRAM
    assert parent_kind(NodeKind.PROGRAM) is None


def test_move_rules() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert check_move(NodeKind.LESSON, NodeKind.SECTION, (b, c), a, uuid.uuid4()) is None
    assert check_move(NodeKind.LESSON, NodeKind.MODULE, (), a, b) is MoveRefusal.WRONG_KIND
    assert check_move(NodeKind.MODULE, NodeKind.SECTION, (a, c), a, b) is MoveRefusal.CYCLE
    assert check_move(NodeKind.SECTION, NodeKind.MODULE, (), a, a) is MoveRefusal.CYCLE
    assert check_move(NodeKind.PROGRAM, NodeKind.PROGRAM, (), a, b) is MoveRefusal.NOT_MOVABLE


def test_names() -> None:
    assert validate_name("  ") == "curriculum_name_empty"
    assert validate_name("x" * 10_000) == "curriculum_name_too_long"
    assert validate_name("Breathing") is None
    assert copy_name("A", {"B"}) == "A"
    assert copy_name("A", {"A", "A (copy)"}) == "A (copy 2)"


def _doc(**cur: object) -> dict[str, object]:
    level = {
        "name": "L1",
        "modules": [
            {"name": "M", "sections": [{"name": "S", "lessons": [{"name": "a"}, {"name": "b"}]}]}
        ],
        "rubric": {"criteria": [{"name": "Kick", "stars": ["", "", "", ""]}]},
        "equipment": [{"item": "Kickboard", "quantity": 2}],
    }
    return {
        "format": FILE_FORMAT,
        "version": 1,
        "curriculum": {"name": "Kids", "levels": [level], **cur},
    }


def test_preview_counts() -> None:
    preview = preview_curriculum_file(_doc())
    assert (
        preview.levels,
        preview.modules,
        preview.sections,
        preview.lessons,
        preview.criteria,
        preview.equipment,
    ) == (1, 1, 1, 2, 1, 1)


@pytest.mark.parametrize(
    "doc", [{"format": "x"}, _doc(name=""), _doc(levels="nope"), {**_doc(), "version": 99}]
)
def test_preview_refuses_bad_files(doc: dict[str, object]) -> None:
    with pytest.raises(CurriculumFileError):
        preview_curriculum_file(doc)
