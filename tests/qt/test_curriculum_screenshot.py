"""Grab the curriculum editor to PNG with realistic data, to look at it as a program
admin would. Runs only when ACADEMY_SCREENSHOTS names a directory."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from academy_desktop.domain.curriculum import NodeKind, NodeRef
from tests.qt import curriculum_fixtures as fx
from tests.qt.test_curriculum_editor import open_path

OUT = os.environ.get("ACADEMY_SCREENSHOTS")
curriculum_world = fx.curriculum_world
open_screen = fx.open_screen
pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.skipif(not OUT, reason="set ACADEMY_SCREENSHOTS=<dir> to take screenshots"),
]

NAMES = {
    "M1": "Water confidence",
    "M2": "Propulsion",
    "M1S1": "Entries and exits",
    "M1S2": "Breathing",
    "M2S1": "Kicking",
    "M2S2": "Arms",
    "M1S1L1": "Sitting entry with support",
    "M1S1L2": "Exit using the wall",
    "M1S2L1": "Blow bubbles at the surface",
    "M1S2L2": "Submerge face for 3 seconds",
    "M2S1L1": "Kick on the wall",
    "M2S1L2": "Kick with kickboard",
    "M2S2L1": "Doggy paddle",
    "M2S2L2": "Front crawl arms on the step",
}


def test_screenshot(curriculum_world, login_role, open_screen) -> None:  # type: ignore[no-untyped-def]
    su, swim, _ = curriculum_world
    with psycopg.connect(su, autocommit=True) as conn:
        for key, name in NAMES.items():
            table = {2: "modules", 4: "sections", 6: "lessons"}[len(key)]
            conn.execute(
                f"update academy.{table} set name = %s where id = %s", (name, swim.ids[key])
            )
        conn.execute(
            "update academy.levels set name = 'Level 1 · Starfish', description = %s where id = %s",
            ("Water confidence for beginners: entries, floating and first kicks.", swim.level),
        )
        conn.execute(
            "update academy.curriculums set name = 'Kids 5–8' where id = %s", (swim.curriculum,)
        )
        rubric = conn.execute(
            "insert into academy.assessment_rubrics (level_id, program_id, is_current, name)"
            " values (%s, %s, true, 'Starfish') returning id",
            (swim.level, swim.program),
        ).fetchone()[0]  # type: ignore[index]
        for pos, (crit, stars) in enumerate(
            [
                (
                    "Floating",
                    (
                        "Will not float",
                        "Floats with noodle",
                        "Floats 5 s alone",
                        "Floats 30 s alone",
                    ),
                ),
                (
                    "Breathing",
                    (
                        "Holds breath only",
                        "Blows bubbles",
                        "Rhythmic bubbles",
                        "Breathes to the side",
                    ),
                ),
                ("Kicking", ("No kick", "Kicks with help", "Kicks alone", "Strong, steady kick")),
            ]
        ):
            conn.execute(
                "insert into academy.assessment_rubric_criteria"
                " (rubric_id, program_id, name, position,"
                " star_0_descriptor, star_1_descriptor, star_2_descriptor, star_3_descriptor)"
                " values (%s, %s, %s, %s, %s, %s, %s, %s)",
                (rubric, swim.program, crit, pos, *stars),
            )
        for name, qty in (("Kickboard", 1), ("Noodle float", 1), ("Diving ring", 3)):
            item = conn.execute(
                "insert into academy.equipment_items (name, category) values (%s, 'training')"
                " returning id",
                (name,),
            ).fetchone()[0]  # type: ignore[index]
            conn.execute(
                "insert into academy.equipment_requirements"
                " (level_id, program_id, equipment_item_id,"
                " quantity) values (%s, %s, %s, %s)",
                (swim.level, swim.program, item, qty),
            )
    admin = login_role("program_admin", programs=[swim.program])
    screen = open_screen(admin.url)
    ws = screen.workspace
    open_path(screen, "Swimming", "Swimming course", "Kids 5–8", "Level 1 · Starfish")
    screen.wait(ws.expand_all())
    screen.settle()
    ws.editor.rename(NodeRef(NodeKind.LESSON, swim.ids["M1S1L1"]), "Sitting entry, supported")
    screen.settle()
    ws.select(NodeRef(NodeKind.LEVEL, swim.level))
    screen.qtbot.waitUntil(
        lambda: ws.level_panel.rubric is not None and bool(ws.level_panel.rubric.criteria)
    )
    screen.qtbot.wait(200)
    Path(OUT or ".").mkdir(parents=True, exist_ok=True)
    ws.grab().save(str(Path(OUT or ".") / "curriculum-level.png"))
    ws.select(NodeRef(NodeKind.LESSON, swim.ids["M1S2L1"]))
    screen.qtbot.waitUntil(
        lambda: ws.detail.detail is not None and ws.detail.detail.node.kind is NodeKind.LESSON
    )
    screen.qtbot.wait(200)
    ws.grab().save(str(Path(OUT or ".") / "curriculum-lesson.png"))
