"""The curriculum functions under row-level security, as real login roles over TCP."""

from __future__ import annotations

import psycopg
import pytest

from tests.db.curriculum_fixtures import ensure_curriculum_functions, fetch, seed_tree


@pytest.fixture
def world(migrated_db_url, login_role):  # type: ignore[no-untyped-def]
    ensure_curriculum_functions(migrated_db_url)
    swim = seed_tree(migrated_db_url)
    gym = seed_tree(migrated_db_url, "GYM", "Gymnastics")
    admin = login_role("program_admin", programs=[swim.program])
    return migrated_db_url, swim, gym, admin


def lessons_of(url, section):  # type: ignore[no-untyped-def]
    return [
        r[0]
        for r in fetch(
            url,
            "select name from academy.lessons where section_id = %s order by position",
            (section,),
        )
    ]


def call(url, query, params=()):  # type: ignore[no-untyped-def]
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchone()


def test_move_lesson_keeps_positions(world) -> None:  # type: ignore[no-untyped-def]
    su, swim, _, admin = world
    lesson = swim.ids["M1S1L1"]
    call(
        admin.url,
        "select academy.move_curriculum_node('lesson', %s, %s, 1, 1)",
        (lesson, swim.ids["M1S2"]),
    )
    assert lessons_of(su, swim.ids["M1S1"]) == ["M1S1L2"]
    assert lessons_of(su, swim.ids["M1S2"]) == ["M1S2L1", "M1S1L1", "M1S2L2"]
    positions = fetch(
        su,
        "select position from academy.lessons where section_id = %s order by position",
        (swim.ids["M1S2"],),
    )
    assert [p[0] for p in positions] == [0, 1, 2]
    # reorder inside one parent
    call(
        admin.url,
        "select academy.move_curriculum_node('lesson', %s, %s, 0, null)",
        (swim.ids["M1S2L2"], swim.ids["M1S2"]),
    )
    assert lessons_of(su, swim.ids["M1S2"]) == ["M1S2L2", "M1S2L1", "M1S1L1"]


def refusal(url: str, query: str, params: tuple[object, ...]) -> str:
    """The code a curriculum function refused with (DETAIL of the P0001 error)."""
    with pytest.raises(psycopg.errors.RaiseException) as info:
        call(url, query, params)
    assert info.value.sqlstate == "P0001"
    return str(info.value.diag.message_detail)


def test_refusals_carry_codes_and_save_nothing(world) -> None:  # type: ignore[no-untyped-def]
    su, swim, _, admin = world
    move = "select academy.move_curriculum_node(%s, %s, %s, 0, null)"
    section, lesson = swim.ids["M1S1"], swim.ids["M1S1L1"]
    assert refusal(admin.url, move, ("section", section, swim.level)) == "curriculum_wrong_kind"
    assert refusal(admin.url, move, ("section", section, section)) == "curriculum_cycle"
    assert refusal(admin.url, move, ("module", swim.ids["M1"], section)) == "curriculum_cycle"
    # a stale row_version: the second of two edits made from the same version
    update = "select academy.update_curriculum_node('lesson', %s, %s, 1)"
    call(admin.url, update, (lesson, '{"name": "A"}'))
    assert refusal(admin.url, update, (lesson, '{"name": "B"}')) == "curriculum_stale"
    assert fetch(su, "select name from academy.lessons where id = %s", (lesson,))[0][0] == "A"
    create = "select academy.create_curriculum_node('lesson', %s, %s)"
    for name, code in (("   ", "curriculum_name_empty"), ("x" * 10_000, "curriculum_name_too_long"),
                       ("m1s1l2", "curriculum_name_duplicate")):
        assert refusal(admin.url, create, (section, name)) == code
    assert len(lessons_of(su, section)) == 2
    assert lessons_of(su, swim.ids["M1S2"]) == ["M1S2L1", "M1S2L2"]


def test_other_programs_admin_refused_by_database(world) -> None:  # type: ignore[no-untyped-def]
    su, swim, gym, admin = world
    # into a program the admin does not manage: the target is invisible under RLS
    with pytest.raises(psycopg.errors.RaiseException) as info:
        call(
            admin.url,
            "select academy.move_curriculum_node('lesson', %s, %s, 0, null)",
            (swim.ids["M1S1L1"], gym.ids["M1S1"]),
        )
    assert info.value.diag.message_detail == "curriculum_parent_missing"
    # plain SQL on the other program changes nothing
    with psycopg.connect(admin.url) as conn:
        assert (
            conn.execute(
                "update academy.lessons set name = 'x' where id = %s", (gym.ids["M1S1L1"],)
            ).rowcount
            == 0
        )
    with pytest.raises(psycopg.errors.RaiseException):
        call(
            admin.url,
            "select academy.curriculum_remove_subtree('lesson', %s)",
            (gym.ids["M1S1L1"],),
        )
    assert lessons_of(su, gym.ids["M1S1"]) == ["M1S1L1", "M1S1L2"]


def test_front_desk_reads_but_cannot_edit(world, login_role) -> None:  # type: ignore[no-untyped-def]
    su, swim, _, _ = world
    location = fetch(su, "select id from academy.locations limit 1")
    if not location:
        with psycopg.connect(su, autocommit=True) as conn:
            loc = conn.execute(
                "insert into academy.locations (code, name) values ('L1', 'Pool') returning id"
            ).fetchone()[0]  # type: ignore[index]
    else:
        loc = location[0][0]
    with psycopg.connect(su, autocommit=True) as conn:
        conn.execute(
            "insert into academy.location_programs (location_id, program_id) values (%s, %s)",
            (loc, swim.program),
        )
    desk = login_role("front_desk", locations=[loc])
    assert len(fetch(desk.url, "select id from academy.lessons")) == 8
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        call(
            desk.url,
            "select academy.move_curriculum_node('lesson', %s, %s, 0, null)",
            (swim.ids["M1S1L1"], swim.ids["M1S2"]),
        )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        call(
            desk.url,
            "update academy.lessons set name = 'x' where id = %s returning id",
            (swim.ids["M1S1L1"],),
        )


def test_duplicate_and_remove_subtree(world) -> None:  # type: ignore[no-untyped-def]
    su, swim, _, admin = world
    new = call(
        admin.url,
        "select academy.duplicate_curriculum_subtree('module', %s, %s)",
        (swim.ids["M1"], swim.level),
    )[0]
    assert fetch(su, "select name, position from academy.modules where id = %s", (new,)) == [
        ("M1 (copy)", 2)
    ]
    assert (
        fetch(
            su,
            "select count(*) from academy.lessons l join academy.sections s on s.id = l.section_id"
            " where s.module_id = %s",
            (new,),
        )[0][0]
        == 4
    )
    call(admin.url, "select academy.curriculum_remove_subtree('module', %s)", (new,))
    assert (
        fetch(su, "select count(*) from academy.modules where level_id = %s", (swim.level,))[0][0]
        == 2
    )
    assert fetch(su, "select count(*) from academy.lessons")[0][0] == 16
