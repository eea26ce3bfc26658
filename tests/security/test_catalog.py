"""Catalog-level guarantees: RLS everywhere, nothing for PUBLIC, no app role owns or
bypasses anything, materialized views and password hashes out of reach, audit rows
immutable for everyone."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from secworld import ids, make_login, seed_world

from academy_desktop.db import migrate

GROUPS = ("academy_super_admin", "academy_program_admin", "academy_front_desk",
          "academy_instructor", "academy_parent", "academy_gatekeeper")


@pytest.fixture(scope="module")
def mod(shared_db_url, _created_login_roles):
    world = seed_world(shared_db_url)
    logins = {
        "super_admin": make_login(shared_db_url, _created_login_roles, "super_admin"),
        "front_desk": make_login(shared_db_url, _created_login_roles, "front_desk",
                                 location_ids=[world.loc_a]),
        "instructor": make_login(shared_db_url, _created_login_roles, "instructor",
                                 instructor_id=world.instr_1),
        "program_admin": make_login(shared_db_url, _created_login_roles, "program_admin",
                                    program_ids=[world.prog_1]),
        "parent": make_login(shared_db_url, _created_login_roles, "parent",
                             parent_id=world.parent_a),
    }
    with psycopg.connect(shared_db_url, autocommit=True) as conn:
        conn.execute("select academy.refresh_reporting_views(false)")
        conn.execute("update academy.students set notes = 'audited' where id = %s",
                     (world.student_a1,))
    return shared_db_url, world, logins


def test_every_table_has_rls_enabled(mod):
    url, _, _ = mod
    missing = ids(url, "select c.relname from pg_class c where c.relnamespace ="
                  " 'academy'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity")
    assert missing == set()
    # and every non-partition table a group may touch has at least one policy
    unpoliced = ids(url, "select c.relname from pg_class c where c.relnamespace ="
                    " 'academy'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition"
                    " and not exists (select 1 from pg_policy p where p.polrelid = c.oid)")
    assert unpoliced == set()


def test_public_has_nothing_and_no_app_role_owns_or_bypasses(mod):
    url, _, _ = mod
    assert ids(url, "select c.relname from pg_class c, aclexplode(c.relacl) a where"
               " c.relnamespace = 'academy'::regnamespace and a.grantee = 0") == set()
    assert ids(url, "select p.proname from pg_proc p, aclexplode(coalesce(p.proacl,"
               " acldefault('f', p.proowner))) a where p.pronamespace = 'academy'::regnamespace"
               " and a.grantee = 0") == set()
    assert ids(url, "select rolname from pg_roles where (rolname = any(%s)"
               " or rolname like 't\\_%%') and (rolsuper or rolbypassrls or rolcreaterole"
               " or rolcreatedb)",
               (list(GROUPS),)) == set()
    assert ids(url, "select distinct pg_get_userbyid(relowner) from pg_class where relnamespace"
               " = 'academy'::regnamespace") == {"academy_owner"}
    assert ids(url, "select nspname from pg_namespace n, aclexplode(n.nspacl) a where"
               " a.privilege_type = 'CREATE' and (a.grantee = 0 or"
               " pg_get_userbyid(a.grantee) = any(%s))", (list(GROUPS),)) == set()


@pytest.mark.parametrize("view", ["student_progress_summary", "location_capacity_summary",
                                  "instructor_schedule_summary"])
def test_materialized_views_are_refused_but_scoped_functions_work(mod, view):
    _, world, logins = mod
    for login in logins.values():
        with psycopg.connect(login.url) as conn, pytest.raises(InsufficientPrivilege):
            conn.execute(f"select * from academy.{view}")
    capacity = "select location_id from academy.my_location_capacity_summary()"
    assert ids(logins["front_desk"].url, capacity) == {world.loc_a}
    assert ids(logins["super_admin"].url, capacity) == {world.loc_a, world.loc_b}
    schedule = "select instructor_id from academy.my_instructor_schedule_summary()"
    assert ids(logins["instructor"].url, schedule) == {world.instr_1}
    progress = "select student_id from academy.my_student_progress_summary()"
    assert ids(logins["parent"].url, progress) <= {world.student_a1}


@pytest.mark.parametrize("kind", ["super_admin", "front_desk", "parent"])
def test_nobody_reads_password_hashes_or_other_roles_settings(mod, kind):
    _, _, logins = mod
    with psycopg.connect(logins[kind].url) as conn:
        other = logins["instructor"].role_name
        for statement in ("select rolpassword from pg_authid", "select * from pg_shadow",
                          f"alter role {other} set search_path = public",
                          f"alter role {other} password 'x'"):
            with pytest.raises(InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
        assert conn.execute("select rolpassword from pg_roles where rolname = %s",
                            (logins["front_desk"].role_name,)).fetchone() == ("********",)


@pytest.mark.parametrize("who", ["super_admin", "superuser"])
def test_audit_rows_cannot_be_changed_by_anyone(mod, who):
    url, world, logins = mod
    target = url if who == "superuser" else logins["super_admin"].url
    before = ids(url, "select count(*) from academy.data_audit_log")
    assert ids(logins["super_admin"].url, "select row_id from academy.data_audit_log where"
               " table_name = 'students' and operation = 'UPDATE'") == {world.student_a1}
    for statement in ("update academy.data_audit_log set role_name = 'nobody'",
                      "delete from academy.data_audit_log",
                      "update academy.auth_audit_log set role_name = 'nobody'",
                      "delete from academy.auth_audit_log"):
        with psycopg.connect(target) as conn, pytest.raises(InsufficientPrivilege):
            conn.execute(statement)
    assert ids(url, "select count(*) from academy.data_audit_log") == before


def test_audit_row_records_changed_columns_old_and_new(mod):
    url, world, _ = mod
    with psycopg.connect(url) as conn:
        row = conn.execute("select changed_columns, old_data, new_data"
                           " from academy.data_audit_log where table_name = 'students'"
                           " and operation = 'UPDATE' and row_id = %s",
                           (world.student_a1,)).fetchone()
    assert row == (["notes"], {"notes": None}, {"notes": "audited"})


def test_audit_log_is_invisible_to_everyone_but_super_admins(mod):
    _, _, logins = mod
    for kind in ("front_desk", "instructor", "program_admin", "parent"):
        with psycopg.connect(logins[kind].url) as conn, pytest.raises(InsufficientPrivilege):
            conn.execute("select * from academy.data_audit_log")
    assert ids(logins["super_admin"].url, "select count(*) from academy.data_audit_log") != {0}


def test_alembic_version_readable_by_every_person(mod):
    _, _, logins = mod
    for login in logins.values():
        assert ids(login.url, "select version_num from academy.alembic_version") \
            == {migrate.EXPECTED_REVISION}


def test_policies_reach_their_parent_row_by_key_not_by_scope_list(mod):
    """0010: `fk IN (SELECT id FROM parent WHERE scope)` in a policy builds the caller's whole
    scope (per partition) on every statement; through-the-parent scopes are written as a
    correlated EXISTS on the parent's key. Only the parents' own rows keep the IN form (a
    parent's bookings are a handful)."""
    url, _, _ = mod
    with psycopg.connect(url) as conn:
        in_form = {(r[0], r[1]) for r in conn.execute(
            "select tablename, policyname from pg_policies where schemaname = 'academy'"
            " and (qual ~ ' IN \\( SELECT' or with_check ~ ' IN \\( SELECT')")}
        helpers = conn.execute(
            "select count(*) from pg_proc where pronamespace = 'academy'::regnamespace"
            " and prosrc ~ '(users|parents|\\m[up])\\.role_name = session_user::text'"
            " and prosrc !~ 'role_name = session_user::text COLLATE \"default\"'").fetchone()
    assert in_form == {("sessions", "academy_parent_select"),
                       ("instructors", "academy_parent_select")}
    # and every users/parents "who is calling" lookup compares under the column's collation
    # (session_user is a C-collated name: without it the unique index is not used)
    assert helpers == (0,)
