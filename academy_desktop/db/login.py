"""Sign in as the person's own PostgreSQL role and ask the server who that is.

The order matters: connect (credentials and TLS are checked by PostgreSQL itself),
check the schema revision (a client must not talk to a schema it does not understand),
then ``academy.whoami()`` - the only source of role, locations and programs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db import migrate
from academy_desktop.db.profiles import Profile
from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import Identity, Location

log = logging.getLogger(__name__)

RunnerFactory = Callable[[URL], DbRunner]


def login_url(profile: Profile, username: str, password: str) -> URL:
    return URL.create(
        "postgresql+psycopg", username=username, password=password, host=profile.host,
        port=profile.port, database=profile.database, query={"sslmode": profile.sslmode},
    )


async def sign_in(profile: Profile, username: str, password: str, *,
                  expected_revision: str | None = None,
                  runner_factory: RunnerFactory = DbRunner) -> tuple[DbRunner, Identity]:
    """Connect as ``username`` and return a ready runner plus the server's identity.

    Raises ``UserFacingError`` (bad_credentials, account_disabled, server_unreachable,
    tls_required, schema_missing, schema_mismatch, not_a_person, ...). On failure the
    runner is disposed, so no connection outlives a failed attempt.
    """
    if not username or not password:
        raise UserFacingError(ErrorKind.BAD_CREDENTIALS)
    expected = expected_revision or migrate.EXPECTED_REVISION
    runner = runner_factory(login_url(profile, username, password))
    log.info("signing in %s to %s", username, runner.safe_url)
    try:
        identity = await runner.run(lambda s: _identify(s, expected))
    except BaseException:
        await runner.aclose()
        raise
    log.info("signed in %s as %s (%s)", username, identity.kind.value, identity.person_id)
    return runner, identity


async def _identify(session: AsyncSession, expected: str) -> Identity:
    await check_revision(session, expected)
    identity = await whoami(session)
    if await _function_exists(session, "academy.record_login()"):
        await session.execute(text("select academy.record_login()"))
    return identity


async def check_revision(session: AsyncSession, expected: str) -> None:
    present = (await session.execute(
        text("select to_regclass('academy.alembic_version') is not null"))).scalar_one()
    if not present:
        raise UserFacingError(ErrorKind.SCHEMA_MISSING, expected=expected)
    found = (await session.execute(
        text("select version_num from academy.alembic_version"))).scalar()
    if found is None:
        raise UserFacingError(ErrorKind.SCHEMA_MISSING, expected=expected)
    if found != expected:
        raise UserFacingError(ErrorKind.SCHEMA_MISMATCH, expected=expected, found=found)


async def whoami(session: AsyncSession) -> Identity:
    if not await _function_exists(session, "academy.whoami()"):
        raise UserFacingError(ErrorKind.SCHEMA_MISSING, "whoami_missing",
                              expected=migrate.EXPECTED_REVISION)
    row = (await session.execute(text("select * from academy.whoami()"))).mappings().first()
    if row is None or row["person_id"] is None:
        # a login role that is not linked to a person (e.g. a DBA account)
        raise UserFacingError(ErrorKind.NOT_A_PERSON)
    identity = Identity.from_row(row)
    return identity.with_locations(await location_names(session, identity))


async def location_names(session: AsyncSession, identity: Identity) -> list[Location]:
    """Names for the person's locations (their RLS scope lets them read these rows)."""
    if not identity.location_ids or not await _relation_exists(session, "academy.locations"):
        return [Location(i, str(i)[:8]) for i in identity.location_ids]
    rows = (await session.execute(
        text("select id, name from academy.locations"
             " where id = any(:ids) order by name"),
        {"ids": list(identity.location_ids)})).all()
    named = {r[0]: str(r[1]) for r in rows}
    return [Location(i, named.get(i, str(i)[:8])) for i in identity.location_ids]


async def _function_exists(session: AsyncSession, signature: str) -> bool:
    result = await session.execute(text("select to_regprocedure(:sig) is not null"),
                                   {"sig": signature})
    return bool(result.scalar_one())


async def _relation_exists(session: AsyncSession, name: str) -> bool:
    result = await session.execute(text("select to_regclass(:n) is not null"), {"n": name})
    return bool(result.scalar_one())


async def change_password(session: AsyncSession, new_password: str) -> None:
    """Set the caller's own password via ``academy.set_my_password(verifier)``.

    The old password was already proven by connecting with it. Only a SCRAM verifier,
    computed here by libpq, is sent: the plain password never reaches server logs.
    The function also clears ``must_change_password``.
    """
    if not await _function_exists(session, "academy.set_my_password(text)"):
        raise UserFacingError(ErrorKind.SCHEMA_MISSING, "change_password_missing",
                              expected=migrate.EXPECTED_REVISION)
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    pgconn = raw.driver_connection.pgconn  # type: ignore[union-attr]
    user = (await session.execute(text("select session_user"))).scalar_one()
    verifier = pgconn.encrypt_password(new_password.encode(), str(user).encode(),
                                       b"scram-sha-256").decode()
    await session.execute(text("select academy.set_my_password(:v)"), {"v": verifier})


async def reset_code_supported(session: AsyncSession) -> bool:
    return await _function_exists(session, "academy.redeem_reset_code(text,text,text)")


def describe_identity(identity: Identity) -> dict[str, Any]:
    """Loggable summary (no personal contact data)."""
    return {"person_id": str(identity.person_id), "kind": identity.kind.value,
            "locations": len(identity.location_ids), "programs": len(identity.program_ids)}
