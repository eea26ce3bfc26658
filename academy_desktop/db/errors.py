"""Translate database and network exceptions into domain errors, in one place.

psycopg/SQLAlchemy exceptions are mapped by SQLSTATE where the server sent one. Errors
raised while *connecting* carry no SQLSTATE in psycopg 3 (libpq reports them as text),
so those few are recognised by libpq's stable message phrases. Returns ``None`` for
anything that is not a database/network problem: that is a bug and must surface as one.
"""

from __future__ import annotations

import re
import socket
from typing import Any

import psycopg
from sqlalchemy import exc as sa_exc

from academy_desktop.domain.errors import ErrorKind, UserFacingError

# P0001 raised by our own functions: `RAISE EXCEPTION USING MESSAGE = 'academy:<code>...'`
# or `HINT = 'academy:<code>'`; the code must be one of ErrorKind.
_OUR_CODE = re.compile(r"academy:([a-z_]+)")

_CONNECT_PHRASES: tuple[tuple[str, ErrorKind], ...] = (
    ("password authentication failed", ErrorKind.BAD_CREDENTIALS),
    ("no password supplied", ErrorKind.BAD_CREDENTIALS),
    ("is not permitted to log in", ErrorKind.ACCOUNT_DISABLED),
    ("server does not support ssl", ErrorKind.TLS_UNAVAILABLE),
    ("no encryption", ErrorKind.TLS_REQUIRED),  # hostssl-only pg_hba.conf
    ("no pg_hba.conf entry", ErrorKind.HOST_NOT_ALLOWED),
    ("does not exist", ErrorKind.DATABASE_MISSING),
    ("connection refused", ErrorKind.SERVER_UNREACHABLE),
    ("timeout expired", ErrorKind.SERVER_UNREACHABLE),
    ("could not translate host name", ErrorKind.SERVER_UNREACHABLE),
    ("failed to resolve host", ErrorKind.SERVER_UNREACHABLE),
    ("no route to host", ErrorKind.SERVER_UNREACHABLE),
    ("network is unreachable", ErrorKind.SERVER_UNREACHABLE),
    ("the database system is starting up", ErrorKind.SERVER_UNREACHABLE),
    ("the database system is shutting down", ErrorKind.SERVER_UNREACHABLE),
    ("too many connections", ErrorKind.SERVER_UNREACHABLE),
    ("server closed the connection unexpectedly", ErrorKind.CONNECTION_LOST),
    ("consuming input failed", ErrorKind.CONNECTION_LOST),
    ("the connection is closed", ErrorKind.CONNECTION_LOST),
    ("the connection is lost", ErrorKind.CONNECTION_LOST),
    ("ssl syscall error", ErrorKind.CONNECTION_LOST),
    ("received invalid response to ssl negotiation", ErrorKind.SERVER_UNREACHABLE),
)

_EXACT_STATES: dict[str, ErrorKind] = {
    "28P01": ErrorKind.BAD_CREDENTIALS,
    "28000": ErrorKind.ACCOUNT_DISABLED,
    "42501": ErrorKind.PERMISSION_DENIED,
    "40001": ErrorKind.RETRY,
    "40P01": ErrorKind.RETRY,
    "55P03": ErrorKind.RETRY,  # lock_not_available (NOWAIT / lock_timeout)
    "57014": ErrorKind.TIMEOUT,  # statement timeout / cancelled
    "57P01": ErrorKind.CONNECTION_LOST,  # admin_shutdown / pg_terminate_backend
    "57P02": ErrorKind.CONNECTION_LOST,
    "57P03": ErrorKind.SERVER_UNREACHABLE,  # cannot connect now (starting up)
    "53300": ErrorKind.SERVER_UNREACHABLE,  # too many connections
    "3D000": ErrorKind.DATABASE_MISSING,
    "42P01": ErrorKind.SCHEMA_MISSING,  # undefined table: server not migrated this far
    "42883": ErrorKind.SCHEMA_MISSING,  # undefined function
    "02000": ErrorKind.NOT_FOUND,
    "P0002": ErrorKind.NOT_FOUND,
}


