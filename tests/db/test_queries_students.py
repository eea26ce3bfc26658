"""Student and family queries against a real database, as real login roles over TCP:
search scope equals RLS, typo/phone/email matching, paging, one-transaction families,
stale edits refused."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.exc import ProgrammingError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
from db_sessions import run_as
from students_fixtures import World, make_world

from academy_desktop.db.queries import families, students
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.students import SortKey, StudentChanges, StudentFilter
from academy_desktop.domain.validation import (
    CleanChild,
    CleanFamily,
    CleanParent,
)


@pytest.fixture
def world(migrated_db_url: str) -> World:
    w = make_world(migrated_db_url)
    olivia = w.student("A", "Olivia", "Martínez", number="S9000001", medical="Asthma")
    leo = w.student("A", "Leo", "Martínez", date(2018, 2, 3))
    ana = w.parent("A", "Ana", "Martínez", "+15551234567", "ana@example.com")
    w.link(olivia, ana)
    w.link(leo, ana)
    w.student("B", "Olivier", "Martin", number="S9000002")
    w.parent("B", "Bea", "Martin", "+15557654321", "bea@example.com")
    w.many_students("A", 30)
    return w


def ids(rows: Any, kind: str = "student") -> set[Any]:
    return {r.id for r in rows if r.kind == kind}


def test_search_finds_typos_phone_email_and_number(world: World, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[world.locations["A"]])
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    ana = world.one("select id from academy.parents where first_name = 'Ana'")

    def search(q: str) -> Any:
        return run_as(desk.url, lambda s: students.search_people(s, q))

    typo = search("olivai martinez")
    assert olivia in ids(typo)
    prefix = search("mart")
    assert prefix[0].match_rank <= 1 and olivia in ids(prefix) and ana in ids(prefix, "parent")
    assert [r.id for r in search("s9000001")][:1] == [olivia]
    by_phone = search("(555) 123-4567")
    assert ana in ids(by_phone, "parent") and olivia in ids(by_phone)
    by_email = search("ana@exam")  # the parent, and her children through her address
    assert ana in ids(by_email, "parent") and olivia in ids(by_email)
    assert olivia not in ids(search("ana"))  # a name's letters in an address: not the kids
    assert search("'; drop table academy.students; --") == ()


def test_contains_needs_a_trigram_and_email_an_address(world: World, login_role: Any) -> None:
    """0021: "o'n" (no three letters in a row: no trigram to find it by) still finds
    O'Neil by prefix, without a contains scan; a parent's address is searched anywhere only
    for address-like queries, so "xample" is not every parent at example.com."""
    oneil = world.student("A", "Rory", "O'Neil")
    zed = world.parent("A", "Zed", "Quill", None, "zed@example.net")
    desk = login_role("front_desk", locations=[world.locations["A"]])

    def search(q: str) -> Any:
        return run_as(desk.url, lambda s: students.search_people(s, q))

    assert oneil in ids(search("o'n")) and oneil in ids(search("O'Ne"))
    assert zed not in ids(search("xample"), "parent")  # in every address here, no name
    assert zed in ids(search("zed@ex"), "parent") and zed in ids(search("example.net"), "parent")
    assert zed in ids(search("quil"), "parent")  # by name, as before


def test_typo_tier_runs_only_when_little_was_found(world: World, login_role: Any) -> None:
    """0019: the typo-tolerant tier (the costly scan) runs when students and parents
    together found fewer than 10; a multi-word typo ranks the name with its intact word."""
    for i in range(3):
        world.student("A", f"Kim{i}", "Blake")
    for i in range(8):
        world.parent("A", f"Lee{i}", "Blakemore")
    ivo = world.student("A", "Ivo", "Blakke")  # only the typo tier finds it for "blake"
    desk = login_role("front_desk", locations=[world.locations["A"]])

    def search(q: str) -> Any:
        return run_as(desk.url, lambda s: students.search_people(s, q, 200))

    found = search("blake")  # 3 students + 8 parents by prefix: no typo scan
    assert len(found) == 11 and all(r.match_rank <= 1 for r in found)
    few = search("blakek")  # nothing by prefix or contains: the typo tier finds Ivo
    assert ivo in {r.id for r in few if r.match_rank == 4}
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    assert search("olivai martinez")[0].id == olivia  # "martinez" intact: Olivia first


def test_search_scope_equals_rls(world: World, login_role: Any) -> None:
    """search_people returns exactly the matches (as a super admin finds them) that RLS
    lets the front desk read with a plain SELECT."""
    desk = login_role("front_desk", locations=[world.locations["A"]])
    admin = login_role("super_admin")
    with psycopg.connect(desk.url) as conn:  # plain SELECTs: RLS decides
        visible = {r[0] for r in conn.execute("select id from academy.students")}
        visible_parents = {r[0] for r in conn.execute("select id from academy.parents")}
    assert visible and len(visible) < world.one("select count(*) from academy.students")
    for q in ("mart", "olivier martin", "S9000002", "zeta", "555765", "bea@ex", "ma"):
        found = run_as(desk.url, lambda s, q=q: students.search_people(s, q, 200))
        every = run_as(admin.url, lambda s, q=q: students.search_people(s, q, 200))
        assert ids(found) == ids(every) & visible, q
        assert ids(found, "parent") == ids(every, "parent") & visible_parents, q
    # the typo paths (0019: intact words first, then similarity) depend on what the scope
    # holds - "olivier martn" is Olivier at B for the admin, Olivia at A for this desk -
    # but never reach beyond it
    for q in ("olivai martinez", "olivier martn"):
        found = run_as(desk.url, lambda s, q=q: students.search_people(s, q, 200))
        assert ids(found) and ids(found) <= visible, q
    b_ids = {r[0] for r in world.all("select id from academy.students where location_id = %s",
                                     (world.locations["B"],))}
    assert ids(run_as(admin.url, lambda s: students.search_people(s, "olivier martin"))) & b_ids
    assert not ids(run_as(desk.url, lambda s: students.search_people(s, "olivier martin"))) & b_ids
    # a desk of both locations: every tier (the contains and typo tiers through the
    # location-aware trigram index, 0015) finds the rows of each of its locations
    both = login_role("front_desk", locations=[world.locations["A"], world.locations["B"]])
    for q in ("mart", "artin", "olivai martinez", "olivier martn", "bea@ex"):
        found = run_as(both.url, lambda s, q=q: students.search_people(s, q, 200))
        every = run_as(admin.url, lambda s, q=q: students.search_people(s, q, 200))
        assert [(r.kind, r.id) for r in found] == [(r.kind, r.id) for r in every], q
    assert ids(run_as(both.url, lambda s: students.search_people(s, "olivier martn"))) & b_ids


def test_list_pages_sorts_and_filters(world: World, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[world.locations["A"], world.locations["B"]])
    first = run_as(desk.url, lambda s: students.list_students(s, StudentFilter(), limit=10))
    assert len(first.rows) == 10 and first.has_more
    last = run_as(desk.url, lambda s: students.list_students(s, StudentFilter(), offset=30,
                                                             limit=10))
    assert not last.has_more and len(last.rows) == 3
    only_b = run_as(desk.url, lambda s: students.list_students(
        s, StudentFilter(location_id=world.locations["B"])))
    assert [r.last_name for r in only_b.rows] == ["Martin"]
    by_number = run_as(desk.url, lambda s: students.list_students(
        s, StudentFilter(), SortKey.NUMBER, descending=True, limit=1))
    assert by_number.rows[0].student_number == "S9000002"
    olivia = next(r for r in first.rows if r.first_name == "Olivia") if any(
        r.first_name == "Olivia" for r in first.rows) else None
    assert olivia is None or olivia.family == "Ana Martínez"


def test_create_family_and_duplicates(world: World, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[world.locations["A"]])
    dupes = run_as(desk.url, lambda s: families.find_duplicate_parents(
        s, ["+15551234567"], []))
    assert [d.first_name for d in dupes] == ["Ana"]
    hidden = run_as(desk.url, lambda s: families.find_duplicate_parents(
        s, ["+15557654321"], ["bea@example.com"]))
    assert hidden == ()  # location B's parent is outside this desk's scope
    family = CleanFamily(world.locations["A"], (
        CleanParent("Carl", "O'Brien 😀", "+15550001111", None, "father", None),
        CleanParent("", "", None, None, "mother", None, link_to=dupes[0].id)),
        (CleanChild("Mia", "O'Brien", date(2017, 1, 1), None, None),
         CleanChild("Noah", "O'Brien", date(2019, 1, 1), "Peanuts", None)))
    child_ids = run_as(desk.url, lambda s: families.create_family(s, family))
    assert len(child_ids) == 2
    links = world.all("select count(*) from academy.student_parent_relationships"
                      " where student_id = any(%s)", (list(child_ids),))
    assert links[0][0] == 4
    bad = CleanFamily(world.locations["B"], family.parents, family.children)
    with pytest.raises(ProgrammingError, match="row-level security"):  # nothing half-saved
        run_as(desk.url, lambda s: families.create_family(s, bad))
    assert world.one("select count(*) from academy.students where last_name = %s",
                     ("O'Brien",)) == 2
    # unlinking: only links of the desk's own students
    bea = world.one("select id from academy.parents where first_name = 'Bea'")
    olivier = world.one("select id from academy.students where student_number = 'S9000002'")
    world.link(olivier, bea)
    with pytest.raises(UserFacingError):
        run_as(desk.url, lambda s: families.unlink_parent(s, olivier, bea))
    assert world.one("select count(*) from academy.student_parent_relationships"
                     " where student_id = %s", (olivier,)) == 1
    run_as(desk.url, lambda s: families.unlink_parent(s, child_ids[0], dupes[0].id))
    assert world.one("select count(*) from academy.student_parent_relationships"
                     " where student_id = %s", (child_ids[0],)) == 1


def test_stale_edit_refused(world: World, login_role: Any) -> None:
    desk = login_role("front_desk", locations=[world.locations["A"]])
    olivia = world.one("select id from academy.students where student_number = 'S9000001'")
    detail = run_as(desk.url, lambda s: students.student_detail(s, olivia))
    assert detail.family[0].first_name == "Ana"
    changes = StudentChanges("Olivia", "Martínez", "Liv", date(2016, 5, 1), "Asthma", None, None)
    version = run_as(desk.url, lambda s: students.update_student(
        s, olivia, detail.profile.row_version, changes))
    assert version == detail.profile.row_version + 1
    with pytest.raises(UserFacingError) as stale:
        run_as(desk.url, lambda s: students.update_student(
            s, olivia, detail.profile.row_version, changes))
    assert stale.value.code is ErrorKind.CONFLICT_STALE
    run_as(desk.url, lambda s: students.set_student_active(s, olivia, version, False))
    assert world.one("select is_active from academy.students where id = %s", (olivia,)) is False
    # moving a student: only to a location the desk has
    move = replace(changes, location_id=world.locations["B"])
    current = world.one("select row_version from academy.students where id = %s", (olivia,))
    with pytest.raises(ProgrammingError, match="row-level security"):
        run_as(desk.url, lambda s: students.update_student(s, olivia, current, move))
    both = login_role("front_desk", locations=[world.locations["A"], world.locations["B"]])
    run_as(both.url, lambda s: students.update_student(s, olivia, current, move))
    assert world.one("select location_id from academy.students where id = %s",
                     (olivia,)) == world.locations["B"]


# The predicate search_people applies, written as a plain SELECT: run by a login role it
# is filtered by RLS, so it gives exactly the rows the role may find. (The typo tier runs
# only when the other tiers found fewer than 10 students and parents together, and a query
# of several words looks first at names containing one of its 4+ letter words: neither
# narrows any query of this small world.)
_STUDENT_MATCH = """
    select s.id from academy.students s, lateral (select academy.normalize_search(%(q)s) q) n
     where s.student_number = upper(%(q)s) or starts_with(s.search_name, n.q)
        or starts_with(s.last_name_search, n.q)
        or (char_length(n.q) >= 3 and s.search_name like '%%' || n.q || '%%')
        or (char_length(n.q) >= 4 and extensions.word_similarity(n.q, s.search_name) >= 0.5)"""
_PARENT_MATCH = """
    select p.id from academy.parents p, lateral (select academy.normalize_search(%(q)s) q) n
     where starts_with(p.search_name, n.q) or starts_with(p.last_name_search, n.q)
        or (char_length(n.q) >= 3 and p.search_name like '%%' || n.q || '%%')
        or (char_length(n.q) >= 4 and extensions.word_similarity(n.q, p.search_name) >= 0.5)"""


def test_search_function_returns_what_rls_would_for_each_role(
        migrated_db_url: str, login_role: Any) -> None:
    """search_people (SECURITY DEFINER, its own scope code) against the same match as a
    plain SELECT under RLS, for a front desk, a program admin, an instructor and a parent."""
    w = make_world(migrated_db_url)
    a = w.locations["A"]
    ada = w.student("A", "Ada", "Lovelace")
    w.student("A", "Alan", "Turing")
    w.link(w.student("B", "Grace", "Hopper", program="B"), w.parent("B", "Pat", "Hopper"))
    mum = w.parent("A", "Pat", "Lovelace")
    w.link(ada, mum)
    for first, loc, prog in (("Adam", "A", "B"), ("Adela", "B", "A"), ("Ada", "B", "B")):
        w.link(w.student(loc, first, "Lovelace", program=prog), w.parent(loc, "Ann", "Lovelace"))
    coach = w.one("insert into academy.instructors (first_name, last_name)"
                  " values ('Coach', 'One') returning id")
    w.one("insert into academy.sessions (location_id, program_id, instructor_id, session_date,"
          " starts_at, ends_at, capacity) values (%s, %s, %s, current_date, now(),"
          " now() + interval '1 hour', 10) returning id", (a, w.programs["A"], coach))
    w.one("insert into academy.session_bookings (session_id, session_date, student_id)"
          " select id, session_date, %s from academy.sessions returning student_id", (ada,))
    numbers = [r[0] for r in w.all("select student_number from academy.students order by 1")]
    roles = {
        "front_desk": login_role("front_desk", locations=[a]),
        "program_admin": login_role("program_admin", programs=[w.programs["A"]]),
        "instructor": login_role("instructor", instructor_id=coach),
        "parent": login_role("parent", parent_id=mum),
    }
    queries = ("lov", "ada", "a", "ada lovelace", "ada lovelase", "hopper", "pat", "t",
               numbers[0], numbers[-1])
    seen_any = {kind: False for kind in roles}
    for kind, role in roles.items():
        with psycopg.connect(role.url, autocommit=True) as conn:
            for q in queries:
                found = run_as(role.url, lambda s, q=q: students.search_people(s, q, 200))
                expected = {r[0] for r in conn.execute(_STUDENT_MATCH, {"q": q})}
                assert ids(found) == expected, (kind, q)
                parents = {r[0] for r in conn.execute(_PARENT_MATCH, {"q": q})} \
                    if kind in ("front_desk", "parent") else set()
                assert ids(found, "parent") == parents, (kind, q)
                seen_any[kind] |= bool(expected)
    assert all(seen_any.values())  # every role found someone: the comparison means something


def test_student_panels_scoped_equal_rls(migrated_db_url: str, login_role: Any) -> None:
    """The student view's SECURITY DEFINER wrapper (front desk, super admin) returns exactly
    what the same body returns under RLS, for students in and out of the desk's scope."""
    from academy_desktop.db.seed import seed_demo

    seed_demo(migrated_db_url, scale="small")
    with psycopg.connect(migrated_db_url) as conn:
        riverside = conn.execute("select id from academy.locations where name = 'Riverside'"
                                 ).fetchone()[0]  # type: ignore[index]
        picked = [r[0] for r in conn.execute(
            "(select id from academy.students where location_id = %s order by id limit 25)"
            " union all (select id from academy.students where location_id <> %s"
            " order by id limit 5)", (riverside, riverside))]
    wrapped = ("select academy.student_panels(%s, current_date, now(), current_date - 365)")
    under_rls = ("select academy.student_panels_body(%s, current_date, now(),"
                 " current_date - 365, true, null, null)")
    for role in (login_role("front_desk", locations=[riverside]), login_role("super_admin")):
        with psycopg.connect(role.url) as conn:
            shown = 0
            for student in picked:
                fast = conn.execute(wrapped, (student,)).fetchone()[0]  # type: ignore[index]
                rls = conn.execute(under_rls, (student,)).fetchone()[0]  # type: ignore[index]
                assert fast == rls, student
                shown += fast is not None and bool(fast["ledger"]) and bool(fast["upcoming"])
            assert shown >= 10  # panels with rows were compared, not only empty ones
