"""Structure of the migrated schema: tables, ownership, foreign keys and their indexes,
the spec's named and full-text indexes, partitioning, and a full downgrade/upgrade cycle.

Catalog queries only; behaviour (constraints, triggers, pruning) is in
``test_schema_rules.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from academy_desktop.db import migrate

SPEC_TABLES = {
    "users", "user_program_assignments", "password_reset_tokens", "auth_audit_log",
    "locations", "location_programs", "user_location_assignments", "programs", "courses",
    "curriculums", "levels", "modules", "sections", "lessons", "assessment_rubrics",
    "equipment_requirements", "students", "parents", "student_parent_relationships",
    "student_enrollments", "student_progress", "student_attendance",
    "student_financial_records", "sessions", "recurring_patterns", "session_bookings",
    "instructor_availability", "schedule_conflicts", "session_waitlists", "instructors",
    "instructor_location_assignments", "instructor_specializations",
}  # fmt: skip
EXTRA_TABLES = {"equipment_items", "data_audit_log", "assessment_rubric_criteria"}
PARTITIONED = {
    "auth_audit_log": "created_at",
    "data_audit_log": "created_at",
    "session_bookings": "session_date",
    "student_attendance": "attendance_date",
}
MATERIALIZED_VIEWS = {
    "student_progress_summary", "location_capacity_summary", "instructor_schedule_summary",
}  # fmt: skip

# (table, FK columns in order, referenced table): every relationship of the spec diagram
# plus the ones the columns imply.
EXPECTED_FKS = {
    ("location_programs", ("location_id",), "locations"),
    ("location_programs", ("program_id",), "programs"),
    ("user_location_assignments", ("user_id",), "users"),
    ("user_location_assignments", ("location_id",), "locations"),
    ("user_program_assignments", ("user_id",), "users"),
    ("user_program_assignments", ("program_id",), "programs"),
    ("password_reset_tokens", ("user_id",), "users"),
    ("password_reset_tokens", ("parent_id",), "parents"),
    ("parents", ("location_id",), "locations"),
    ("students", ("location_id",), "locations"),
    ("students", ("program_id",), "programs"),
    ("student_parent_relationships", ("student_id",), "students"),
    ("student_parent_relationships", ("parent_id",), "parents"),
    ("courses", ("program_id",), "programs"),
    ("curriculums", ("course_id",), "courses"),
    ("levels", ("curriculum_id",), "curriculums"),
    ("modules", ("level_id",), "levels"),
    ("sections", ("module_id",), "modules"),
    ("lessons", ("section_id",), "sections"),
    ("assessment_rubrics", ("level_id",), "levels"),
    ("assessment_rubric_criteria", ("rubric_id",), "assessment_rubrics"),
    ("equipment_requirements", ("level_id",), "levels"),
    ("equipment_requirements", ("equipment_item_id",), "equipment_items"),
    ("instructors", ("user_id",), "users"),
    ("instructor_location_assignments", ("instructor_id",), "instructors"),
    ("instructor_location_assignments", ("location_id",), "locations"),
    ("instructor_specializations", ("instructor_id",), "instructors"),
    ("instructor_specializations", ("program_id",), "programs"),
    ("instructor_specializations", ("curriculum_id",), "curriculums"),
    ("instructor_specializations", ("level_id", "curriculum_id"), "levels"),
    ("instructor_availability", ("instructor_id",), "instructors"),
    ("recurring_patterns", ("location_id",), "locations"),
    ("recurring_patterns", ("program_id",), "programs"),
    ("recurring_patterns", ("level_id",), "levels"),
    ("recurring_patterns", ("instructor_id",), "instructors"),
    ("sessions", ("location_id",), "locations"),
    ("sessions", ("program_id",), "programs"),
    ("sessions", ("level_id",), "levels"),
    ("sessions", ("instructor_id",), "instructors"),
    ("sessions", ("substitute_for_instructor_id",), "instructors"),
    ("sessions", ("recurring_pattern_id",), "recurring_patterns"),
    ("session_bookings", ("session_id", "session_date"), "sessions"),
    ("session_bookings", ("student_id",), "students"),
    ("session_waitlists", ("session_id",), "sessions"),
    ("session_waitlists", ("student_id",), "students"),
    ("schedule_conflicts", ("session_id",), "sessions"),
    ("schedule_conflicts", ("recurring_pattern_id",), "recurring_patterns"),
    ("student_enrollments", ("student_id",), "students"),
    ("student_enrollments", ("curriculum_id",), "curriculums"),
    ("student_enrollments", ("level_id",), "levels"),
    ("student_enrollments", ("location_id",), "locations"),
    ("student_progress", ("student_id",), "students"),
    ("student_progress", ("level_id",), "levels"),
    ("student_progress", ("session_id",), "sessions"),
    ("student_progress", ("rubric_id", "level_id"), "assessment_rubrics"),
    ("student_progress", ("criterion_id", "rubric_id"), "assessment_rubric_criteria"),
    ("student_attendance", ("session_id", "attendance_date"), "sessions"),
    ("student_attendance", ("student_id",), "students"),
    ("student_attendance", ("location_id",), "locations"),
    ("student_financial_records", ("student_id",), "students"),
    ("student_financial_records", ("location_id",), "locations"),
    ("student_financial_records", ("reverses_id",), "student_financial_records"),
} | {
    (table, ("program_id",), "programs")
    for table in ("curriculums", "levels", "modules", "sections", "lessons",
                  "assessment_rubrics", "assessment_rubric_criteria",
                  "equipment_requirements", "student_enrollments", "student_progress",
                  "student_attendance")
}  # fmt: skip

# The spec's query-specific indexes: (table, leading key columns).
NAMED_INDEXES = [
    ("students", ("location_id", "program_id", "last_name")),
    ("sessions", ("session_date", "location_id", "instructor_id")),
    ("student_attendance", ("student_id", "attendance_date")),
    ("student_financial_records", ("student_id", "transaction_date", "status")),
    ("parents", ("email", "phone", "location_id")),
]

INDEX_KEYS_SQL = """
select t.relname, i.relname,
       array(select a.attname
               from unnest(x.indkey[0:x.indnkeyatts - 1]) with ordinality k(attnum, n)
             join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
             order by k.n) as keys,
       x.indpred is null as total
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_class t on t.oid = x.indrelid
 where t.relnamespace = 'academy'::regnamespace and not t.relispartition
