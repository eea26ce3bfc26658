"""Errors the user is meant to read.

Database and network failures are translated once (``db/errors.py``) into a
``UserFacingError`` carrying a stable ``code`` and a ``message_key``; the GUI turns
the key into a translated sentence (``ui/messages.py``). Anything that is *not* a
``UserFacingError`` is a bug: it is logged with its traceback and shown generically.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorKind(StrEnum):
    """Stable codes; screens and tests branch on these, never on message text."""

    BAD_CREDENTIALS = "bad_credentials"
    ACCOUNT_DISABLED = "account_disabled"
    SERVER_UNREACHABLE = "server_unreachable"
    DATABASE_MISSING = "database_missing"
    HOST_NOT_ALLOWED = "host_not_allowed"
    TLS_REQUIRED = "tls_required"
    TLS_UNAVAILABLE = "tls_unavailable"
    SCHEMA_MISSING = "schema_missing"
    SCHEMA_MISMATCH = "schema_mismatch"
    NOT_A_PERSON = "not_a_person"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT_STALE = "conflict_stale"
    RETRY = "retry"
    CONNECTION_LOST = "connection_lost"
    TIMEOUT = "timeout"
    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    PASSWORD_REJECTED = "password_rejected"
    SIGNED_OUT = "signed_out"
    SERVER_ERROR = "server_error"


#: Kinds where trying the same thing again later can succeed without user action.
TRANSIENT_KINDS = frozenset(
    {ErrorKind.RETRY, ErrorKind.CONNECTION_LOST, ErrorKind.SERVER_UNREACHABLE, ErrorKind.TIMEOUT}
)


class UserFacingError(Exception):
    """A failure with a plain-language explanation.

    ``message_key`` names a sentence template (see ``ui/messages.py``); ``details`` fill
    its ``{placeholders}`` (host, port, constraint, versions, ...). ``str()`` gives an
    English fallback for logs and for code without Qt.
    """

    def __init__(self, code: ErrorKind | str, message_key: str | None = None,
                 **details: Any) -> None:
        self.code = ErrorKind(code)
        self.message_key = message_key or self.code.value
        self.details: dict[str, Any] = details
        super().__init__(self._fallback_text())

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_KINDS

    def _fallback_text(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in sorted(self.details.items()))
        return f"{self.code.value}: {self.message_key}" + (f" ({shown})" if shown else "")

    def __repr__(self) -> str:
        return f"UserFacingError({self.code.value!r}, {self.message_key!r}, **{self.details!r})"
