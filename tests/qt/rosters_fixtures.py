"""Seed helpers for the Rosters tests (Qt and security): a rubric for a child's level."""

from __future__ import annotations

import uuid

from desk_fixtures import Desk


def add_rubric(desk: Desk, child: str) -> list[uuid.UUID]:
    """Level 1 of a curriculum with a current two-criterion rubric; ``child`` enrolled."""
    one = lambda q, p: desk.execute(q, p)[0][0]  # noqa: E731
    course = one("insert into academy.courses (program_id, name) values (%s, 'Swim')"
                 " returning id", (desk.program_id,))
    curriculum = one("insert into academy.curriculums (course_id, program_id, name)"
                     " values (%s, %s, 'Learn to swim') returning id", (course, desk.program_id))
    level = one("insert into academy.levels (curriculum_id, program_id, level_number, name)"
                " values (%s, %s, 1, 'Level 1') returning id", (curriculum, desk.program_id))
    rubric = one("insert into academy.assessment_rubrics (level_id, program_id, name,"
                 " is_current) values (%s, %s, 'Level 1', true) returning id",
                 (level, desk.program_id))
    criteria = [one("insert into academy.assessment_rubric_criteria (rubric_id, program_id,"
                    " name, position, star_3_descriptor) values (%s, %s, %s, %s, 'Alone')"
                    " returning id", (rubric, desk.program_id, name, i))
                for i, name in enumerate(("Floats on back", "Kicks"))]
    desk.execute("insert into academy.student_enrollments (student_id, curriculum_id, level_id,"
                 " program_id, location_id) values (%s, %s, %s, %s, %s)",
                 (desk.students[child], curriculum, level, desk.program_id, desk.location_id))
    return criteria