"""


@pytest.fixture
def conn(migrated_db_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(migrated_db_url, autocommit=True) as connection:
        yield connection


def _relations(conn: psycopg.Connection, kinds: str) -> dict[str, str]:
    rows = conn.execute(
        """select c.relname, pg_get_userbyid(c.relowner) from pg_class c
            where c.relnamespace = 'academy'::regnamespace and c.relkind = any(%s)""",
        (list(kinds),),
    ).fetchall()
    return dict(rows)


def test_every_spec_table_exists_and_is_owned_by_the_owner(conn: psycopg.Connection) -> None:
    tables = _relations(conn, "rp")
    missing = (SPEC_TABLES | EXTRA_TABLES) - tables.keys()
    assert not missing, f"missing tables: {sorted(missing)}"
    not_owned = {name: owner for name, owner in tables.items() if owner != "academy_owner"}
    assert not not_owned, f"tables not owned by academy_owner: {not_owned}"


def test_materialized_views_and_functions_are_owned_by_the_owner(conn: psycopg.Connection) -> None:
    views = _relations(conn, "m")
    assert views.keys() == MATERIALIZED_VIEWS
    assert set(views.values()) == {"academy_owner"}
    owners = conn.execute(
        """select p.proname, pg_get_userbyid(p.proowner) from pg_proc p
            where p.pronamespace = 'academy'::regnamespace"""
    ).fetchall()
    names = {name for name, _ in owners}
    assert {"touch_updated_at", "normalize_search", "ensure_monthly_partitions",
            "maintain_partitions", "refresh_reporting_views"} <= names  # fmt: skip
    assert {owner for _, owner in owners} == {"academy_owner"}


def test_common_columns(conn: psycopg.Connection) -> None:
    """uuid id default gen_random_uuid(), created_at/updated_at timestamptz, row_version."""
    rows = conn.execute(
        """select c.table_name, c.column_name, c.data_type, c.column_default, c.is_nullable
             from information_schema.columns c
            where c.table_schema = 'academy' and c.table_name = any(%s)""",
        (sorted(SPEC_TABLES | EXTRA_TABLES),),
    ).fetchall()
    columns = {(table, column): (dtype, default, nullable)
               for table, column, dtype, default, nullable in rows}  # fmt: skip
    for table in SPEC_TABLES | EXTRA_TABLES:
        dtype, default, nullable = columns[(table, "id")]
        assert (dtype, default, nullable) == ("uuid", "gen_random_uuid()", "NO"), table
        dtype, default, nullable = columns[(table, "created_at")]
        assert (dtype, default, nullable) == ("timestamp with time zone", "now()", "NO"), table
    for table in ("students", "parents", "users", "sessions", "courses", "curriculums",
                  "levels", "modules", "sections", "lessons"):  # fmt: skip
        dtype, default, nullable = columns[(table, "row_version")]
        assert (dtype, default, nullable) == ("integer", "1", "NO"), table
        assert columns[(table, "updated_at")][0] == "timestamp with time zone"
    for table in ("users", "locations", "programs", "courses", "curriculums", "levels",
                  "modules", "sections", "lessons", "students", "parents", "instructors",
                  "recurring_patterns", "equipment_items", "sessions"):  # fmt: skip
        assert columns[(table, "is_active")][1] == "true", table


def _foreign_keys(conn: psycopg.Connection) -> set[tuple[str, tuple[str, ...], str]]:
    rows = conn.execute(
        """select c.conrelid::regclass::text, c.confrelid::regclass::text,
                  array(select a.attname from unnest(c.conkey) with ordinality k(attnum, n)
                        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                        order by k.n)
             from pg_constraint c join pg_class t on t.oid = c.conrelid
            where c.contype = 'f' and c.connamespace = 'academy'::regnamespace
              and not t.relispartition"""
    ).fetchall()
    return {
        (table.removeprefix("academy."), tuple(cols), ref.removeprefix("academy."))
        for table, ref, cols in rows
    }


def test_every_expected_foreign_key_exists(conn: psycopg.Connection) -> None:
    missing = EXPECTED_FKS - _foreign_keys(conn)
    assert not missing, f"missing foreign keys: {sorted(missing)}"


def test_every_foreign_key_column_is_covered_by_an_index(conn: psycopg.Connection) -> None:
    """Some non-partial index must lead with exactly the FK's columns (any order)."""
    indexes: dict[str, list[set[str]]] = {}
    rows = conn.execute(INDEX_KEYS_SQL).fetchall()
    for table, _index, keys, total in rows:
        if total:
            indexes.setdefault(table, []).append(list(keys))
    uncovered = [
        (table, cols)
        for table, cols, _ref in _foreign_keys(conn)
        if not any(set(keys[: len(cols)]) == set(cols) for keys in indexes.get(table, []))
    ]
    assert not uncovered, f"foreign keys without a covering index: {sorted(uncovered)}"


