"""`academy-admin`: server work that never belongs in the desk's GUI.

Targets `--url`, else `ACADEMY_DATABASE_URL`, else the embedded local server's
`academy` database (started and created on demand). Errors are printed as one plain
line; the exit code says whether it worked.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

import psycopg
from psycopg import sql
from sqlalchemy.exc import SQLAlchemyError

from academy_desktop.db import migrate
from academy_desktop.db.local_server import LocalServer, LocalServerError, wait_until_accepting

LOCAL_DATABASE = "academy"


def _local_database_url(server: LocalServer) -> str:
    """Start the local server if needed and make sure the `academy` database exists."""
    server.start()
    admin_url = server.superuser_url()
    wait_until_accepting(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "select 1 from pg_database where datname = %s", (LOCAL_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(LOCAL_DATABASE)))
    return server.superuser_url(LOCAL_DATABASE)


def resolve_url(args: argparse.Namespace) -> str:
    url = args.url or os.environ.get("ACADEMY_DATABASE_URL")
    return url or _local_database_url(LocalServer())


def _cmd_local(args: argparse.Namespace) -> int:
    server = LocalServer()
    if args.action == "start":
        status = server.start()
        wait_until_accepting(server.superuser_url())
        print(f"Local PostgreSQL running on 127.0.0.1:{status.port} (data: {status.data_dir})")
    elif args.action == "stop":
        server.stop()
        print("Local PostgreSQL stopped.")
    elif args.action == "status":
        status = server.status()
        state = f"running (pid {status.pid})" if status.running else "stopped"
        print(f"Local PostgreSQL {state}; port {status.port}; data {status.data_dir}")
        return 0 if status.running else 3
    elif args.action == "url":
        print(server.superuser_url(args.database))
    return 0


def _cmd_db(args: argparse.Namespace) -> int:
    url = resolve_url(args)
    if args.action == "upgrade":
        migrate.upgrade(url, args.revision or "head")
        print(f"Database at revision {migrate.current_revision(url)}.")
    elif args.action == "downgrade":
        migrate.downgrade(url, args.revision or "base")
        print(f"Database at revision {migrate.current_revision(url) or 'base (empty)'}.")
    elif args.action == "current":
        print(migrate.current_revision(url) or "not migrated")
    elif args.action == "maintain":
        with psycopg.connect(migrate.libpq_url(url), autocommit=True) as conn:
            created = conn.execute("select academy.maintain_partitions(3)").fetchone()
            conn.execute("select academy.refresh_reporting_views(true)")
        print(f"Partitions ensured ({created[0] if created else 0} created); views refreshed.")
    elif args.action == "seed":
        from academy_desktop.db.seed import seed_demo

        if not args.demo:
            print("Only demo data can be seeded: pass --demo.", file=sys.stderr)
            return 2
        seed_demo(url, scale=args.scale, seed=args.seed, only_if_empty=args.if_empty)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="academy-admin", description=__doc__)
    commands = parser.add_subparsers(dest="group", required=True)

    local = commands.add_parser("local", help="the embedded PostgreSQL server")
    local.add_argument("action", choices=["start", "stop", "status", "url"])
    local.add_argument("--database", default="postgres", help="database for `url`")
    local.set_defaults(handler=_cmd_local)

    db = commands.add_parser("db", help="schema and data")
    db.add_argument("action", choices=["upgrade", "downgrade", "current", "seed", "maintain"])
    db.add_argument("revision", nargs="?", help="target revision for upgrade/downgrade")
    db.add_argument("--url", help="superuser (or owner-member) URL; default: local server")
    db.add_argument("--demo", action="store_true", help="seed realistic demo data")
    db.add_argument("--scale", choices=["small", "large", "huge"], default="small")
    db.add_argument("--seed", type=int, default=2026, help="random seed (reproducible data)")
    db.add_argument("--if-empty", action="store_true", help="seed only an empty database")
    db.set_defaults(handler=_cmd_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (LocalServerError, psycopg.Error) as exc:
        print(f"academy-admin: {exc}".strip(), file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:  # Alembic wraps the driver's error
        print(f"academy-admin: {getattr(exc, 'orig', None) or exc}".strip(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