def translate_error(exc: BaseException, *, host: str | None = None,
                    port: int | None = None) -> UserFacingError | None:
    """Map ``exc`` to a ``UserFacingError``; ``None`` means "not ours, it's a bug"."""
    if isinstance(exc, UserFacingError):
        return exc
    where = {"host": host or "localhost", "port": port or 5432}
    orig = _unwrap(exc)
    if isinstance(orig, psycopg.Error):
        return _from_psycopg(orig, where)
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return UserFacingError(ErrorKind.CONNECTION_LOST, **where)
    if isinstance(orig, TimeoutError):
        return UserFacingError(ErrorKind.SERVER_UNREACHABLE, **where)
    if isinstance(orig, (ConnectionRefusedError, socket.gaierror)):
        return UserFacingError(ErrorKind.SERVER_UNREACHABLE, **where)
    if isinstance(orig, ConnectionError):
        return UserFacingError(ErrorKind.CONNECTION_LOST, **where)
    return None


def _unwrap(exc: BaseException) -> BaseException:
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        return exc.orig
    return exc


def _from_psycopg(err: psycopg.Error, where: dict[str, Any]) -> UserFacingError:
    state = err.sqlstate or ""
    diag = err.diag
    if state == "P0001":
        return _from_our_function(err)
    if state in _EXACT_STATES:
        kind = _EXACT_STATES[state]
        details = where if kind in _NEEDS_WHERE else {}
        # a missing table/function met while working: the revision check at sign-in
        # passed, so name no version (the sentence for sign-in needs one)
        key = "schema_outdated" if kind is ErrorKind.SCHEMA_MISSING else None
        return UserFacingError(kind, key, sqlstate=state, **details)
    if state.startswith("08"):
        return UserFacingError(ErrorKind.CONNECTION_LOST, sqlstate=state, **where)
    if state.startswith("23"):
        return UserFacingError(ErrorKind.INVALID_INPUT, f"constraint_{state}",
                               sqlstate=state, constraint=diag.constraint_name or "",
                               column=diag.column_name or "", table=diag.table_name or "")
    if state.startswith("22"):
        return UserFacingError(ErrorKind.INVALID_INPUT, "bad_value", sqlstate=state,
                               column=diag.column_name or "")
    if state.startswith("53"):
        return UserFacingError(ErrorKind.SERVER_ERROR, "server_resources", sqlstate=state)
    if not state and isinstance(err, psycopg.OperationalError):
        return _from_connect_text(str(err), where)
    if not state and isinstance(err, psycopg.InterfaceError):
        return UserFacingError(ErrorKind.CONNECTION_LOST, **where)
    return UserFacingError(ErrorKind.SERVER_ERROR, sqlstate=state or "?")


_NEEDS_WHERE = frozenset({ErrorKind.SERVER_UNREACHABLE, ErrorKind.CONNECTION_LOST,
                          ErrorKind.DATABASE_MISSING})


def _from_connect_text(text: str, where: dict[str, Any]) -> UserFacingError:
    lowered = text.lower()
    if re.search(r'role "[^"]*" does not exist', text):
        # only on trust/peer setups; never say which of name or password was wrong
        return UserFacingError(ErrorKind.BAD_CREDENTIALS, **where)
    for phrase, kind in _CONNECT_PHRASES:
        if phrase in lowered:
            details: dict[str, Any] = dict(where)
            if kind is ErrorKind.DATABASE_MISSING:
                match = re.search(r'database "([^"]+)" does not exist', text)
                details["database"] = match.group(1) if match else ""
            return UserFacingError(kind, **details)
    return UserFacingError(ErrorKind.SERVER_UNREACHABLE, **where)


def _from_our_function(err: psycopg.Error) -> UserFacingError:
    diag = err.diag
    for source in (diag.message_primary or "", diag.message_hint or ""):
        match = _OUR_CODE.search(source)
        if match and match.group(1) in ErrorKind._value2member_map_:
            detail = diag.message_detail or ""
            return UserFacingError(match.group(1), match.group(1), detail=detail)
    return UserFacingError(ErrorKind.SERVER_ERROR, "server_refused",
                           detail=diag.message_primary or "")
