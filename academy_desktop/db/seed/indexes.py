"""Secondary indexes dropped for the bulk load and rebuilt once after it.

COPY into a table keeps every index up to date row by row: the people tables carry eight
GIN trigram indexes (two with fastupdate off, for the search), so a 50,000-row load of
parents ran at ~2,000 rows/s and the million-student scale would spend most of its time
inserting into GIN pages at random. Building an index once over the loaded table is a
sort, an order of magnitude cheaper. The definitions are read back from the catalog
(`pg_get_indexdef`), so whatever the migrations define is what gets rebuilt, under the
same names; unique indexes still check the data when they are built, and indexes that
back a constraint (primary keys, UNIQUE, exclusion) are left alone. Only plain tables:
a partitioned table's index definition is `ON ONLY` the parent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

# the tables the seed loads in bulk that are not partitioned
DEFERRED_TABLES = ("students", "parents", "student_parent_relationships",
                   "student_enrollments", "student_financial_records", "student_progress",
                   "sessions")

_SECONDARY = """
    SELECT i.relname, pg_get_indexdef(i.oid)
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relnamespace = 'academy'::regnamespace AND t.relname = ANY (%s)
       AND t.relkind = 'r' AND i.relkind = 'i'
       AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.oid)
       AND NOT EXISTS (SELECT FROM pg_depend d  -- e.g. a constraint's backing index
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = i.oid
                          AND d.deptype = 'i')
     ORDER BY t.relname, i.relname"""


def secondary_indexes(conn: psycopg.Connection[Any],
                      tables: Sequence[str] = DEFERRED_TABLES) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the droppable indexes on academy.`tables`."""
    return [(name, ddl) for name, ddl in conn.execute(_SECONDARY, (list(tables),))]


@contextmanager
def deferred_indexes(conn: psycopg.Connection[Any],
                     tables: Sequence[str] = DEFERRED_TABLES) -> Iterator[list[str]]:
    """Drop the secondary indexes of `tables` for the block, rebuild them after it (in
    the caller's transaction, so a failed load leaves the schema as it was)."""
    found = secondary_indexes(conn, tables)
    for name, _ddl in found:
        conn.execute(sql.SQL("DROP INDEX academy.{}").format(sql.Identifier(name)))
    yield [name for name, _ddl in found]
    conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, ddl in found:
        conn.execute(ddl)  # type: ignore[arg-type]  # catalog text, not user input
