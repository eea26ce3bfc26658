"""Run Alembic programmatically so `academy-admin` and the tests share one code path.

Revisions live in the top-level ``migrations/`` folder; the bootstrap SQL (roles,
extensions, the ``academy`` schema) is cluster-level and runs before them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
VERSION_TABLE_SCHEMA = "academy"
#: The revision this build of the client expects the server to be at.
EXPECTED_REVISION = "0021_search_word_probe"


def sync_url(url: str) -> str:
    """Alembic runs synchronously: force the psycopg (3) sync dialect."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The same URL without the SQLAlchemy driver suffix, for plain psycopg."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def bootstrap(url: str) -> None:
    """Create the owner/group roles, extensions and schema if they are missing."""
    sql = resources.files("academy_desktop.db.sql").joinpath("bootstrap.sql").read_text()
    # plain psycopg: no bind-parameter parsing of the `%I` in format() calls
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(sql)


def upgrade(url: str, revision: str = "head") -> None:
    bootstrap(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The server's revision, or None when the schema was never migrated."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("select to_regclass('academy.alembic_version') is not null")
            ).scalar_one()
            if not exists:
                return None
            return conn.execute(text("select version_num from academy.alembic_version")).scalar()
    finally:
        engine.dispose()


def execute_sql_file(name: str) -> None:
    """Run one of ``migrations/sql/NAME`` inside the current Alembic transaction.

    Goes through the raw psycopg connection so ``%`` (``format('%I')``) and ``:``
    in the SQL are never mistaken for bind parameters.
    """
    from alembic import op

    sql = (MIGRATIONS_DIR / "sql" / name).read_text(encoding="utf-8")
    dbapi_connection = op.get_bind().connection.driver_connection
    assert dbapi_connection is not None
    dbapi_connection.execute(sql)
