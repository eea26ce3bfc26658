"""Curriculum tree queries: read a level of the tree, and change it only through the
0009 functions (which keep sibling order, refuse stale edits and run under RLS).

Table and column names come from the fixed maps in ``domain.curriculum``, never from
input; every value is a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db.errors import translate_error
from academy_desktop.domain.curriculum import (
    FILE_FORMAT,
    FILE_VERSION,
    PARENT_COLUMN,
    TABLE,
    CurriculumFileError,
    CurriculumNode,
    EquipmentItem,
    EquipmentNeed,
    LevelSheet,
    NodeDetail,
    NodeKind,
    Rubric,
    RubricCriterion,
    child_kind,
    copy_name,
    preview_curriculum_file,
)
from academy_desktop.domain.errors import UserFacingError

T = TypeVar("T")


async def refusals(call: Callable[[], Awaitable[T]]) -> T:
    """Run ``call``; a refusal from our functions becomes an error whose message_key is
    the function's code (``curriculum_cycle``, ``curriculum_stale``, ...)."""
    try:
        return await call()
    except sa_exc.DBAPIError as exc:
        error = translate_error(exc)
        if error is None:
            raise
        detail = str(error.details.get("detail", ""))
        if detail.startswith("curriculum_"):
            raise UserFacingError(error.code, detail, detail=detail) from exc
        raise error from exc


def _children_sql(kind: NodeKind, include_archived: bool) -> str:
    tbl, parent = TABLE[kind], PARENT_COLUMN[kind]
    below = child_kind(kind)
    active = "" if include_archived else " AND c.is_active"
    count = (
        f"(SELECT count(*) FROM academy.{TABLE[below]} c"
        f" WHERE c.{PARENT_COLUMN[below]} = t.id{active})"
        if below
        else "0"
    )
    where = "" if include_archived else " AND t.is_active"
    return (
        f"SELECT t.id, t.{parent} AS parent_id, t.program_id, t.name, t.position, t.is_active,"
        f" t.row_version, {count} AS child_count, coalesce(t.description, '') AS description"
        f" FROM academy.{tbl} t WHERE t.{parent} = :parent{where} ORDER BY t.position"
    )


def _node(kind: NodeKind, row: Any) -> CurriculumNode:
    return CurriculumNode(
        kind=kind,
        id=row.id,
        parent_id=row.parent_id,
        program_id=row.program_id,
        name=row.name,
        position=row.position,
        is_active=row.is_active,
        row_version=row.row_version,
        child_count=int(row.child_count),
        description=row.description,
    )


async def list_programs(
    session: AsyncSession, include_archived: bool = False
) -> tuple[CurriculumNode, ...]:
    """The roots: every program the caller may see (RLS decides)."""
    active = "" if include_archived else " AND c.is_active"
    rows = await session.execute(
        text(
            "SELECT p.id, NULL::uuid AS parent_id, p.id AS program_id, p.name, 0 AS position,"
            " p.is_active,"
            " p.row_version, coalesce(p.description, '') AS description,"
            " (SELECT count(*) FROM academy.courses c"
            f" WHERE c.program_id = p.id{active}) AS child_count"
            " FROM academy.programs p WHERE p.is_active ORDER BY p.name"
        )
    )
    return tuple(
        CurriculumNode(
            NodeKind.PROGRAM,
            r.id,
            None,
            r.program_id,
            r.name,
            i,
            r.is_active,
            r.row_version,
            int(r.child_count),
            r.description,
        )
        for i, r in enumerate(rows)
    )


async def list_children(
    session: AsyncSession, kind: NodeKind, parent_id: UUID, include_archived: bool = False
) -> tuple[CurriculumNode, ...]:
    """Children of ``parent_id``; ``kind`` is the kind of the children."""
    rows = await session.execute(text(_children_sql(kind, include_archived)), {"parent": parent_id})
    return tuple(_node(kind, r) for r in rows)


