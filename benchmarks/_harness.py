"""Shared helpers for benchmarks: timing, percentiles and the one-line JSON report.

Every benchmark prints exactly one JSON object:
``{"benchmark": NAME, "scale": ..., "results": {METRIC: {"p50_ms": .., "p95_ms": .., ...}}}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any


def parse_args(name: str, extra: Callable[[argparse.ArgumentParser], None] | None = None
               ) -> argparse.Namespace:
    import psycopg

    if psycopg.pq.__impl__ == "python":  # the app runs the C driver: time that one
        raise SystemExit(
            "psycopg fell back to its pure-Python driver (is a stdlib module shadowed by a"
            " file next to the script?): run benchmarks as `python3 dev.py bench NAME`."
        )
    parser = argparse.ArgumentParser(prog=f"dev.py bench {name}")
    parser.add_argument("--scale", choices=["small", "large", "huge"], default="small")
    parser.add_argument("--url", help="superuser URL of a seeded server (default: local)")
    parser.add_argument("--repeat", type=int, default=200)
    if extra:
        extra(parser)
    return parser.parse_args()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95),
            "mean_ms": round(statistics.fmean(ordered), 3), "n": len(ordered)}


def time_calls(call: Callable[[], Any], repeat: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, scale: str, results: dict[str, dict[str, Any]]) -> None:
    json.dump({"benchmark": name, "scale": scale, "results": results}, sys.stdout)
    sys.stdout.write("\n")


class SessionRunner:
    """One AsyncSession per call on a private loop, like the app's DbRunner, for timing
    the app's own query functions from plain synchronous benchmark code.

    ``on_connect`` runs once on every new connection (e.g. pg_temp clones of functions).
    """

    def __init__(self, url: str, on_connect: str | None = None, pool_size: int = 2) -> None:
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import create_async_engine

        self.loop = asyncio.new_event_loop()
        self.engine = create_async_engine(
            url.replace("postgresql://", "postgresql+psycopg://", 1), pool_size=pool_size)
        if on_connect:
            @event.listens_for(self.engine.sync_engine, "connect")
            def _prepare(dbapi_conn: Any, _record: Any) -> None:
                cursor = dbapi_conn.cursor()
                cursor.execute(on_connect)
                cursor.close()
                dbapi_conn.commit()

    def call(self, work: Callable[[Any], Awaitable[Any]]) -> Any:
        from sqlalchemy.ext.asyncio import AsyncSession

        async def go() -> Any:
            async with AsyncSession(self.engine) as session, session.begin():
                return await work(session)
        return self.loop.run_until_complete(go())

    def close(self) -> None:
        self.loop.run_until_complete(self.engine.dispose())
        self.loop.close()
