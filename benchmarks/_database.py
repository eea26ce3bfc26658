"""Where benchmarks get their data: the local server, and a seeded database per scale.

A large seed takes tens of minutes, so `--scale large|huge` reuses one database per scale
(`academy_bench_large`: 100k students, ~5 GB; `academy_bench_huge`: 1M students, half of
them in classes, 8.6 GB, ~30 min to seed), migrated to head on every run and reseeded only
when it is missing or was never finished. `small` seeds a throwaway database each run (seconds).
Benchmarks that write (bookings, payments) write into the shared one: they measure deltas,
never absolute counts.
"""

from __future__ import annotations

import contextlib
import secrets
import sys
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db import migrate

_SEEDED_MARK = "academy bench seed complete"


def server_url(given: str | None) -> str:
    """The superuser URL: `--url` when given, else the local embedded server (started)."""
    if given:
        return given
    from academy_desktop.db.local_server import LocalServer

    server = LocalServer()
    server.start()
    return server.superuser_url()


def database_url(server: str, name: str) -> str:
    parts = psycopg.conninfo.conninfo_to_dict(server)
    return (f"postgresql://{parts['user']}:{parts.get('password', '')}@"
            f"{parts.get('host', '127.0.0.1')}:{parts.get('port', 5432)}/{name}")


def role_url(url: str, role: str, password: str) -> str:
    """The SQLAlchemy URL of `url`'s database, signed in as `role`."""
    head, db = url.rsplit("/", 1)
    return f"postgresql+psycopg://{role}:{password}@{head.split('@', 1)[1]}/{db}"


def create_database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(server, name)


def drop_database(server: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def fresh_migrated(server: str, prefix: str) -> str:
    """A new, empty, migrated database (the caller drops it)."""
    url = create_database(server, f"{prefix}_{secrets.token_hex(3)}")
    migrate.upgrade(url)
    return url


def seeded(server: str, scale: str) -> tuple[str, bool]:
    """(url, throwaway): a demo-seeded database at `scale`; drop it only when throwaway."""
    from academy_desktop.db.seed import seed_demo

    if scale == "small":
        url = fresh_migrated(server, "academy_bench_small")
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries the one JSON line
            seed_demo(url, scale="small")
        return url, True
    name = f"academy_bench_{scale}"
    url = database_url(server, name)
    # one seeder at a time: a second benchmark waits here instead of dropping a half-seed
    with psycopg.connect(server, autocommit=True) as lock:
        lock.execute("select pg_advisory_lock(hashtext(%s))", (name,))
        _ensure_seeded(server, url, name, scale)
    return url, False


def _ensure_seeded(server: str, url: str, name: str, scale: str) -> None:
    from academy_desktop.db.seed import seed_demo

    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute(
            "select shobj_description(oid, 'pg_database') from pg_database where datname = %s",
            (name,)).fetchone()
        if row is not None and row[0] != _SEEDED_MARK:  # an interrupted seed: start over
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            row = None
        if row is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    migrate.upgrade(url)
    if row is None:
        print(f"seeding {name} once (reused by later runs) ...", file=sys.stderr)
        with contextlib.redirect_stdout(sys.stderr):
            seed_demo(url, scale=scale)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(_SEEDED_MARK)))
