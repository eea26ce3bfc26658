"""Coroutine slots that can never crash the app or show a traceback.

``qasync.asyncSlot`` only hands exceptions to ``sys.excepthook``. ``async_slot`` runs the
coroutine as a task on the GUI (qasync) loop and routes its outcome: a
``UserFacingError`` goes to the nearest window's ``report_error`` (its banner); any other
exception is logged with its traceback and shown as a generic sentence. Cancellation is
silent - that is how latest-request-wins drops stale work.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from academy_desktop.domain.errors import UserFacingError

log = logging.getLogger(__name__)
T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()


class ErrorReporter(Protocol):
    def report_error(self, error: BaseException) -> None: ...


_fallback_reporter: ErrorReporter | None = None


def set_fallback_reporter(reporter: ErrorReporter | None) -> None:
    """Where errors go when the slot's owner is not inside a reporting window."""
    global _fallback_reporter
    _fallback_reporter = reporter


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    return frozenset(_running)


def async_slot(fn: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., asyncio.Task[Any]]:
    """Decorate ``async def`` methods used as Qt slots; see the module docstring.

    Extra signal arguments the coroutine does not accept (e.g. ``clicked(bool)``) are
    dropped, as Qt does for ordinary slots. Returns the task, which tests may await.
    """
    params = inspect.signature(fn).parameters.values()
    takes_varargs = any(p.kind is p.VAR_POSITIONAL for p in params)
    positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> asyncio.Task[Any]:
        if not takes_varargs:
            args = args[:positional]
        owner = args[0] if args else None
        return spawn(fn(*args, **kwargs), owner, fn.__qualname__)

    return wrapper


def spawn(coro: Coroutine[Any, Any, Any], owner: object = None,
          name: str = "task") -> asyncio.Task[Any]:
    """Start a background coroutine with the same error routing as ``async_slot``.

    The task is cancelled when ``owner`` (a QObject) is destroyed, so work never
    resumes into deleted widgets.
    """
    task = asyncio.ensure_future(coro)
    _running.add(task)
    if isinstance(owner, QObject):
        owner.destroyed.connect(task.cancel)
    task.add_done_callback(functools.partial(_finished, owner, name))
    return task


def _finished(owner: object, name: str, task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    if isinstance(owner, QObject) and not isValid(owner):
        owner = None  # its window is gone; report to the fallback, if any
    error = task.exception()
    if error is None:
        return
    if not isinstance(error, UserFacingError):
        log.error("unexpected error in %s", name, exc_info=error)
    else:
        log.info("%s failed: %r", name, error)
    report(owner, error)


def report(owner: object, error: BaseException) -> None:
    """Send ``error`` to the reporting window that contains ``owner`` (or the fallback)."""
    reporter = _reporter_for(owner)
    if reporter is None:
        log.warning("no window to report %r to", error)
        return
    try:
        reporter.report_error(error)
    except Exception:  # reporting must never raise into the event loop
        log.exception("error reporter failed")


def _reporter_for(owner: object) -> ErrorReporter | None:
    # presenters are not widgets: they point at theirs through a ``widget`` attribute
    current = owner if isinstance(owner, QWidget) else getattr(owner, "widget", None)
    while isinstance(current, QWidget) and isValid(current):
        if hasattr(current, "report_error"):
            return current  # type: ignore[return-value]
        current = current.parentWidget()
    if hasattr(owner, "report_error"):
        return owner  # type: ignore[return-value]
    if _fallback_reporter is not None:
        return _fallback_reporter
    active = QApplication.activeWindow()
    return active if hasattr(active, "report_error") else None  # type: ignore[return-value]


class LatestRequest:
    """Latest request wins: a new ``run`` cancels the one in flight.

    A superseded call raises ``asyncio.CancelledError`` in its awaiting coroutine, which
    ``async_slot`` treats as a quiet exit - stale answers are never shown.
    """

    def __init__(self) -> None:
        self.generation = 0
        self._task: asyncio.Future[Any] | None = None

    async def run(self, make: Callable[[], Awaitable[T]]) -> T:
        self.generation += 1
        mine = self.generation
        if self._task is not None and not self._task.done():
            self._task.cancel()
        task = asyncio.ensure_future(make())
        self._task = task
        try:
            result = await task
        finally:
            if self._task is task:
                self._task = None
        if mine != self.generation:  # finished just as a newer request started
            raise asyncio.CancelledError
        return result

    def cancel(self) -> None:
        self.generation += 1
        if self._task is not None:
            self._task.cancel()