def test_spec_query_indexes_exist(conn: psycopg.Connection) -> None:
    rows = conn.execute(INDEX_KEYS_SQL).fetchall()
    have = {(table, tuple(keys)) for table, _index, keys, _total in rows}
    for table, keys in NAMED_INDEXES:
        assert any(t == table and k[: len(keys)] == keys for t, k in have), (table, keys)


def test_search_indexes_exist(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        "select tablename, indexdef from pg_indexes where schemaname = 'academy'"
    ).fetchall()
    defs: dict[str, list[str]] = {}
    for table, definition in rows:
        defs.setdefault(table, []).append(definition)

    def has(table: str, *fragments: str) -> bool:
        return any(all(f in d for f in fragments) for d in defs.get(table, []))

    for table in ("students", "parents", "lessons", "programs", "curriculums"):
        assert has(table, "USING gin (search_document)"), table
    for table in ("students", "parents"):
        assert has(table, "USING gin (search_name extensions.gin_trgm_ops)"), table
        assert has(table, "(last_name_search text_pattern_ops)"), table
    assert has("parents", "(phone_digits text_pattern_ops)")
    # the normaliser is immutable so generated columns and indexes may use it
    volatility = conn.execute(
        "select provolatile, proparallel from pg_proc"
        " where oid = 'academy.normalize_search(text)'::regprocedure"
    ).fetchone()
    assert volatility == ("i", "s")
    assert conn.execute("select academy.normalize_search('Zoë Ångström')").fetchone() == (
        "zoe angstrom",
    )


