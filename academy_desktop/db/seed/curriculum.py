"""The program tree (programs > courses > curriculums > levels > modules > sections >
lessons), one current 0-3 star rubric per level and each level's equipment list.

Small and identical at every scale. Loaded like the bulk tables (triggers off, so no
audit rows for seed data): every row carries its program_id, which the schema's triggers
would otherwise derive from the parent row.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import psycopg

from academy_desktop.db.seed.content import (
    EQUIPMENT,
    LEVEL_EQUIPMENT,
    PROGRAMS,
    STAR_DESCRIPTORS,
    CurriculumSpec,
    ProgramSpec,
)
from academy_desktop.db.seed.copying import copy_rows, new_id


@dataclass
class Level:
    id: uuid.UUID
    number: int
    curriculum: Curriculum
    rubric_id: uuid.UUID
    criteria: list[uuid.UUID] = field(default_factory=list)


@dataclass
class Curriculum:
    id: uuid.UUID
    program: ProgramSpec
    program_id: uuid.UUID
    spec: CurriculumSpec
    levels: list[Level] = field(default_factory=list)

    def fits(self, age: int) -> bool:
        return age >= self.spec.min_age and (self.spec.max_age is None or age <= self.spec.max_age)


@dataclass
class Tree:
    program_ids: dict[str, uuid.UUID]
    curriculums: list[Curriculum]

    def for_program(self, name: str) -> list[Curriculum]:
        return [c for c in self.curriculums if c.program.name == name]


class _Rows:
    """Row lists per table, filled while walking the content."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple]] = {}

    def add(self, table: str, *row: object) -> None:
        self.tables.setdefault(table, []).append(row)


COLUMNS = {
    "programs": ("id", "code", "name", "description", "color"),
    "courses": ("id", "program_id", "name", "description", "position"),
    "curriculums": ("id", "course_id", "program_id", "name", "description", "min_age",
                    "max_age", "position"),
    "levels": ("id", "curriculum_id", "program_id", "level_number", "name", "description",
               "position"),
    "modules": ("id", "level_id", "program_id", "name", "description", "position"),
    "sections": ("id", "module_id", "program_id", "name", "description", "position"),
    "lessons": ("id", "section_id", "program_id", "name", "description", "objectives",
                "content", "duration_minutes", "position"),
    "assessment_rubrics": ("id", "level_id", "program_id", "version", "is_current", "name",
                           "description", "published_at", "created_by"),
    "assessment_rubric_criteria": ("id", "rubric_id", "program_id", "name", "description",
                                   "star_0_descriptor", "star_1_descriptor",
                                   "star_2_descriptor", "star_3_descriptor", "position"),
    "equipment_items": ("id", "name", "category", "unit", "description"),
    "equipment_requirements": ("id", "level_id", "program_id", "equipment_item_id", "quantity",
                               "per_student", "is_required", "notes"),
}


def _lesson_plan(program: ProgramSpec, skill: str, drill: str, minutes: int) -> str:
    warm = max(5, minutes // 6)
    main = minutes - 2 * warm
    return (f"Warm-up ({warm} min): {program.modules[2].lower()} activity to get moving.\n"
            f"Main set ({main} min): demonstrate {skill.lower()}, then practise {drill}; "
            f"coach gives one teaching point per student.\n"
            f"Finish ({warm} min): game using the skill; recap and praise effort.")


def _add_level(rows: _Rows, rng: random.Random, cur: Curriculum, number: int,
               published: datetime) -> None:
    program = cur.program
    name, description, skills = program.levels[number - 1]
    level = Level(new_id(rng), number, cur, new_id(rng))
    cur.levels.append(level)
    pid = cur.program_id
    rows.add("levels", level.id, cur.id, pid, number, f"Level {number}: {name}",
             f"{description} ({cur.spec.name})", number - 1)
    rows.add("assessment_rubrics", level.rubric_id, level.id, pid, 1, True,
             f"{cur.spec.name} Level {number} skills check",
             f"Rate each skill 0-3 stars. Three stars on every skill means ready for Level "
             f"{number + 1}." if number < 7 else "Three stars on every skill completes the "
             "curriculum.", published, "academy_owner")
    for position, (skill, objective) in enumerate(skills):
        crit = new_id(rng)
        level.criteria.append(crit)
        rows.add("assessment_rubric_criteria", crit, level.rubric_id, pid, skill,
                 f"The student can {objective}.",
                 *(d.format(o=objective) for d in STAR_DESCRIPTORS), position)
    for m_pos, theme in enumerate(program.modules):
        module = new_id(rng)
        rows.add("modules", module, level.id, pid, theme,
                 f"{theme} for {name.lower()}.", m_pos)
        for s_pos in range(2):
            skill, objective = skills[(m_pos * 2 + s_pos) % len(skills)]
            section = new_id(rng)
            rows.add("sections", section, module, pid, skill,
                     f"Build {skill.lower()} step by step.", s_pos)
            for l_pos, drill in enumerate(rng.sample(program.drills, 2)):
                minutes = cur.spec.lesson_minutes
                rows.add("lessons", new_id(rng), section, pid, f"{skill}: {drill}",
                         f"{skill} practised {drill}.",
                         f"By the end of the lesson students can {objective}.",
                         _lesson_plan(program, skill, drill, minutes), minutes, l_pos)


def _add_program(rows: _Rows, rng: random.Random, program: ProgramSpec, pid: uuid.UUID,
                 items: dict[str, uuid.UUID], published: datetime) -> list[Curriculum]:
    rows.add("programs", pid, program.code, program.name, program.description, program.color)
    curriculums = []
    for c_pos, course in enumerate(program.courses):
        course_id = new_id(rng)
        rows.add("courses", course_id, pid, course.name, course.description, c_pos)
        for k_pos, spec in enumerate(course.curriculums):
            cur = Curriculum(new_id(rng), program, pid, spec)
            ages = f"{spec.min_age}+" if spec.max_age is None else f"{spec.min_age}-{spec.max_age}"
            rows.add("curriculums", cur.id, course_id, pid, spec.name,
                     f"{course.name} for ages {ages}: seven levels with a star rubric each.",
                     spec.min_age, spec.max_age, k_pos)
            for number in range(1, 8):
                _add_level(rows, rng, cur, number, published)
            for level in cur.levels:
                for item, first, last, per_student, qty, required in LEVEL_EQUIPMENT[program.name]:
                    if first <= level.number <= last:
                        rows.add("equipment_requirements", new_id(rng), level.id, pid,
                                 items[item], qty, per_student, required, None)
            curriculums.append(cur)
    return curriculums


def load_curriculum(conn: psycopg.Connection, rng: random.Random, now: datetime) -> Tree:
    """Insert the whole tree; returns the ids later generators hang data on."""
    rows = _Rows()
    items = {name: new_id(rng) for name, *_ in EQUIPMENT}
    for name, category, unit, description in EQUIPMENT:
        rows.add("equipment_items", items[name], name, category, unit, description)
    program_ids = {p.name: new_id(rng) for p in PROGRAMS}
    published = now - timedelta(days=400)
    curriculums: list[Curriculum] = []
    for program in PROGRAMS:
        curriculums += _add_program(rows, rng, program, program_ids[program.name], items,
                                    published)
    for table, columns in COLUMNS.items():
        copy_rows(conn, table, columns, rows.tables.get(table, []), bulk=True)
    return Tree(program_ids, curriculums)
