"""Fixtures of the security suite: the seeded world and one login per role."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from secworld import World, seed_world

_shared_numbers = itertools.count(1)


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


@pytest.fixture(scope="module")
def shared_db_url(pg_superuser_url: str, template_database: str) -> Any:
    """One migrated database for a whole module of read-mostly tests (cloning is slow)."""
    import psycopg
    from psycopg import sql

    run_id = template_database.rsplit("_", 1)[-1]
    name = f"academy_sec_{run_id}_{next(_shared_numbers)}"
    with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
            sql.Identifier(name), sql.Identifier(template_database)))
    try:
        yield _url(pg_superuser_url, database=name)
    finally:
        with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def make_login(db_url: str, registry: list[str], kind: str, **scope: Any) -> Any:
    """A login on ``db_url`` (module-scoped counterpart of the ``login_role`` factory)."""
    import secrets

    import psycopg

    from academy_desktop.db.provisioning import provision_account

    run_id = (_url(db_url).split("/")[-1]).split("_")[2]
    role_name = f"t_m{kind.replace('_', '')[:5]}_{run_id}_{next(_shared_numbers)}"
    password = "Pw-" + secrets.token_urlsafe(12)
    registry.append(role_name)
    with psycopg.connect(db_url, autocommit=True) as conn:
        person = provision_account(conn, role_name=role_name, kind=kind, password=password,
                                   display_name=f"Shared {role_name}", **scope)
    return SharedLogin(role_name, password, _url(db_url, username=role_name, password=password),
                       person)


@dataclass(frozen=True)
class SharedLogin:
    role_name: str
    password: str
    url: str
    person_id: Any


def _url(url: str, **parts: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).set(**parts).render_as_string(hide_password=False)


