"""One committed AsyncSession over TCP as a URL's role, like the app's DbRunner: the
query functions under test run exactly as the app runs them, as a real login."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

T = TypeVar("T")


def run_as(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = create_async_engine(make_url(url).set(drivername="postgresql+psycopg"))
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())
