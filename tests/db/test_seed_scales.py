"""The seed's scale knobs and bulk-load machinery on a tiny variant of the huge scale
(part of the students in classes, the rest former students): the exact student count,
families for every child, half the students in classes, and the secondary indexes the
seed drops for its COPYs rebuilt exactly as the migrations defined them.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from academy_desktop.db.seed import scales, seed_demo
from academy_desktop.db.seed.indexes import secondary_indexes

TINY_HUGE = scales.Scale("tiny_huge", 3, 240, 4, 1, 1, 3, False, class_share=0.5)


def _one(conn: psycopg.Connection[Any], query: str) -> Any:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def tiny_seeded(migrated_db_url: str, monkeypatch: pytest.MonkeyPatch
                ) -> tuple[str, list[tuple[str, str]]]:
    """(url, the secondary indexes before seeding) of a database seeded at TINY_HUGE."""
    monkeypatch.setitem(scales.SCALES, TINY_HUGE.name, TINY_HUGE)
    with psycopg.connect(migrated_db_url) as conn:
        before = secondary_indexes(conn)
    seed_demo(migrated_db_url, scale=TINY_HUGE.name, seed=11)
    return migrated_db_url, before


def test_indexes_are_rebuilt_as_migrated(tiny_seeded: tuple[str, list[tuple[str, str]]]
                                         ) -> None:
    url, before = tiny_seeded
    assert len(before) > 20  # the GIN trigram and btree indexes of the people tables
    with psycopg.connect(url) as conn:
        assert secondary_indexes(conn) == before
        assert _one(conn, """select count(*) from pg_index x
                              join pg_class t on t.oid = x.indrelid
                             where t.relnamespace = 'academy'::regnamespace
                               and not (x.indisvalid and x.indisready)""") == 0


def test_part_of_the_students_in_classes(tiny_seeded: tuple[str, list[tuple[str, str]]]
                                         ) -> None:
    url, _before = tiny_seeded
    with psycopg.connect(url) as conn:
        assert _one(conn, "select count(*) from academy.students") == TINY_HUGE.students
        seated = _one(conn, """select count(distinct student_id) from
                                academy.student_enrollments where status = 'active'""")
        assert 0.3 * TINY_HUGE.students < seated < 0.7 * TINY_HUGE.students
        # former students come with families too: every child has a parent
        assert _one(conn, """select count(*) from academy.students s
                              where s.date_of_birth > current_date - interval '18 years'
                                and not exists (select from academy.student_parent_relationships r
                                                 where r.student_id = s.id)""") == 0
        # the search columns are generated (a trigger-maintained one would be empty here)
        assert _one(conn, "select count(*) from academy.students where search_name is null") == 0
