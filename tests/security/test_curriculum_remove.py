"""curriculum_remove_subtree (SECURITY DEFINER hard delete behind the editor's undo of
"add"/"duplicate"): only nodes the caller added (0009 let a program admin hard-delete any
unused content of their programs), only in the caller's programs, never a used node, and
never for a group member without an account."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from psycopg import sql
from psycopg.errors import RaiseException
from secworld import ids, make_login, one, seed_world, url_with

REMOVE = "select academy.curriculum_remove_subtree(%s, %s)"
ADD = "select academy.create_curriculum_node(%s, %s, %s)"


@pytest.fixture(scope="module")
def mod(shared_db_url, _created_login_roles):
    world = seed_world(shared_db_url)
    admin = make_login(shared_db_url, _created_login_roles, "program_admin",
                       program_ids=[world.prog_1])
    return shared_db_url, world, admin, _created_login_roles


def _call(url: str, statement: str, params: tuple) -> object:
    with psycopg.connect(url) as conn:
        return one(conn, statement, params)


def _su_module(url: str, level: object, name: str) -> tuple[object, object, object]:
    """module > section > lesson made by the superuser (seeded content, not the admin's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        module = one(conn, ADD, ("module", level, name))
        section = one(conn, ADD, ("section", module, "S"))
        lesson = one(conn, ADD, ("lesson", section, "L"))
    return module, section, lesson


def _exists(url: str, table: str, row: object) -> bool:
    return ids(url, f"select count(*) from academy.{table} where id = %s", (row,)) == {1}


def test_admin_removes_a_subtree_they_added(mod):
    url, w, admin, _ = mod
    module = _call(admin.url, ADD, ("module", w.level_1, "Mine"))
    section = _call(admin.url, ADD, ("section", module, "Mine too"))
    _call(admin.url, REMOVE, ("module", module))
    assert not _exists(url, "modules", module) and not _exists(url, "sections", section)


def test_admin_cannot_hard_delete_content_they_did_not_add(mod):
    url, w, admin, _ = mod
    module, section, lesson = _su_module(url, w.level_1, "Seeded")
    for kind, node in (("module", module), ("section", section), ("lesson", lesson)):
        with pytest.raises(RaiseException) as info:
            _call(admin.url, REMOVE, (kind, node))
        assert info.value.diag.message_detail == "curriculum_in_use"
    assert all(_exists(url, t, n) for t, n in
               (("modules", module), ("sections", section), ("lessons", lesson)))


def test_admin_cannot_smuggle_content_under_a_new_node_and_remove_it(mod):
    url, w, admin, _ = mod
    _, section, lesson = _su_module(url, w.level_1, "Old")
    new = _call(admin.url, ADD, ("module", w.level_1, "Trojan"))
    _call(admin.url, "select academy.move_curriculum_node('section', %s, %s, 0, null)",
          (section, new))
    with pytest.raises(RaiseException) as info:
        _call(admin.url, REMOVE, ("module", new))
    assert info.value.diag.message_detail == "curriculum_in_use"
    assert _exists(url, "sections", section) and _exists(url, "lessons", lesson)
    assert _exists(url, "modules", new)


def test_admin_cannot_remove_another_programs_node(mod):
    url, w, admin, _ = mod
    module, _, lesson = _su_module(url, w.level_2, "Theirs")
    for kind, node in (("module", module), ("lesson", lesson), ("level", w.level_2),
                       ("course", w.course_2)):
        with pytest.raises(RaiseException) as info:
            _call(admin.url, REMOVE, (kind, node))
        assert info.value.diag.message_detail == "curriculum_not_yours"
    assert _exists(url, "modules", module) and _exists(url, "levels", w.level_2)


def test_admin_cannot_remove_a_level_in_use_even_if_they_added_it(mod):
    url, w, admin, _ = mod
    curriculum = ids(url, "select curriculum_id from academy.levels where id = %s",
                     (w.level_1,)).pop()
    level = _call(admin.url, ADD, ("level", curriculum, "Used level"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update academy.sessions set level_id = %s where id = %s",
                     (level, w.session_1))
    with pytest.raises(RaiseException) as info:
        _call(admin.url, REMOVE, ("level", level))
    assert info.value.diag.message_detail == "curriculum_in_use"
    assert _exists(url, "levels", level)


def test_group_member_without_account_cannot_remove_anything(mod):
    """my_kind() is NULL for such a role: the scope test must not go NULL and let it in."""
    url, w, _, registry = mod
    role = f"t_noacct_{secrets.token_hex(4)}"
    password = "Pw-" + secrets.token_urlsafe(12)
    registry.append(role)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT academy_program_admin TO {}").format(sql.Identifier(role)))
    stranger = url_with(url, username=role, password=password)
    module, section, lesson = _su_module(url, w.level_2, "Victim")
    for kind, node in (("lesson", lesson), ("section", section), ("module", module)):
        with pytest.raises(RaiseException) as info:
            _call(stranger, REMOVE, (kind, node))
        assert info.value.diag.message_detail == "curriculum_not_yours"
    assert all(_exists(url, t, n) for t, n in
               (("modules", module), ("sections", section), ("lessons", lesson)))
