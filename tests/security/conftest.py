"""Fixtures of the security suite: the seeded world and one login per role."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from secworld import World, seed_world


@dataclass
class Cast:
    """One real login per kind of person, scoped to the world's location A / program 1."""

    world: World
    superuser_url: str
    super_admin: Any
    desk_a: Any
    desk_b: Any
    padmin_1: Any
    instructor_1: Any
    parent_a: Any


@pytest.fixture
def world(migrated_db_url: str) -> World:
    return seed_world(migrated_db_url)


@pytest.fixture
def cast(world: World, migrated_db_url: str, login_role: Any) -> Cast:
    return Cast(
        world=world,
        superuser_url=migrated_db_url,
        super_admin=login_role("super_admin"),
        desk_a=login_role("front_desk", locations=[world.loc_a]),
        desk_b=login_role("front_desk", locations=[world.loc_b]),
        padmin_1=login_role("program_admin", programs=[world.prog_1]),
        instructor_1=login_role("instructor", instructor_id=world.instr_1),
        parent_a=login_role("parent", parent_id=world.parent_a),
    )
