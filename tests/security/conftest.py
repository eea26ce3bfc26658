"""Fixtures of the security suite: the seeded world and one login per role.

A test marked ``@shared`` only reads, or is refused and changes nothing: it gets the
module's one seeded world (``shared_cast``) instead of a fresh database, and the world's
fingerprint is compared at the end of the module, so a test that wrongly carries the mark
fails instead of leaking into its neighbours. Unmarked tests get a fresh database each.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from secworld import World, fingerprint, make_login, seed_world, url_with

_databases = itertools.count(1)


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


def _cast(world: World, url: str, make: Any) -> Cast:
    return Cast(
        world=world,
        superuser_url=url,
        super_admin=make("super_admin"),
        desk_a=make("front_desk", locations=[world.loc_a]),
        desk_b=make("front_desk", locations=[world.loc_b]),
        padmin_1=make("program_admin", programs=[world.prog_1]),
        instructor_1=make("instructor", instructor_id=world.instr_1),
        parent_a=make("parent", parent_id=world.parent_a),
    )


@pytest.fixture
def world(migrated_db_url: str) -> World:
    return seed_world(migrated_db_url)


@pytest.fixture
def cast(request: pytest.FixtureRequest) -> Cast:
    """The cast on the module's shared world for ``@shared`` tests, else on a fresh one."""
    if request.node.get_closest_marker("shared_world"):
        return request.getfixturevalue("shared_cast")  # type: ignore[no-any-return]
    return _cast(request.getfixturevalue("world"), request.getfixturevalue("migrated_db_url"),
                 request.getfixturevalue("login_role"))


@pytest.fixture(scope="module")
def shared_cast(shared_db_url: str, _created_login_roles: list[str]) -> Any:
    def make(kind: str, locations: Any = (), programs: Any = (), **scope: Any) -> Any:
        return make_login(shared_db_url, _created_login_roles, kind,
                          location_ids=list(locations), program_ids=list(programs), **scope)

    cast = _cast(seed_world(shared_db_url), shared_db_url, make)
    before = fingerprint(shared_db_url)
    yield cast
    changed = [t for t, md5 in fingerprint(shared_db_url).items() if before.get(t) != md5]
    assert not changed, f"a @shared test changed the shared world: {changed}"


@pytest.fixture(scope="module")
def shared_db_url(pg_superuser_url: str, template_database: str) -> Any:
    """One migrated database for a whole module of read-mostly tests (cloning is slow)."""
    import psycopg
    from psycopg import sql

    run_id = template_database.rsplit("_", 1)[-1]
    name = f"academy_sec_{run_id}_{next(_databases)}"
    with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
            sql.Identifier(name), sql.Identifier(template_database)))
    try:
        yield url_with(pg_superuser_url, database=name)
    finally:
        with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