def test_partitioned_tables_have_monthly_and_default_partitions(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        """select c.relname, a.attname, p.partstrat
             from pg_partitioned_table p
             join pg_class c on c.oid = p.partrelid
             join pg_attribute a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
            where c.relnamespace = 'academy'::regnamespace"""
    ).fetchall()
    assert {name: key for name, key, _ in rows} == PARTITIONED
    assert {strategy for _, _, strategy in rows} == {"r"}
    for table in PARTITIONED:
        children = {
            name
            for (name,) in conn.execute(
                """select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                    where i.inhparent = %s::regclass""",
                (f"academy.{table}",),
            )
        }
        assert f"{table}_default" in children
        this_month = conn.execute("select to_char(current_date, 'YYYY\"m\"MM')").fetchone()
        assert this_month is not None
        months = {c for c in children if c.startswith(f"{table}_y")}
        assert f"{table}_y{this_month[0]}" in months
        assert len(months) >= 16, (table, len(months))  # 12 back, this month, 3 ahead
        primary_key = conn.execute(
            """select array(select a.attname from unnest(x.indkey) k(attnum)
                            join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum)
                 from pg_index x where x.indrelid = %s::regclass and x.indisprimary""",
            (f"academy.{table}",),
        ).fetchone()
        assert primary_key is not None and set(primary_key[0]) == {"id", PARTITIONED[table]}


def test_partition_unique_indexes_are_named_after_their_parent(conn: psycopg.Connection) -> None:
    """Unique violations name the partition's index; the app maps it by the parent's name."""
    rows = conn.execute(
        """select ci.relname, pi.relname, c.relname, p.relname
             from pg_index x
             join pg_class ci on ci.oid = x.indexrelid
             join pg_inherits ii on ii.inhrelid = x.indexrelid
             join pg_class pi on pi.oid = ii.inhparent
             join pg_class c on c.oid = x.indrelid
             join pg_inherits it on it.inhrelid = c.oid
             join pg_class p on p.oid = it.inhparent
            where c.relnamespace = 'academy'::regnamespace and x.indisunique"""
    ).fetchall()
    assert len(rows) > 50
    wrong = [
        (index, parent_index)
        for index, parent_index, table, parent_table in rows
        if index != parent_index + table.removeprefix(parent_table)
    ]
    assert not wrong, wrong[:5]


def test_maintain_partitions_is_idempotent(conn: psycopg.Connection) -> None:
    assert conn.execute("select academy.maintain_partitions(3)").fetchone() == (0,)
    created = conn.execute("select academy.maintain_partitions(5)").fetchone()
    assert created == (2 * len(PARTITIONED),)
    owners = conn.execute(
        """select distinct pg_get_userbyid(c.relowner) from pg_class c
            where c.relnamespace = 'academy'::regnamespace and c.relispartition"""
    ).fetchall()
    assert owners == [("academy_owner",)]


def test_downgrade_base_then_upgrade_head(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    head = migrate.current_revision(empty_db_url)
    assert head is not None
    migrate.downgrade(empty_db_url, "base")
    with psycopg.connect(empty_db_url, autocommit=True) as conn:
        left = conn.execute(
            """select c.relname from pg_class c
                where c.relnamespace = 'academy'::regnamespace
                  and c.relname not like 'alembic_version%%'
               union all
               select p.proname from pg_proc p where p.pronamespace = 'academy'::regnamespace
               union all
               select t.typname from pg_type t
                where t.typnamespace = 'academy'::regnamespace and t.typtype = 'e'"""
        ).fetchall()
        assert left == []
    assert migrate.current_revision(empty_db_url) is None
    migrate.upgrade(empty_db_url)
    assert migrate.current_revision(empty_db_url) == head
    with psycopg.connect(empty_db_url, autocommit=True) as conn:
        assert set(_relations(conn, "rp")) >= SPEC_TABLES
