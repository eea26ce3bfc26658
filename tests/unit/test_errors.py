"""Connection failures (no SQLSTATE in psycopg 3) map to distinct domain errors."""

from __future__ import annotations

import psycopg
import pytest

from academy_desktop.db.errors import translate_error
from academy_desktop.domain.errors import ErrorKind, UserFacingError

PREFIX = 'connection failed: connection to server at "10.0.0.5", port 5433 failed: '


@pytest.mark.parametrize(("text", "kind"), [
    ('FATAL:  password authentication failed for user "alice"', ErrorKind.BAD_CREDENTIALS),
    ('FATAL:  role "nobody" does not exist', ErrorKind.BAD_CREDENTIALS),
    ('FATAL:  role "bob" is not permitted to log in', ErrorKind.ACCOUNT_DISABLED),
    ("Connection refused\n\tIs the server running on that host?", ErrorKind.SERVER_UNREACHABLE),
    ("timeout expired", ErrorKind.SERVER_UNREACHABLE),
    ('FATAL:  database "nodb" does not exist', ErrorKind.DATABASE_MISSING),
    ("server does not support SSL, but SSL was required", ErrorKind.TLS_UNAVAILABLE),
    ('FATAL:  no pg_hba.conf entry for host "1.2.3.4", user "a", database "d", no encryption',
     ErrorKind.TLS_REQUIRED),
    ("FATAL:  the database system is starting up", ErrorKind.SERVER_UNREACHABLE),
])
def test_connect_failures(text: str, kind: ErrorKind) -> None:
    error = translate_error(psycopg.OperationalError(PREFIX + text), host="10.0.0.5", port=5433)
    assert error is not None and error.code is kind
    if kind is ErrorKind.SERVER_UNREACHABLE:
        assert (error.details["host"], error.details["port"]) == ("10.0.0.5", 5433)


def test_bad_credentials_do_not_reveal_the_username() -> None:
    error = translate_error(psycopg.OperationalError(
        PREFIX + 'FATAL:  password authentication failed for user "alice"'))
    assert error is not None and "alice" not in str(error)


def test_non_database_errors_are_not_translated() -> None:
    assert translate_error(ZeroDivisionError()) is None
    assert translate_error(KeyError("x")) is None


def test_user_facing_error_details_and_transience() -> None:
    error = UserFacingError("schema_mismatch", expected="0005", found="0001")
    assert error.code is ErrorKind.SCHEMA_MISMATCH and error.details["found"] == "0001"
    assert not error.transient and UserFacingError("connection_lost").transient
    with pytest.raises(ValueError):
        UserFacingError("no_such_kind")
