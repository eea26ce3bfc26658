"""Bulk loading: COPY rows streamed from generators, a terminal progress bar, and
deterministic ids.

COPY (not INSERT) is what makes the large/huge scales load in minutes. Bulk tables are
loaded with `session_replication_role = replica`, which skips their triggers (derived
columns, booked_count, audit) and foreign-key checks: the generator supplies every
derived value itself, and the tests check the joins on the small scale.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from `rng`, so ids are reproducible for a seed."""
    return uuid.UUID(bytes=rng.randbytes(16), version=4)


class Progress:
    """A one-line progress bar on stderr (silent when disabled)."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.label, self.total, self.enabled = label, max(total, 1), enabled
        self.done = 0
        self._last = 0.0
        self._start = time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last >= 0.2:
            self._last = now
            self._draw()

    def _draw(self, end: str = "") -> None:
        fraction = min(self.done / self.total, 1.0)
        filled = int(fraction * 30)
        elapsed = time.perf_counter() - self._start
        sys.stderr.write(f"\r{self.label:<22} [{'#' * filled}{'.' * (30 - filled)}] "
                         f"{fraction:6.1%} {self.done:>10,} rows {elapsed:6.1f}s{end}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            self._draw("\n")


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str],
              rows: Iterable[Sequence[Any]], *, bulk: bool = False,
              progress: Progress | None = None) -> int:
    """COPY `rows` into academy.`table`; `bulk` skips triggers and FK checks."""
    statement = sql.SQL("COPY academy.{} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
    count = 0
    with conn.cursor() as cur:
        if bulk:
            cur.execute("SET LOCAL session_replication_role = replica")
        with cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if progress is not None and not count % 1000:
                    progress.advance(1000)
        if bulk:
            cur.execute("SET LOCAL session_replication_role = origin")
    if progress is not None:
        progress.advance(count % 1000)
    return count


def shuffled(rows: list[Any], rng: random.Random) -> list[Any]:
    """Rows in random physical order (a table clustered by surname flatters searches)."""
    rng.shuffle(rows)
    return rows
