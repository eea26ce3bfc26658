"""The students list page (0018 ``academy.students_page``, SECURITY DEFINER for the front
desk and the super admin) returns exactly the rows, columns and order of the plain query
under RLS, for every sort key, direction, filter and page - as real login roles over TCP.

The oracle below is the list query as it ran before 0018 (plain SQL, RLS decides every
table), with two tie-breaks added that the page now makes explicit (parents with the same
last name by first name, then id; equal enrollments by id).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from secworld import add_instructor, add_session, book, one

from academy_desktop.db.queries import students
from academy_desktop.domain.students import SortKey, StudentFilter

_ORDER = {
    SortKey.NAME: ("s.last_name {d}, s.first_name {d}, s.id {d}",
                   "x.last_name {d}, x.first_name {d}, x.id {d}"),
    SortKey.NUMBER: ("s.student_number {d}, s.id {d}", "x.student_number {d}, x.id {d}"),
    SortKey.BIRTH: ("s.date_of_birth {d} nulls last, s.last_name {d}, s.id {d}",
                    "x.date_of_birth {d} nulls last, x.last_name {d}, x.id {d}"),
    SortKey.LOCATION: ("s.last_name, s.first_name, s.id",
                       "x.location_name {d}, x.last_name, x.first_name, x.id"),
    SortKey.PROGRAM: ("(select p.name from academy.programs p where p.id = s.program_id)"
                      " {d} nulls last, s.last_name, s.first_name, s.id",
                      "x.program_name {d} nulls last, x.last_name, x.first_name, x.id"),
}

_ORACLE = """
    with page as (
        select x.id, row_number() over (order by {merged}) as pos
          from academy.locations l
         cross join lateral (
               select s.id, s.last_name, s.first_name, s.student_number, s.date_of_birth,
                      l.name as location_name,
                      (select p.name from academy.programs p where p.id = s.program_id)
                          as program_name
                 from academy.students s
                where s.location_id = l.id
                  and (cast(%(program_id)s as uuid) is null or s.program_id = %(program_id)s)
                  and (cast(%(active)s as boolean) is null or s.is_active = %(active)s)
                  and (cast(%(level_id)s as uuid) is null or exists (
                       select 1 from academy.student_enrollments e
                        where e.student_id = s.id and e.level_id = %(level_id)s
                          and e.status = 'active'))
                order by {inner}
                limit %(window)s) x
         where cast(%(location_id)s as uuid) is null or l.id = %(location_id)s
         order by pos offset %(offset)s limit %(limit)s)
    select s.id, s.first_name, s.last_name, s.student_number, s.preferred_name,
           s.date_of_birth, l.name, p.name, lev.name, fam.names, s.is_active
      from page
      join academy.students s on s.id = page.id
      join academy.locations l on l.id = s.location_id
      left join academy.programs p on p.id = s.program_id
      left join lateral (
           select lv.name from academy.student_enrollments e
            cross join lateral (
                  select lv.name from academy.levels lv where lv.id = e.level_id limit 1) lv
            where e.student_id = s.id and e.status = 'active'
            order by (e.program_id = s.program_id) desc nulls last, e.enrolled_on desc, e.id
            limit 1) lev on true
      left join lateral (
           select string_agg(pa.first_name || ' ' || pa.last_name, ', '
                             order by r.is_primary_contact desc, pa.last_name, pa.first_name,
                                      pa.id) as names
             from academy.student_parent_relationships r
             join academy.parents pa on pa.id = r.parent_id
            where r.student_id = s.id) fam on true
     order by page.pos"""

_FAMILY_GRANTED = ("select has_table_privilege('academy.parents', 'SELECT')"
                   " and has_table_privilege('academy.student_parent_relationships', 'SELECT')")
_DIRECT = ("select id from academy.{fn}(%s, %s, %s, %s, %s, %s, %s, %s{extra})")


def oracle(conn: psycopg.Connection[Any], filters: StudentFilter, sort: SortKey,
           descending: bool, offset: int, limit: int) -> list[tuple[Any, ...]]:
    """The page as the plain query under the connection's RLS returns it (no family
    names for a role without SELECT on the family tables: it used to fail for them)."""
    inner, merged = (part.format(d="desc" if descending else "asc") for part in _ORDER[sort])
    statement = _ORACLE.format(inner=inner, merged=merged)
    if not conn.execute(_FAMILY_GRANTED).fetchone()[0]:  # type: ignore[index]
        statement = statement[:statement.index("      left join lateral (\n           select"
                                               " string_agg")]
        statement = statement.replace("fam.names", "null") + "     order by page.pos"
    return conn.execute(statement, {
        "location_id": filters.location_id, "program_id": filters.program_id,
        "level_id": filters.level_id, "active": filters.active,
        "window": offset + limit, "offset": offset, "limit": limit}).fetchall()


def as_tuples(rows: Any) -> list[tuple[Any, ...]]:
    return [(r.id, r.first_name, r.last_name, r.student_number, r.preferred_name,
             r.date_of_birth, r.location_name, r.program_name, r.level_name, r.family,
             r.is_active) for r in rows]


def pages(url: str, cases: list[tuple[StudentFilter, SortKey, bool, int, int]]) -> list[Any]:
    """``list_students`` for every case, in one AsyncSession per case over TCP."""
    async def go() -> list[Any]:
        engine = create_async_engine(make_url(url).set(drivername="postgresql+psycopg"))
        try:
            found = []
            for filters, sort, descending, offset, limit in cases:
                async with AsyncSession(engine) as session, session.begin():
                    found.append(await students.list_students(
                        session, filters, sort, descending, offset, limit))
            return found
        finally:
            await engine.dispose()
    return asyncio.run(go())


class Academy:
    """Three locations, three programs (P3 offered nowhere, so hidden from the desks),
    students with ties, inactive ones, no birth date, enrollments whose level or
    location a desk may not see, and families spanning locations."""

    def __init__(self, url: str) -> None:
        self.url = url
        with psycopg.connect(url, autocommit=True) as conn:
            self.loc = {k: one(conn, "insert into academy.locations (code, name) values"
                                     " (%s, %s) returning id", (f"Q{k}", f"Site {k}"))
                        for k in "ABC"}
            self.prog = {k: one(conn, "insert into academy.programs (code, name) values"
                                      " (%s, %s) returning id", (f"Q{k}", f"Sport {k}"))
                         for k in ("1", "2", "3")}
            for loc, prog in (("A", "1"), ("B", "2"), ("C", "2")):
                conn.execute("insert into academy.location_programs (location_id, program_id)"
                             " values (%s, %s)", (self.loc[loc], self.prog[prog]))
            self.curr: dict[str, UUID] = {}
            self.level: dict[str, UUID] = {}
            for k, prog in self.prog.items():
                course = one(conn, "insert into academy.courses (program_id, name) values"
                                   " (%s, 'Course') returning id", (prog,))
                self.curr[k] = one(conn, "insert into academy.curriculums (course_id,"
                                         " program_id, name) values (%s, %s, 'Curriculum')"
                                         " returning id", (course, prog))
                self.level[k] = one(conn, "insert into academy.levels (curriculum_id,"
                                          " program_id, level_number, name) values"
                                          " (%s, %s, 1, %s) returning id",
                                    (self.curr[k], prog, f"Level of {k}"))
            self._people(conn)

    def _people(self, conn: psycopg.Connection[Any]) -> None:
        progs = [self.prog["1"], self.prog["2"], self.prog["3"], None]
        self.kids: dict[str, list[UUID]] = {k: [] for k in "ABC"}
        for loc, count in (("A", 26), ("B", 12), ("C", 5)):
            for i in range(count):
                born = None if i % 7 == 3 else date(2010 + i % 9, 1 + i % 12, 1 + i % 5)
                self.kids[loc].append(one(
                    conn, "insert into academy.students (first_name, last_name, date_of_birth,"
                          " location_id, program_id, is_active, preferred_name) values"
                          " (%s, %s, %s, %s, %s, %s, %s) returning id",
                    (f"Kid{i % 5}", f"Fam{i % 4}", born, self.loc[loc], progs[i % 4],
                     i % 6 != 5, "Pip" if i % 9 == 0 else None)))
        a, b = self.kids["A"], self.kids["B"]
        # enrollments: visible, in a program the desk of A cannot see, at another location
        # (B), two active at once (the primary program's first), one ended
        for kid, prog, loc, status, day in (
                (a[0], "1", "A", "active", date(2024, 1, 1)),
                (a[1], "3", "A", "active", date(2024, 1, 1)),
                (a[2], "2", "B", "active", date(2024, 1, 1)),
                (a[4], "1", "A", "active", date(2023, 1, 1)),
                (a[4], "2", "A", "active", date(2025, 1, 1)),
                (a[5], "1", "A", "completed", date(2022, 1, 1)),
                (b[0], "2", "B", "active", date(2024, 1, 1)),
                (b[1], "1", "A", "active", date(2024, 1, 1))):
            conn.execute(
                "insert into academy.student_enrollments (student_id, curriculum_id, level_id,"
                " program_id, location_id, status, enrolled_on, ended_on) values"
                " (%s, %s, %s, %s, %s, %s, %s, %s)",
                (kid, self.curr[prog], self.level[prog], self.prog[prog], self.loc[loc],
                 status, day, None if status == "active" else date(2024, 6, 1)))
        # families: two parents of one surname (neither primary), a parent at B of a child
        # at A, one parent of children at A and at B
        self.parents = {}
        for key, first, last, loc in (("p1", "Zoe", "Same", "A"), ("p2", "Amy", "Same", "A"),
                                      ("p3", "Bo", "Far", "B"), ("p4", "Cy", "Both", "A")):
            self.parents[key] = one(conn, "insert into academy.parents (first_name, last_name,"
                                          " location_id) values (%s, %s, %s) returning id",
                                    (first, last, self.loc[loc]))
        for kid, key, primary in ((a[0], "p1", False), (a[0], "p2", False),
                                  (a[0], "p3", False), (a[3], "p3", True),
                                  (a[3], "p4", False), (b[0], "p4", True),
                                  (b[2], "p3", True)):
            conn.execute("insert into academy.student_parent_relationships (student_id,"
                         " parent_id, relationship, is_primary_contact) values"
                         " (%s, %s, 'guardian', %s)", (kid, self.parents[key], primary))
        instructor = add_instructor(conn, "Page")
        conn.execute("insert into academy.instructor_location_assignments (instructor_id,"
                     " location_id) values (%s, %s)", (instructor, self.loc["A"]))
        from datetime import UTC, datetime
        session = add_session(conn, self.loc["A"], self.prog["1"], instructor,
                              datetime(2026, 3, 2, 15, tzinfo=UTC))
        for kid in (a[0], a[3], a[4], b[1]):
            book(conn, session, kid)
        self.instructor = instructor


@pytest.fixture
def academy(migrated_db_url: str) -> Academy:
    return Academy(migrated_db_url)


def cases(academy: Academy) -> list[tuple[StudentFilter, SortKey, bool, int, int]]:
    filters = [StudentFilter(), StudentFilter(active=None), StudentFilter(active=False),
               StudentFilter(location_id=academy.loc["A"], active=None),
               StudentFilter(location_id=academy.loc["B"]),
               StudentFilter(program_id=academy.prog["1"], active=None),
               StudentFilter(level_id=academy.level["2"], active=None),
               StudentFilter(level_id=academy.level["3"], active=None)]
    found = []
    for sort in SortKey:
        for descending in (False, True):
            for offset, limit in ((0, 7), (7, 7), (0, 200)):
                found.append((filters[0], sort, descending, offset, limit))
            found += [(f, sort, descending, 3, 5) for f in filters[1:]]
    return found


def assert_same_as_rls(url: str, academy: Academy) -> list[Any]:
    """Every case's page equals the oracle's (limit + 1 rows: has_more too)."""
    todo = cases(academy)
    got = pages(url, todo)
    with psycopg.connect(url, autocommit=True) as conn:
        for (filters, sort, descending, offset, limit), page in zip(todo, got, strict=True):
            want = oracle(conn, filters, sort, descending, offset, limit + 1)
            case = (filters, sort, descending, offset, limit)
            assert as_tuples(page.rows) == want[:limit], case
            assert page.has_more == (len(want) > limit), case
    return got


def test_desks_and_super_admin_get_exactly_the_rls_page(academy: Academy,
                                                        login_role: Any) -> None:
    """Desk of A, float desk of A and B, super admin: same rows, columns and order as the
    plain query under RLS; the desk of A sees only A's students, not B's parent's name,
    not the level or program of P3 (offered nowhere), not the enrollment at B."""
    desk_a = login_role("front_desk", locations=[academy.loc["A"]])
    desk_ab = login_role("front_desk", locations=[academy.loc["A"], academy.loc["B"]])
    admin = login_role("super_admin")
    for role in (desk_a, desk_ab, admin):
        assert_same_as_rls(role.url, academy)
    a_first = pages(desk_a.url, [(StudentFilter(active=None), SortKey.NAME, False, 0, 200)])[0]
    assert {r.id for r in a_first.rows} == set(academy.kids["A"])
    olivia = next(r for r in a_first.rows if r.id == academy.kids["A"][0])
    assert olivia.family == "Amy Same, Zoe Same"  # not Bo Far (a parent at B)
    assert olivia.level_name == "Level of 1"
    hidden = {r.id: r for r in a_first.rows}
    assert hidden[academy.kids["A"][1]].level_name is None  # a level of P3
    assert hidden[academy.kids["A"][2]].level_name is None  # an enrollment at B
    assert hidden[academy.kids["A"][2]].program_name is None  # P3: not the desk's
    float_page = pages(desk_ab.url, [(StudentFilter(active=None), SortKey.NAME, False, 0,
                                      200)])[0]
    both = {r.id: r for r in float_page.rows}
    assert both[academy.kids["A"][0]].family == "Bo Far, Amy Same, Zoe Same"
    assert both[academy.kids["A"][2]].level_name == "Level of 2"
    assert set(both) == set(academy.kids["A"]) | set(academy.kids["B"])
    everyone = pages(admin.url, [(StudentFilter(active=None), SortKey.LOCATION, True, 0,
                                  200)])[0]
    assert len(everyone.rows) == sum(len(k) for k in academy.kids.values())


def test_a_desk_never_gets_another_locations_students(academy: Academy,
                                                      login_role: Any) -> None:
    desk_a = login_role("front_desk", locations=[academy.loc["A"]])
    only_b = pages(desk_a.url, [(StudentFilter(location_id=academy.loc["B"], active=None),
                                 sort, False, 0, 200) for sort in SortKey])
    assert all(page.rows == () and not page.has_more for page in only_b)
    with psycopg.connect(desk_a.url, autocommit=True) as conn:
        for loc in ("B", "C"):
            for fn, extra in (("students_page", ""), ("students_page_body", ", true, null,"
                               " null"), ("students_page_body", ", false, %s, %s")):
                params: list[Any] = ["name", False, academy.loc[loc], None, None, None, 0,
                                     500]
                if "%s" in extra:
                    params += [list(academy.loc.values()), list(academy.prog.values())]
                assert conn.execute(_DIRECT.format(fn=fn, extra=extra), params).fetchall() == []
        # the body called directly (SECURITY INVOKER) with every location: RLS still decides
        wide = {r[0] for r in conn.execute(
            _DIRECT.format(fn="students_page_body", extra=", false, %s, %s"),
            ["name", False, None, None, None, None, 0, 500, list(academy.loc.values()),
             list(academy.prog.values())])}
        assert wide == set(academy.kids["A"])


def test_other_kinds_keep_rls_and_cannot_widen_it(academy: Academy, login_role: Any) -> None:
    """Instructor, program admin and parent: the page is their plain RLS page; the
    definer function gives them nothing, and the body's scope arguments only narrow."""
    roles = [login_role("instructor", instructor_id=academy.instructor),
             login_role("program_admin", programs=[academy.prog["1"]]),
             login_role("parent", parent_id=academy.parents["p4"])]
    everything = [list(academy.loc.values()), list(academy.prog.values())]
    for role in roles:
        got = assert_same_as_rls(role.url, academy)
        with psycopg.connect(role.url, autocommit=True) as conn:
            visible = {r[0] for r in conn.execute("select id from academy.students")}
            assert visible and len(visible) < sum(len(k) for k in academy.kids.values())
            assert {r.id for r in got[2].rows} <= visible  # the 200-row page
            definer = conn.execute(_DIRECT.format(fn="students_page", extra=""),
                                   ["name", False, None, None, None, None, 0, 500]).fetchall()
            assert definer == [], role.role_name
            body = {r[0] for r in conn.execute(
                _DIRECT.format(fn="students_page_body", extra=", false, %s, %s"),
                ["name", False, None, None, None, None, 0, 500, *everything])}
            assert body <= visible, role.role_name


def test_an_unknown_sort_key_is_refused(academy: Academy, login_role: Any) -> None:
    desk_a = login_role("front_desk", locations=[academy.loc["A"]])
    with psycopg.connect(desk_a.url, autocommit=True) as conn, pytest.raises(
            psycopg.errors.InvalidParameterValue):
        conn.execute(_DIRECT.format(fn="students_page", extra=""),
                     ["s.id; drop table academy.students", False, None, None, None, None, 0,
                      10])

