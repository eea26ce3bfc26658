"""Ping a pooled connection only when it has sat idle, not on every unit of work.

SQLAlchemy's ``pool_pre_ping`` costs one extra round trip per checkout. On localhost
that is ~0.1 ms, but the desk talks to the academy's central server over a LAN or VPN
(0.5-5 ms per round trip), where a search runs per keystroke and a check-in should be
one round trip. A connection used a moment ago is almost surely alive, and if it
is not, the failed statement is translated to "connection lost" and the app
reconnects (``db/errors.py``, the main window's backoff). A connection idle for longer
(the server may have restarted, a NAT may have dropped it) is pinged before use and
silently replaced when dead, like ``pool_pre_ping`` would.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_PING_SECONDS = 2.0
_LAST_USED = "academy_last_used"


def install_idle_ping(engine: AsyncEngine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Ping on checkout when the connection was last returned over `idle_seconds` ago."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _remember(dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is None or time.monotonic() - last < idle_seconds:
            return  # fresh from connect, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # dead: drop the whole pool, the pool reconnects
            raise exc.InvalidatePoolError() from error