async def get_detail(session: AsyncSession, node: CurriculumNode) -> NodeDetail:
    kind = node.kind
    extra = {
        NodeKind.CURRICULUM: "min_age, max_age",
        NodeKind.LEVEL: "level_number",
        NodeKind.LESSON: "objectives, content, duration_minutes",
    }.get(kind, "")
    cols = "coalesce(description, '') AS description" + (f", {extra}" if extra else "")
    row = (
        (
            await session.execute(
                text(f"SELECT {cols} FROM academy.{TABLE[kind]} WHERE id = :id"), {"id": node.id}
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise UserFacingError("not_found", "curriculum_missing")
    return NodeDetail(
        node=node,
        description=row["description"],
        min_age=row.get("min_age"),
        max_age=row.get("max_age"),
        level_number=row.get("level_number"),
        objectives=row.get("objectives") or "",
        content=row.get("content") or "",
        duration_minutes=row.get("duration_minutes"),
    )


async def _scalar(session: AsyncSession, sql: str, params: dict[str, Any]) -> Any:
    async def call() -> Any:
        return (await session.execute(text(sql), params)).scalar_one()

    return await refusals(call)


async def create_node(
    session: AsyncSession,
    kind: NodeKind,
    parent_id: UUID,
    name: str,
    position: int | None = None,
    node_id: UUID | None = None,
) -> UUID:
    result: UUID = await _scalar(
        session,
        "SELECT academy.create_curriculum_node(:kind, :parent, :name, :pos, :id)",
        {"kind": kind.value, "parent": parent_id, "name": name, "pos": position, "id": node_id},
    )
    return result


async def update_node(
    session: AsyncSession,
    kind: NodeKind,
    node_id: UUID,
    fields: dict[str, Any],
    expected_row_version: int | None,
) -> int:
    """Change own fields; returns the new row_version (stale versions are refused)."""
    result: int = await _scalar(
        session,
        "SELECT academy.update_curriculum_node(:kind, :id, CAST(:fields AS jsonb), :expected)",
        {
            "kind": kind.value,
            "id": node_id,
            "fields": json.dumps(fields),
            "expected": expected_row_version,
        },
    )
    return result


async def move_node(
    session: AsyncSession,
    kind: NodeKind,
    node_id: UUID,
    new_parent: UUID,
    new_position: int,
    expected_row_version: int | None,
) -> int:
    result: int = await _scalar(
        session,
        "SELECT academy.move_curriculum_node(:kind, :id, :parent, :pos, :expected)",
        {
            "kind": kind.value,
            "id": node_id,
            "parent": new_parent,
            "pos": new_position,
            "expected": expected_row_version,
        },
    )
    return result


async def duplicate_subtree(
    session: AsyncSession,
    kind: NodeKind,
    node_id: UUID,
    new_parent: UUID,
    new_id: UUID | None = None,
) -> UUID:
    result: UUID = await _scalar(
        session,
        "SELECT academy.duplicate_curriculum_subtree(:kind, :id, :parent, :new_id)",
        {"kind": kind.value, "id": node_id, "parent": new_parent, "new_id": new_id},
    )
    return result


async def remove_subtree(session: AsyncSession, kind: NodeKind, node_id: UUID) -> None:
    await _scalar(
        session,
        "SELECT academy.curriculum_remove_subtree(:kind, :id)::text",
        {"kind": kind.value, "id": node_id},
    )


async def get_node(session: AsyncSession, kind: NodeKind, node_id: UUID) -> CurriculumNode | None:
    """One node with fresh row_version and child count (archived included)."""
    if kind is NodeKind.PROGRAM:
        return next((p for p in await list_programs(session, True) if p.id == node_id), None)
    sql = _children_sql(kind, True).replace(
        f"WHERE t.{PARENT_COLUMN[kind]} = :parent", "WHERE t.id = :parent"
    )
    row = (await session.execute(text(sql), {"parent": node_id})).first()
    return _node(kind, row) if row is not None else None


async def list_program_tree(
    session: AsyncSession, program_id: UUID, include_archived: bool = False
) -> dict[UUID, tuple[CurriculumNode, ...]]:
    """Every node of one program grouped by parent id (one query per kind): what
    "expand all" and the text filter need without a round trip per node."""
    out: dict[UUID, list[CurriculumNode]] = {}
    for kind in (
        NodeKind.COURSE,
        NodeKind.CURRICULUM,
        NodeKind.LEVEL,
        NodeKind.MODULE,
        NodeKind.SECTION,
        NodeKind.LESSON,
    ):
        sql = _children_sql(kind, include_archived).replace(
            f"WHERE t.{PARENT_COLUMN[kind]} = :parent", "WHERE t.program_id = :parent"
        )
        sql = sql.replace("ORDER BY t.position", f"ORDER BY t.{PARENT_COLUMN[kind]}, t.position")
        for row in await session.execute(text(sql), {"parent": program_id}):
            node = _node(kind, row)
            assert node.parent_id is not None
            out.setdefault(node.parent_id, []).append(node)
    return {k: tuple(v) for k, v in out.items()}


# -- rubrics and equipment ---------------------------------------------------------------


async def get_rubric(session: AsyncSession, level_id: UUID, version: int | None = None) -> Rubric:
    """The level's current rubric (or one past ``version``); empty if it has none."""
    where = "r.version = :version" if version is not None else "r.is_current"
    row = (
        await session.execute(
            text(
                "SELECT r.id, r.version, r.name, EXISTS (SELECT 1 FROM academy.student_progress p"
                " WHERE p.rubric_id = r.id) AS rated FROM academy.assessment_rubrics r"
                f" WHERE r.level_id = :level AND {where}"
            ),
            {"level": level_id, "version": version},
        )
    ).first()
    if row is None:
        return Rubric(level_id=level_id)
    crit = await session.execute(
        text(
            "SELECT id, name, coalesce(description, '') AS description,"
            " coalesce(star_0_descriptor, '') AS s0,"
            " coalesce(star_1_descriptor, '') AS s1, coalesce(star_2_descriptor, '') AS s2,"
            " coalesce(star_3_descriptor, '') AS s3 FROM academy.assessment_rubric_criteria"
            " WHERE rubric_id = :id AND is_active ORDER BY position"
        ),
        {"id": row.id},
    )
    return Rubric(
        level_id=level_id,
        id=row.id,
        version=row.version,
        name=row.name,
        rated=row.rated,
        criteria=tuple(
            RubricCriterion(c.name, (c.s0, c.s1, c.s2, c.s3), c.description, c.id) for c in crit
        ),
    )


async def rubric_versions(session: AsyncSession, level_id: UUID) -> tuple[int, ...]:
    rows = await session.execute(
        text(
            "SELECT version FROM academy.assessment_rubrics WHERE level_id = :level"
            " ORDER BY version DESC"
        ),
        {"level": level_id},
    )
    return tuple(r.version for r in rows)


async def save_rubric(
    session: AsyncSession,
    level_id: UUID,
    name: str,
    criteria: tuple[RubricCriterion, ...],
    expected_version: int,
) -> UUID:
    """Save criteria; a rubric somebody was rated under gets a new version instead."""
    doc = [
        {"name": c.name, "description": c.description or None, "stars": list(c.stars)}
        for c in criteria
    ]
    result: UUID = await _scalar(
        session,
        "SELECT academy.save_level_rubric(:level, :name, CAST(:criteria AS jsonb), :expected)",
        {
            "level": level_id,
            "name": name,
            "criteria": json.dumps(doc),
            "expected": expected_version,
        },
    )
    return result


async def list_equipment_items(session: AsyncSession) -> tuple[EquipmentItem, ...]:
    rows = await session.execute(
        text(
            "SELECT id, name::text AS name, category, unit, is_active FROM academy.equipment_items"
            " WHERE is_active ORDER BY name"
        )
    )
    return tuple(EquipmentItem(r.id, r.name, r.category, r.unit, r.is_active) for r in rows)


async def add_equipment_item(session: AsyncSession, name: str, category: str = "other") -> UUID:
    async def call() -> UUID:
        row = (
            await session.execute(
                text(
                    "INSERT INTO academy.equipment_items (name, category)"
                    " VALUES (:name, :category) RETURNING id"
                ),
                {"name": name.strip(), "category": category},
            )
        ).scalar_one()
        return row  # type: ignore[no-any-return]

    return await refusals(call)


async def level_equipment(session: AsyncSession, level_id: UUID) -> tuple[EquipmentNeed, ...]:
    rows = await session.execute(
        text(
            "SELECT r.equipment_item_id, i.name::text AS name, r.quantity, r.is_required,"
            " r.per_student FROM academy.equipment_requirements r"
            " JOIN academy.equipment_items i ON i.id = r.equipment_item_id"
            " WHERE r.level_id = :level ORDER BY r.is_required DESC, i.name"
        ),
        {"level": level_id},
    )
    return tuple(
        EquipmentNeed(r.equipment_item_id, r.name, r.quantity, r.is_required, r.per_student)
        for r in rows
    )


async def set_level_equipment(
    session: AsyncSession, level_id: UUID, needs: tuple[EquipmentNeed, ...]
) -> None:
    """Replace the level's equipment list (one transaction: all or nothing)."""

    async def call() -> None:
        await session.execute(
            text("DELETE FROM academy.equipment_requirements WHERE level_id = :level"),
            {"level": level_id},
        )
        for need in needs:
            await session.execute(
                text(
                    "INSERT INTO academy.equipment_requirements (level_id, program_id,"
                    " equipment_item_id, quantity, is_required, per_student)"
                    " SELECT :level, l.program_id, :item, :qty, :req, :per"
                    " FROM academy.levels l WHERE l.id = :level"
                ),
                {
                    "level": level_id,
                    "item": need.item_id,
                    "qty": need.quantity,
                    "req": need.is_required,
                    "per": need.per_student,
                },
            )

    await refusals(call)


async def level_sheet(session: AsyncSession, level_id: UUID) -> LevelSheet:
    """What the poolside sheet needs: the level, its lessons in order, rubric, equipment."""
    level = await get_node(session, NodeKind.LEVEL, level_id)
    if level is None:
        raise UserFacingError("not_found", "curriculum_missing")
    cur = (
        await session.execute(
            text("SELECT name FROM academy.curriculums WHERE id = :id"), {"id": level.parent_id}
        )
    ).scalar_one()
    rows = await session.execute(
        text(
            "SELECT m.name AS module, s.name AS section, l.name AS lesson, l.duration_minutes"
            " FROM academy.modules m JOIN academy.sections s ON s.module_id = m.id AND s.is_active"
            " JOIN academy.lessons l ON l.section_id = s.id AND l.is_active"
            " WHERE m.level_id = :level AND m.is_active ORDER BY m.position, s.position, l.position"
        ),
        {"level": level_id},
    )
    return LevelSheet(
        level=level,
        curriculum_name=cur,
        lessons=tuple((r.module, r.section, r.lesson, r.duration_minutes) for r in rows),
        rubric=await get_rubric(session, level_id),
        equipment=await level_equipment(session, level_id),
    )


# -- export / import ------------------------------------------------------------------------

_FIELDS = {
    NodeKind.CURRICULUM: "name, description, min_age, max_age",
    NodeKind.LEVEL: "id, name, description, level_number",
    NodeKind.MODULE: "id, name, description",
    NodeKind.SECTION: "id, name, description",
    NodeKind.LESSON: "name, description, objectives, content, duration_minutes",
}


async def _rows(session: AsyncSession, kind: NodeKind, parent: UUID) -> list[dict[str, Any]]:
    sql = (
        f"SELECT {_FIELDS[kind]} FROM academy.{TABLE[kind]} WHERE {PARENT_COLUMN[kind]} = :p"
        " AND is_active ORDER BY position"
    )
    return [dict(r) for r in (await session.execute(text(sql), {"p": parent})).mappings()]


async def export_curriculum(session: AsyncSession, curriculum_id: UUID) -> dict[str, Any]:
    """The curriculum (active parts), with rubrics and equipment, as a JSON-ready dict."""
    row = (
        (
            await session.execute(
                text(
                    f"SELECT {_FIELDS[NodeKind.CURRICULUM]} FROM academy.curriculums WHERE id = :id"
                ),
                {"id": curriculum_id},
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise UserFacingError("not_found", "curriculum_missing")
    cur: dict[str, Any] = dict(row)
    cur["levels"] = await _rows(session, NodeKind.LEVEL, curriculum_id)
    for level in cur["levels"]:
        level_id = level.pop("id")
        level["modules"] = await _rows(session, NodeKind.MODULE, level_id)
        for module in level["modules"]:
            module["sections"] = await _rows(session, NodeKind.SECTION, module.pop("id"))
            for section in module["sections"]:
                section["lessons"] = await _rows(session, NodeKind.LESSON, section.pop("id"))
        rubric = await get_rubric(session, level_id)
        level["rubric"] = {
            "name": rubric.name,
            "criteria": [
                {"name": c.name, "description": c.description, "stars": list(c.stars)}
                for c in rubric.criteria
            ],
        }
        level["equipment"] = [
            {
                "item": n.name,
                "quantity": n.quantity,
                "is_required": n.is_required,
                "per_student": n.per_student,
            }
            for n in await level_equipment(session, level_id)
        ]
    return {"format": FILE_FORMAT, "version": FILE_VERSION, "curriculum": cur}


async def import_curriculum(session: AsyncSession, course_id: UUID, doc: dict[str, Any]) -> UUID:
    """Create the file's curriculum as the last one of ``course_id``. One transaction: a
    refusal anywhere leaves nothing behind (the runner rolls the session back)."""
    try:
        preview_curriculum_file(doc)
    except CurriculumFileError as exc:
        raise UserFacingError(
            "invalid_input", "curriculum_import_invalid", detail=str(exc)
        ) from exc
    cur = doc["curriculum"]
    taken = {r.name for r in await list_children(session, NodeKind.CURRICULUM, course_id, True)}
    cur_id = await create_node(
        session, NodeKind.CURRICULUM, course_id, copy_name(cur["name"], taken)
    )
    await _set_fields(
        session, NodeKind.CURRICULUM, cur_id, cur, ("description", "min_age", "max_age")
    )
    for level in cur.get("levels", []):
        level_id = await create_node(session, NodeKind.LEVEL, cur_id, level["name"])
        await _set_fields(session, NodeKind.LEVEL, level_id, level, ("description",))
        await _import_children(session, NodeKind.MODULE, level_id, level.get("modules", []))
        criteria = tuple(
            RubricCriterion(
                c["name"],
                tuple(str(s or "") for s in c["stars"]),  # type: ignore[arg-type]
                c.get("description") or "",
            )
            for c in (level.get("rubric") or {}).get("criteria", [])
        )
        if criteria:
            await save_rubric(
                session,
                level_id,
                (level.get("rubric") or {}).get("name") or "Assessment",
                criteria,
                0,
            )
        needs = []
        for need in level.get("equipment", []):
            item = (
                await session.execute(
                    text(
                        "INSERT INTO academy.equipment_items (name) VALUES (:n)"
                        " ON CONFLICT (name) DO UPDATE"
                        " SET name = academy.equipment_items.name RETURNING id"
                    ),
                    {"n": need["item"].strip()},
                )
            ).scalar_one()
            needs.append(
                EquipmentNeed(
                    item,
                    need["item"],
                    int(need.get("quantity") or 1),
                    bool(need.get("is_required", True)),
                    bool(need.get("per_student", True)),
                )
            )
        if needs:
            await set_level_equipment(session, level_id, tuple(needs))
    return cur_id


async def _import_children(
    session: AsyncSession, kind: NodeKind, parent: UUID, items: list[Any]
) -> None:
    extra = {NodeKind.LESSON: ("description", "objectives", "content", "duration_minutes")}.get(
        kind, ("description",)
    )
    below = {
        NodeKind.MODULE: (NodeKind.SECTION, "sections"),
        NodeKind.SECTION: (NodeKind.LESSON, "lessons"),
    }
    for item in items:
        node_id = await create_node(session, kind, parent, item["name"])
        await _set_fields(session, kind, node_id, item, extra)
        if kind in below:
            child, key = below[kind]
            await _import_children(session, child, node_id, item.get(key, []))


async def _set_fields(
    session: AsyncSession,
    kind: NodeKind,
    node_id: UUID,
    source: dict[str, Any],
    names: tuple[str, ...],
) -> None:
    fields = {n: source[n] for n in names if source.get(n) not in (None, "")}
    if fields:
        await update_node(session, kind, node_id, fields, None)


async def curriculum_sheets(session: AsyncSession, curriculum_id: UUID) -> tuple[LevelSheet, ...]:
    """One sheet per active level of a curriculum, in order."""
    levels = await list_children(session, NodeKind.LEVEL, curriculum_id)
    return tuple([await level_sheet(session, level.id) for level in levels])
