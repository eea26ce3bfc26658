"""0019's search word index: kept in step with students and parents by trigger (insert,
rename, move, delete), equal to a rebuild from scratch, and closed to every login."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "qt"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from students_fixtures import make_world

# What the index must hold: every word (2+ characters) of every name, per location
_EXPECTED = """
    select s.location_id, 's'::"char", w, s.id from academy.students s,
           lateral regexp_split_to_table(s.search_name, '\\s+') w where char_length(w) >= 2
    union
    select p.location_id, 'p'::"char", w, p.id from academy.parents p,
           lateral regexp_split_to_table(p.search_name, '\\s+') w where char_length(w) >= 2"""
_HELD = "select location_id, kind, word, person_id from academy.search_word_people"


def _rows(conn: psycopg.Connection[Any], sql: str) -> set[tuple[Any, ...]]:
    return set(conn.execute(sql).fetchall())


def test_word_index_follows_every_change_and_equals_a_rebuild(migrated_db_url: str) -> None:
    w = make_world(migrated_db_url)
    ada = w.student("A", "Ada", "Lovelace")
    grace = w.student("A", "Grace", "Hopper")
    pat = w.parent("A", "Pat", "O'Neil-Smith")
    with psycopg.connect(migrated_db_url, autocommit=True) as conn:
        assert _rows(conn, _HELD) == _rows(conn, _EXPECTED)
        assert ("lovelace", ada) in {(r[2], r[3]) for r in _rows(conn, _HELD)}
        conn.execute("update academy.students set last_name = 'Byron', preferred_name = 'Countess'"
                     " where id = %s", (ada,))
        conn.execute("update academy.students set location_id = %s where id = %s",
                     (w.locations["B"], grace))
        conn.execute("update academy.parents set first_name = 'Patricia' where id = %s", (pat,))
        conn.execute("update academy.students set notes = 'no name change' where id = %s", (ada,))
        held = _rows(conn, _HELD)
        assert held == _rows(conn, _EXPECTED)
        words = {(r[2], r[3]) for r in held}
        assert ("lovelace", ada) not in words and ("countess", ada) in words
        assert (w.locations["B"], "s", "hopper", grace) in held
        assert ("patricia", pat) in words and ("pat", pat) not in words
        conn.execute("delete from academy.students where id = %s", (grace,))
        assert not any(r[3] == grace for r in _rows(conn, _HELD))
        before = _rows(conn, _HELD)
        conn.execute("select academy.rebuild_search_words()")
        assert _rows(conn, _HELD) == before
        dictionary = {r[0] for r in conn.execute("select word from academy.search_words")}
        assert {"byron", "countess", "patricia", "o'neil-smith"} <= dictionary


@pytest.mark.parametrize("table", ["search_words", "search_word_people"])
def test_no_login_reads_or_writes_the_word_index(migrated_db_url: str, login_role: Any,
                                                 table: str) -> None:
    w = make_world(migrated_db_url)
    w.student("A", "Ada", "Lovelace")
    for kind in ("front_desk", "super_admin"):
        role = login_role(kind, locations=[w.locations["A"]] if kind == "front_desk" else [])
        with psycopg.connect(role.url, autocommit=True) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"select * from academy.{table}")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"delete from academy.{table}")


def test_several_words_contains_goes_through_the_word_index(migrated_db_url: str,
                                                             login_role: Any) -> None:
    """A query of several words found in the middle of a name (contains tier, rank 2):
    its candidates come from the word index now, scoped to the desk's locations."""
    from test_queries_students import run_as

    from academy_desktop.db.queries import students

    w = make_world(migrated_db_url)
    kid = w.student("A", "Ann-Mari", "Alecontes")
    mum = w.parent("A", "Jo-Mari", "Aleconte")
    w.student("B", "Eva-Mari", "Aleconte")
    desk = login_role("front_desk", locations=[w.locations["A"]])
    found = run_as(desk.url, lambda s: students.search_people(s, "mari alecont"))
    assert {(r.kind, r.id, r.match_rank) for r in found} == {("student", kid, 2),
                                                             ("parent", mum, 2)}
