"""Plain, translatable sentences for ``UserFacingError`` codes.

Kept in one table so translators see every message together and screens never
compose error text themselves.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from academy_desktop.domain.errors import UserFacingError

_CONTEXT = "errors"

# (message_key -> source text). Keys without an entry fall back to the code's entry.
_TEXTS: dict[str, str] = {
    "bad_credentials": "The username or password is not correct.",
    "account_disabled": "This account is disabled or temporarily locked after too many "
                        "attempts. Try again later or ask an administrator.",
    "account_invalid": "The account was not created: {detail}",
    "account_exists": "An account or database role named \"{role}\" already exists.",
    "reset_refused": "That reset code is not valid for this username. Codes work once and "
                     "expire after 30 minutes; ask an administrator for a new one.",
    "reset_unavailable": "Reset codes are not set up for this server. Please ask an "
                         "administrator to reset your password.",
    "server_unreachable": "Cannot reach the server at {host}:{port}. Check the network "
                          "connection and that the server is running.",
    "database_missing": "The server at {host}:{port} has no database named \"{database}\".",
    "host_not_allowed": "The server does not accept connections from this computer.",
    "tls_required": "The server requires an encrypted (TLS) connection. Set the profile's "
                    "TLS mode to \"require\".",
    "tls_unavailable": "The server does not support encrypted (TLS) connections, but this "
                       "profile requires them.",
    "schema_missing": "The server's database is not set up for this version of Academy "
                      "Desktop (needs schema version {expected}). Ask an administrator to "
                      "run the database upgrade.",
    "schema_outdated": "The server's database lacks something this screen needs: it is "
                       "older than this version of Academy Desktop expects. Ask an "
                       "administrator to run the database upgrade.",
    "whoami_missing": "The server's database is too old for this version of Academy "
                      "Desktop (needs schema version {expected}).",
    "change_password_missing": "The server does not support changing passwords from the "
                               "app yet (needs schema version {expected}).",
    "schema_mismatch": "The server's database is at version {found}, but this version of "
                       "Academy Desktop needs {expected}. Ask an administrator to upgrade "
                       "the server or the app.",
    "not_a_person": "This login is not linked to a person in the academy.",
    "permission_denied": "You do not have permission to do that.",
    "conflict_stale": "Someone else changed this in the meantime. It has been reloaded; "
                      "please check and try again.",
    "retry": "The server was busy. Please try again.",
    "connection_lost": "The connection to the server was lost. Reconnecting…",
    "timeout": "The server took too long to answer.",
    "invalid_input": "That value is not accepted.",
    "bad_value": "One of the values is not valid.",
    "not_found": "That record no longer exists.",
    "password_rejected": "The new password was not accepted: {detail}",
    "signed_out": "You are signed out.",
    "server_error": "The server reported a problem. Details are in the log file.",
    "server_refused": "The server refused: {detail}",
    "server_resources": "The server is out of resources. Please try again later.",
    "unexpected": "Something went wrong. The details were written to the log file.",
}


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def user_message(error: UserFacingError) -> str:
    key = error.message_key
    if key.startswith("constraint_"):
        key = "invalid_input"
    source = _TEXTS.get(key) or _TEXTS.get(error.code.value) or _TEXTS["server_error"]
    return _format(tr(source), error.details)


def unexpected_message() -> str:
    return tr(_TEXTS["unexpected"])


def _format(template: str, details: dict[str, Any]) -> str:
    """Fill ``{name}`` fields; when a detail is missing, keep the whole sentences
    before the first field rather than a sentence cut off in the middle."""
    try:
        return template.format(**details)
    except (KeyError, IndexError, ValueError):
        head = template.split("{", 1)[0]
        end = head.rfind(". ")
        if end >= 0:
            return head[:end + 1]
        if "(" in head:  # "... Desktop (needs schema version {expected})"
            head = head[:head.rfind("(")]
        head = head.rstrip(" :\"")
        return f"{head}." if head else template
