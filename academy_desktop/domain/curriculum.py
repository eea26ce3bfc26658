"""The curriculum tree's vocabulary and rules, in pure Python.

program > course > curriculum > level > module > section > lesson: which kind sits under
which, which table holds it, and whether a move is allowed. The database holds the same
rules (``academy.move_curriculum_node``); the client checks first so a drag shows a
"no" cursor instead of a round trip, and the server stays the judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

NAME_MAX = 200
DESCRIPTION_MAX = 4000


class NodeKind(StrEnum):
    PROGRAM = "program"
    COURSE = "course"
    CURRICULUM = "curriculum"
    LEVEL = "level"
    MODULE = "module"
    SECTION = "section"
    LESSON = "lesson"


ORDER: tuple[NodeKind, ...] = tuple(NodeKind)

#: table in schema ``academy`` and the column pointing at the parent
TABLE: dict[NodeKind, str] = {
    NodeKind.PROGRAM: "programs",
    NodeKind.COURSE: "courses",
    NodeKind.CURRICULUM: "curriculums",
    NodeKind.LEVEL: "levels",
    NodeKind.MODULE: "modules",
    NodeKind.SECTION: "sections",
    NodeKind.LESSON: "lessons",
}
PARENT_COLUMN: dict[NodeKind, str] = {
    NodeKind.COURSE: "program_id",
    NodeKind.CURRICULUM: "course_id",
    NodeKind.LEVEL: "curriculum_id",
    NodeKind.MODULE: "level_id",
    NodeKind.SECTION: "module_id",
    NodeKind.LESSON: "section_id",
}


def child_kind(kind: NodeKind) -> NodeKind | None:
    """The only kind that may sit directly under ``kind`` (None for a lesson)."""
    index = ORDER.index(kind)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def parent_kind(kind: NodeKind) -> NodeKind | None:
    index = ORDER.index(kind)
    return ORDER[index - 1] if index > 0 else None


@dataclass(frozen=True, slots=True)
class NodeRef:
    kind: NodeKind
    id: UUID


@dataclass(frozen=True, slots=True)
class CurriculumNode:
    """One row of the tree as the screen shows it."""

    kind: NodeKind
    id: UUID
    parent_id: UUID | None
    program_id: UUID
    name: str
    position: int
    is_active: bool = True
    row_version: int = 1
    child_count: int = 0
    description: str = ""

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.kind, self.id)


@dataclass(frozen=True, slots=True)
class NodeDetail:
    """Everything the detail panel edits for one node (fields unused by a kind are None)."""

    node: CurriculumNode
    description: str = ""
    min_age: int | None = None
    max_age: int | None = None
    level_number: int | None = None
    objectives: str = ""
    content: str = ""
    duration_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class RubricCriterion:
    name: str
    stars: tuple[str, str, str, str] = ("", "", "", "")
    description: str = ""
    id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Rubric:
    level_id: UUID
    id: UUID | None = None
    version: int = 0
    name: str = ""
    criteria: tuple[RubricCriterion, ...] = ()
    rated: bool = False  # some student was rated under this version


@dataclass(frozen=True, slots=True)
class EquipmentItem:
    id: UUID
    name: str
    category: str = "other"
    unit: str = "each"
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class EquipmentNeed:
    item_id: UUID
    name: str
    quantity: int = 1
    is_required: bool = True
    per_student: bool = True


@dataclass(frozen=True, slots=True)
class LevelSheet:
    """What the poolside sheet prints for one level."""

    level: CurriculumNode
    curriculum_name: str
    lessons: tuple[tuple[str, str, str, int | None], ...] = ()  # module, section, lesson, minutes
    rubric: Rubric | None = None
    equipment: tuple[EquipmentNeed, ...] = field(default=())


class MoveRefusal(StrEnum):
    """Why a move is refused; the same codes come back from the database."""

    WRONG_KIND = "curriculum_wrong_kind"
    CYCLE = "curriculum_cycle"
    STALE = "curriculum_stale"
    NOT_MOVABLE = "curriculum_not_movable"


def check_move(
    node: NodeKind,
    new_parent: NodeKind,
    ancestors_of_target: tuple[UUID, ...],
    node_id: UUID,
    target_id: UUID,
) -> MoveRefusal | None:
    """None if ``node`` may go under ``new_parent`` (whose ancestor ids are given)."""
    if node is NodeKind.PROGRAM:
        return MoveRefusal.NOT_MOVABLE
    if node_id == target_id or node_id in ancestors_of_target:
        return MoveRefusal.CYCLE
    if parent_kind(node) is not new_parent:
        return MoveRefusal.WRONG_KIND
    return None


def validate_name(name: str) -> str | None:
    """A reason code if ``name`` cannot be saved, else None (the database agrees)."""
    stripped = name.strip()
    if not stripped:
        return "curriculum_name_empty"
    if len(name) > NAME_MAX:
        return "curriculum_name_too_long"
    return None


def copy_name(name: str, taken: set[str]) -> str:
    """``name`` itself if free among siblings, else "name (copy)", "name (copy 2)", ..."""
    if name not in taken:
        return name
    base = f"{name} (copy)"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{name} (copy {n})"
        n += 1
    return candidate[:NAME_MAX]


# -- curriculum files (export / import) ------------------------------------------------------

FILE_FORMAT = "academy-curriculum"
FILE_VERSION = 1
_LEVEL_PARTS = (("modules", "sections"), ("sections", "lessons"), ("lessons", None))


class CurriculumFileError(ValueError):
    """The file is not a curriculum export we can import; ``str()`` says where."""


@dataclass(frozen=True, slots=True)
class ImportPreview:
    name: str
    levels: int
    modules: int
    sections: int
    lessons: int
    criteria: int
    equipment: int


def _check_name(obj: object, where: str) -> None:
    if not isinstance(obj, dict):
        raise CurriculumFileError(f"{where}: expected an object")
    name = obj.get("name")
    if not isinstance(name, str) or validate_name(name) is not None:
        raise CurriculumFileError(f"{where}: missing or invalid name")


def preview_curriculum_file(doc: object) -> ImportPreview:
    """Check the whole document before anything is written; count what it holds."""
    if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
        raise CurriculumFileError("not an Academy curriculum file")
    if doc.get("version") != FILE_VERSION:
        raise CurriculumFileError(f"unsupported file version {doc.get('version')!r}")
    cur = doc.get("curriculum")
    _check_name(cur, "curriculum")
    assert isinstance(cur, dict)
    counts = {"modules": 0, "sections": 0, "lessons": 0}
    criteria = equipment = 0
    levels = cur.get("levels", [])
    if not isinstance(levels, list):
        raise CurriculumFileError("curriculum.levels: expected a list")
    for i, level in enumerate(levels):
        _check_name(level, f"level {i + 1}")
        stack: list[tuple[dict[str, object], str, str]] = [(level, "modules", f"level {i + 1}")]
        while stack:
            node, key, where = stack.pop()
            children = node.get(key, [])
            if not isinstance(children, list):
                raise CurriculumFileError(f"{where}.{key}: expected a list")
            below = dict((k, v) for k, v in _LEVEL_PARTS)[key]
            for j, child in enumerate(children):
                _check_name(child, f"{where} > {key[:-1]} {j + 1}")
                counts[key] += 1
                if below is not None:
                    stack.append((child, below, f"{where} > {key[:-1]} {j + 1}"))
        rubric = level.get("rubric") or {}
        for k, crit in enumerate(rubric.get("criteria", []) if isinstance(rubric, dict) else []):
            _check_name(crit, f"level {i + 1} rubric criterion {k + 1}")
            stars = crit.get("stars", [])
            if not isinstance(stars, list) or len(stars) != 4:
                raise CurriculumFileError(
                    f"level {i + 1} rubric criterion {k + 1}: needs 4 star descriptors"
                )
            criteria += 1
        for k, need in enumerate(level.get("equipment", []) or []):
            if (
                not isinstance(need, dict)
                or not isinstance(need.get("item"), str)
                or not need["item"].strip()
            ):
                raise CurriculumFileError(f"level {i + 1} equipment {k + 1}: missing item")
            equipment += 1
    return ImportPreview(
        str(cur["name"]),
        len(levels),
        counts["modules"],
        counts["sections"],
        counts["lessons"],
        criteria,
        equipment,
    )
