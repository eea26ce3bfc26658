"""Database health for the super admin: connections, slow queries, locks, sizes, replicas.

Only catalog and statistics views are read, so no migration is needed. What a
non-superuser may see is limited: without ``pg_read_all_stats`` other sessions' query
text and timings are hidden. Statement statistics come through
``academy_monitor.top_statements()`` (made by the superuser's bootstrap, which also
creates ``pg_stat_statements``: EXECUTE for super admins only); where it is missing or
the module is not preloaded, slow queries are those running now (pg_stat_activity).
Each metric is read in its own savepoint; one that cannot be read comes back as None
and the screen says "not available" instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
T = TypeVar("T")

CONNECTIONS_WARN_RATIO = 0.8  # the spec: warn at 80% of max_connections
SLOW_QUERY_SECONDS = 1.0
REPLICATION_LAG_WARN_SECONDS = 30.0
TOP_RELATIONS = 12
TOP_STATEMENTS = 20


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SlowQuery:
    query: str
    seconds: float  # mean time (pg_stat_statements) or time running so far (activity)
    calls: int | None
    total_seconds: float | None = None  # pg_stat_statements only


@dataclass(frozen=True, slots=True)
class RelationSize:
    name: str
    table_bytes: int
    index_bytes: int
    rows_estimate: int


@dataclass(frozen=True, slots=True)
class Replica:
    name: str
    state: str
    lag_seconds: float | None


@dataclass(frozen=True, slots=True)
class HealthReport:
    server_version: str
    connections: int | None
    max_connections: int | None
    slow_source: str  # "pg_stat_statements" | "pg_stat_activity"
    sees_all_sessions: bool
    slow_queries: tuple[SlowQuery, ...] | None
    deadlocks: int | None
    lock_waits: int | None
    database_bytes: int | None
    relations: tuple[RelationSize, ...] | None
    replicas: tuple[Replica, ...] | None
    is_replica: bool
    #: the most expensive statements by total time (pg_stat_statements), else None
    top_statements: tuple[SlowQuery, ...] | None = None

    @property
    def connections_level(self) -> Level:
        if self.connections is None or not self.max_connections:
            return Level.UNKNOWN
        ratio = self.connections / self.max_connections
        return Level.WARN if ratio >= CONNECTIONS_WARN_RATIO else Level.OK

    @property
    def slow_level(self) -> Level:
        if self.slow_queries is None:
            return Level.UNKNOWN
        return Level.WARN if self.slow_queries else Level.OK

    @property
    def locks_level(self) -> Level:
        if self.deadlocks is None and self.lock_waits is None:
            return Level.UNKNOWN
        return Level.WARN if (self.deadlocks or 0) + (self.lock_waits or 0) else Level.OK

    @property
    def replication_level(self) -> Level:
        if self.replicas is None:
            return Level.UNKNOWN
        lags = [r.lag_seconds for r in self.replicas if r.lag_seconds is not None]
        return Level.WARN if any(lag > REPLICATION_LAG_WARN_SECONDS for lag in lags) \
            else Level.OK


async def _optional(session: AsyncSession, what: str,
                    read: Callable[[], Awaitable[T]]) -> T | None:
    try:
        async with session.begin_nested():
            return await read()
    except sa_exc.DBAPIError as error:
        log.info("health metric %s unavailable: %s", what,
                 str(error.orig).strip().splitlines()[0] if error.orig else error)
        return None


async def _scalar(session: AsyncSession, sql: str, **params: object) -> object:
    return (await session.execute(text(sql), params)).scalar_one()


async def fetch_health(session: AsyncSession) -> HealthReport:
    version = str(await _scalar(session, "show server_version"))
    sees_all = bool(await _scalar(
        session, "select pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')"))
    statements = await _optional(session, "pg_stat_statements",
                                 lambda: _statements(session, SLOW_QUERY_SECONDS * 1000))
    top = None if statements is None else await _optional(
        session, "top statements", lambda: _statements(session, 0.0, TOP_STATEMENTS))
    slow = statements
    if statements is None:
        slow = await _optional(session, "pg_stat_activity", lambda: _active_slow(session))
    return HealthReport(
        server_version=version,
        connections=await _optional(session, "connections", lambda: _int(
            session, "select count(*) from pg_stat_activity"
                     " where backend_type = 'client backend'")),
        max_connections=await _optional(session, "max_connections", lambda: _int(
            session, "select current_setting('max_connections')::int")),
        slow_source="pg_stat_statements" if statements is not None else "pg_stat_activity",
        sees_all_sessions=sees_all,
        slow_queries=slow,
        deadlocks=await _optional(session, "deadlocks", lambda: _int(
            session, "select deadlocks from pg_stat_database"
                     " where datname = current_database()")),
        lock_waits=await _optional(session, "lock waits", lambda: _int(
            session, "select count(*) from pg_locks where not granted")),
        database_bytes=await _optional(session, "database size", lambda: _int(
            session, "select pg_database_size(current_database())")),
        relations=await _optional(session, "relation sizes", lambda: _relations(session)),
        replicas=await _optional(session, "replication", lambda: _replicas(session)),
        is_replica=bool(await _scalar(session, "select pg_is_in_recovery()")),
        top_statements=top,
    )


async def _int(session: AsyncSession, sql: str) -> int:
    return int(await _scalar(session, sql))  # type: ignore[call-overload]


async def _statements(session: AsyncSession, min_mean_ms: float,
                      limit: int = 10) -> tuple[SlowQuery, ...] | None:
    """Through the bootstrap's SECURITY DEFINER function; None where it does not exist
    (a server bootstrapped by a non-superuser). Raises where the module is not loaded."""
    exists = (await session.execute(text(
        "select to_regprocedure('academy_monitor.top_statements(integer, double precision)')"
        " is not null"))).scalar_one()
    if not exists:
        return None
    rows = (await session.execute(text(
        "select query, mean_ms / 1000.0, calls, total_ms / 1000.0"
        "  from academy_monitor.top_statements(:n, :ms)"),
        {"n": limit, "ms": min_mean_ms})).all()
    return tuple(SlowQuery(_one_line(r[0]), float(r[1]), int(r[2]), float(r[3]))
                 for r in rows)


async def _active_slow(session: AsyncSession) -> tuple[SlowQuery, ...]:
    rows = (await session.execute(text(
        "select query, extract(epoch from clock_timestamp() - query_start)"
        "  from pg_stat_activity"
        " where state = 'active' and pid <> pg_backend_pid()"
        "   and query_start < clock_timestamp() - make_interval(secs => :s)"
        " order by query_start limit 10"), {"s": SLOW_QUERY_SECONDS})).all()
    return tuple(SlowQuery(_one_line(r[0] or ""), float(r[1]), None) for r in rows)


async def _relations(session: AsyncSession) -> tuple[RelationSize, ...]:
    rows = (await session.execute(text(
        "select c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid),"
        "       greatest(c.reltuples, 0)::bigint"
        "  from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'academy' and c.relkind in ('r', 'm')"
        " order by pg_total_relation_size(c.oid) desc limit :n"),
        {"n": TOP_RELATIONS})).all()
    return tuple(RelationSize(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows)


async def _replicas(session: AsyncSession) -> tuple[Replica, ...]:
    rows = (await session.execute(text(
        "select coalesce(application_name, client_addr::text, '?'), coalesce(state, '?'),"
        "       extract(epoch from replay_lag) from pg_stat_replication"))).all()
    return tuple(Replica(r[0], r[1], float(r[2]) if r[2] is not None else None)
                 for r in rows)


def _one_line(query: str) -> str:
    return " ".join(query.split())[:300]
