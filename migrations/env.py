"""Alembic environment: migrations run as (a member of) ``academy_owner``.

Every object the revisions create is then owned by the NOLOGIN owner role, never by
the person or superuser who ran the upgrade.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from academy_desktop.db.migrate import VERSION_TABLE_SCHEMA


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text("SET ROLE academy_owner"))
        connection.execute(text("SET search_path = academy, extensions"))
        connection.commit()
        context.configure(
            connection=connection,
            version_table_schema=VERSION_TABLE_SCHEMA,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run against a server.")
run_migrations_online()
