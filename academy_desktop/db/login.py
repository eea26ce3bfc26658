"""Sign in as the person's own PostgreSQL role and ask the server who that is.

The order matters: connect (credentials and TLS are checked by PostgreSQL itself),
check the schema revision (a client must not talk to a schema it does not understand),
then ``academy.whoami()`` - the only source of role, locations and programs.

A refused attempt is reported through the low-privilege ``academy_gatekeeper`` login
(``academy.record_failed_login``: counting and lockout live on the server); the same
login redeems reset codes. Its password ships with the deployment, not with a person:
``ACADEMY_GATEKEEPER_PASSWORD`` in the environment (the local demo server's is published).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.db import accounts
from academy_desktop.db.profiles import Profile
from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.identity import Identity, Location

log = logging.getLogger(__name__)

RunnerFactory = Callable[[URL], DbRunner]
GATEKEEPER_ROLE = "academy_gatekeeper"
GATEKEEPER_PASSWORD_ENV = "ACADEMY_GATEKEEPER_PASSWORD"
_REPORTED = (ErrorKind.BAD_CREDENTIALS, ErrorKind.ACCOUNT_DISABLED)


def _expected() -> str:
    """The schema revision this client speaks (``db.migrate`` imports Alembic: lazily)."""
    from academy_desktop.db import migrate

    return migrate.EXPECTED_REVISION


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
    expected = expected_revision or _expected()
    try:
        return await _attempt(profile, username, password, expected, runner_factory)
    except UserFacingError as error:
        if error.code not in _REPORTED or not await report_failed_login(profile, username):
            raise
    # the server lifted an expired lock just now: one more try is the person's due
    return await _attempt(profile, username, password, expected, runner_factory)


async def _attempt(profile: Profile, username: str, password: str, expected: str,
                   runner_factory: RunnerFactory) -> tuple[DbRunner, Identity]:
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
                              expected=_expected())
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


async def program_names(session: AsyncSession, program_ids: tuple[Any, ...]) -> list[str]:
    """Names of the person's programs, for the header (RLS lets them read these rows)."""
    if not program_ids:
        return []
    rows = (await session.execute(
        text("select name from academy.programs where id = any(:ids) order by name"),
        {"ids": list(program_ids)})).scalars().all()
    return [str(name) for name in rows]


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
                              expected=_expected())
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    pgconn = raw.driver_connection.pgconn  # type: ignore[union-attr]
    user = (await session.execute(text("select session_user"))).scalar_one()
    verifier = pgconn.encrypt_password(new_password.encode(), str(user).encode(),
                                       b"scram-sha-256").decode()
    await session.execute(text("select academy.set_my_password(:v)"), {"v": verifier})


def use_new_password(runner: DbRunner, password: str) -> None:
    """After a password change: new pool connections authenticate with ``password``.

    Connections already in the pool stay valid (they are authenticated); the lock screen
    compares against ``runner.url.password``, so that is updated too.
    """
    runner.url = runner.url.set(password=password)

    @event.listens_for(runner.engine.sync_engine, "do_connect")
    def _new_password(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["password"] = password


# -- the gatekeeper (failed sign-ins, reset codes) --------------------------------------

def gatekeeper_password(profile: Profile | None = None) -> str | None:
    """The environment's gatekeeper password; the `local` demo server has a published one."""
    configured = os.environ.get(GATEKEEPER_PASSWORD_ENV)
    if configured:
        return configured
    if profile is not None and profile.is_local:
        from academy_desktop.db.demo_accounts import DEMO_GATEKEEPER_PASSWORD

        return DEMO_GATEKEEPER_PASSWORD
    return None


def _gatekeeper_connect(profile: Profile, password: str) -> psycopg.Connection[Any]:
    return psycopg.connect(host=profile.host, port=profile.port, dbname=profile.database,
                           sslmode=profile.sslmode, user=GATEKEEPER_ROLE, password=password,
                           connect_timeout=5, autocommit=True,
                           application_name="academy-desktop-gatekeeper")


def _record_failed_login(profile: Profile, username: str, password: str) -> bool:
    with _gatekeeper_connect(profile, password) as conn:
        return accounts.record_failed_login(conn, username)


async def report_failed_login(profile: Profile, username: str) -> bool:
    """Tell the server about a refused sign-in; True when it lifted an expired lock.

    Best effort: without a gatekeeper password or connection the attempt is only logged
    here (the person still gets the sign-in error, never this one).
    """
    secret = gatekeeper_password(profile)
    if secret is None:
        log.warning("failed sign-in of %s not reported: no gatekeeper password (%s)",
                    username, GATEKEEPER_PASSWORD_ENV)
        return False
    try:
        return await asyncio.to_thread(_record_failed_login, profile, username, secret)
    except psycopg.Error as error:
        log.warning("failed sign-in of %s not reported: %s", username,
                    str(error).strip().splitlines()[0] if str(error).strip() else error)
        return False


def _redeem(profile: Profile, secret: str, username: str, code: str, new_password: str) -> bool:
    with _gatekeeper_connect(profile, secret) as conn:
        return accounts.reset_password_with_code(conn, username, code, new_password)


async def redeem_reset_code(profile: Profile, username: str, code: str,
                            new_password: str) -> None:
    """Set a new password with a one-time code from an administrator.

    Raises ``UserFacingError``: ``reset_unavailable`` (no gatekeeper configured),
    ``reset_refused`` (wrong/expired/used code or unknown account - one answer for all),
    ``password_rejected`` (policy) or a connection error.
    """
    from academy_desktop.db.errors import translate_error
    from academy_desktop.domain.password_policy import PasswordPolicyError

    secret = gatekeeper_password(profile)
    if secret is None:
        raise UserFacingError(ErrorKind.PERMISSION_DENIED, "reset_unavailable")
    try:
        ok = await asyncio.to_thread(_redeem, profile, secret, username, code, new_password)
    except PasswordPolicyError as error:
        raise UserFacingError(ErrorKind.PASSWORD_REJECTED, detail=str(error)) from error
    except psycopg.Error as error:
        translated = translate_error(error, host=profile.host, port=profile.port)
        if translated is None:
            raise
        raise translated from error
    if not ok:
        raise UserFacingError(ErrorKind.BAD_CREDENTIALS, "reset_refused")


def describe_identity(identity: Identity) -> dict[str, Any]:
    """Loggable summary (no personal contact data)."""
    return {"person_id": str(identity.person_id), "kind": identity.kind.value,
            "locations": len(identity.location_ids), "programs": len(identity.program_ids)}
