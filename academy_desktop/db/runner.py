"""The one object that crosses threads: database work on a private event loop.

psycopg 3's async mode needs a selector event loop, while qasync (the GUI loop) is a
proactor loop on Windows; SQLAlchemy also wants one engine per loop. So the engine
lives on a daemon thread running its own ``SelectorEventLoop`` and GUI coroutines
``await runner.run(work)`` to hop there and back. Nothing else touches threads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from academy_desktop.db.errors import translate_error
from academy_desktop.db.idle_ping import IDLE_PING_SECONDS, install_idle_ping
from academy_desktop.domain.errors import ErrorKind, UserFacingError

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[T]]
ActivityListener = Callable[[int], None]


class DbRunner:
    """Owns an ``AsyncEngine`` on its own loop thread; see module docstring.

    ``run()`` must be awaited from the caller's (GUI) loop. Activity listeners are
    called on the caller's thread with the number of calls in flight, which is what
    the busy indicator watches.
    """

    def __init__(self, url: URL | str, *, pool_size: int = 3, max_overflow: int = 2,
                 connect_timeout: int = 5, engine_kwargs: dict[str, Any] | None = None,
                 idle_ping_seconds: float = IDLE_PING_SECONDS) -> None:
        self.url = make_url(url) if isinstance(url, str) else url
        self._idle_ping_seconds = idle_ping_seconds
        self._loop = asyncio.SelectorEventLoop()
        self._thread = threading.Thread(target=self._serve, name="academy-db", daemon=True)
        self._closed = False
        self._in_flight = 0
        self._listeners: list[ActivityListener] = []
        self._thread.start()
        kwargs: dict[str, Any] = {
            "pool_size": pool_size, "max_overflow": max_overflow,
            "pool_recycle": 1800,
            "connect_args": {"connect_timeout": connect_timeout,
                             "application_name": "academy-desktop"},
        }
        kwargs.update(engine_kwargs or {})
        self.engine: AsyncEngine = self._call_sync(self._make_engine(kwargs))

    # -- thread plumbing -------------------------------------------------------------
    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()
        self._loop.close()

    async def _make_engine(self, kwargs: dict[str, Any]) -> AsyncEngine:
        engine = create_async_engine(self.url, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            install_idle_ping(engine, self._idle_ping_seconds)
        return engine

    def _call_sync(self, coro: Awaitable[T], timeout: float | None = 30) -> T:
        fut: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]
        return fut.result(timeout)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def safe_url(self) -> str:
        """The DSN without the password: the only form that may be logged or shown."""
        return self.url.render_as_string(hide_password=True)

    # -- activity --------------------------------------------------------------------
    def add_activity_listener(self, listener: ActivityListener) -> None:
        self._listeners.append(listener)

    def remove_activity_listener(self, listener: ActivityListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, delta: int) -> None:
        self._in_flight += delta
        for listener in list(self._listeners):
            try:
                listener(self._in_flight)
            except Exception:  # a broken indicator must not break database work
                log.exception("activity listener failed")

    # -- public API ------------------------------------------------------------------
    async def run(self, work: Work[T]) -> T:
        """Run ``work(session)`` in a fresh ``AsyncSession`` on the db thread.

        The session is committed if ``work`` returns and rolled back if it raises.
        Database/network errors arrive as ``UserFacingError``. Cancelling the awaiting
        task cancels the database-side task too (psycopg then cancels the query).
        """
        if self._closed:
            raise UserFacingError(ErrorKind.SIGNED_OUT)
        fut = asyncio.run_coroutine_threadsafe(self._in_session(work), self._loop)
        self._notify(+1)
        try:
            return await asyncio.wrap_future(fut)
        finally:
            self._notify(-1)

    async def _in_session(self, work: Work[T]) -> T:
        try:
            async with (AsyncSession(self.engine, expire_on_commit=False) as session,
                        session.begin()):
                return await work(session)
        except UserFacingError:
            raise
        except Exception as exc:
            translated = translate_error(exc, host=self.url.host, port=self.url.port)
            if translated is None:
                raise
            log.info("database call failed: %s (%s)", translated.code.value,
                     _first_line(exc))
            raise translated from exc

    async def aclose(self) -> None:
        """Dispose the engine (closing pooled connections) and stop the thread."""
        if self._closed:
            return
        self._closed = True
        fut = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        try:
            await asyncio.wrap_future(fut)
        except Exception:
            log.warning("engine dispose did not finish cleanly", exc_info=True)
        self._stop_thread()

    def dispose(self) -> None:
        """Blocking variant of :meth:`aclose` for shutdown paths outside a loop."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call_sync(self._shutdown(), timeout=10)
        except Exception:
            log.warning("engine dispose did not finish cleanly", exc_info=True)
        self._stop_thread()

    async def _shutdown(self) -> None:
        """On the db loop: cancel unfinished work, then close every pooled connection."""
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await self.engine.dispose()

    def _stop_thread(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        if threading.current_thread() is not self._thread:
            self._thread.join(5)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
