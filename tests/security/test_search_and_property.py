"""search_students returns exactly what RLS would; random staff see exactly their scope."""

from __future__ import annotations

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from secworld import add_student, ids, make_login, seed_world

QUERIES = ["lov", "tur", "hop", "a", "ada", "S0000001", "zzz", "o%", "_"]


@pytest.fixture(scope="module")
def mod(shared_db_url, _created_login_roles):
    world = seed_world(shared_db_url)
    with psycopg.connect(shared_db_url, autocommit=True) as conn:
        for i in range(12):  # more look-alikes spread over both locations
            add_student(conn, f"Ana{i}", "Lovelock", world.loc_a if i % 2 else world.loc_b,
                        world.prog_1 if i % 3 else world.prog_2)
    make = lambda kind, **kw: make_login(shared_db_url, _created_login_roles, kind, **kw)  # noqa: E731
    logins = [make("super_admin"), make("front_desk", location_ids=[world.loc_a]),
              make("front_desk", location_ids=[world.loc_b]),
              make("program_admin", program_ids=[world.prog_2]),
              make("instructor", instructor_id=world.instr_1),
              make("parent", parent_id=world.parent_b)]
    return shared_db_url, world, logins


def test_search_students_equals_rls_filtered_query(mod):
    _, _, logins = mod
    for login in logins:
        with psycopg.connect(login.url) as conn:
            for q in QUERIES:
                found = {r[0] for r in conn.execute(
                    "select id from academy.search_students(%s, 500)", (q,))}
                norm = conn.execute("select academy.normalize_search(%s)", (q,)).fetchone()[0]
                pattern = norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                expected = {r[0] for r in conn.execute(
                    "select id from academy.students s where (char_length(%s) >= 3 and"
                    " s.search_name like '%%' || %s || '%%') or s.last_name_search like %s || '%%'"
                    " or s.student_number = upper(%s)", (norm, pattern, pattern, q))}
                assert found == expected, (login.role_name, q)
    # and the scopes differ, so the comparison is not vacuous
    assert len({frozenset(ids(x.url, "select id from academy.search_students('lov', 500)"))
                for x in logins}) >= 4


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_staff_see_exactly_their_scope(mod, data):
    url, _, _ = mod
    with psycopg.connect(url) as conn:
        locations = [r[0] for r in conn.execute("select id from academy.locations order by id")]
        programs = [r[0] for r in conn.execute("select id from academy.programs order by id")]
        students = conn.execute("select s.id, s.location_id, s.program_id, array(select"
                                " e.program_id from academy.student_enrollments e where"
                                " e.student_id = s.id) from academy.students s").fetchall()
    kind = data.draw(st.sampled_from(["front_desk", "program_admin"]))
    locs = data.draw(st.lists(st.sampled_from(locations), unique=True, max_size=2))
    progs = data.draw(st.lists(st.sampled_from(programs), unique=True, max_size=2))
    login = make_login(url, mod_registry(), kind, location_ids=locs, program_ids=progs)
    if kind == "front_desk":
        expected = {s for s, loc, _, _ in students if loc in locs}
    else:
        expected = {s for s, _, prog, enrolled in students
                    if prog in progs or set(enrolled) & set(progs)}
    assert ids(login.url, "select id from academy.students") == expected
    assert ids(login.url, "select id from academy.search_students('a', 500)") <= expected


_registry: list[str] = []


def mod_registry() -> list[str]:
    return _registry


@pytest.fixture(scope="module", autouse=True)
def _drop_property_roles(pg_superuser_url):
    yield
    from psycopg import sql
    with psycopg.connect(pg_superuser_url, autocommit=True) as conn:
        for name in _registry:
            conn.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                         " where usename = %s", (name,))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
