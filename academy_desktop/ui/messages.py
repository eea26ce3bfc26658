"""Plain, translatable sentences for ``UserFacingError`` codes.

Kept in one table so translators see every message together and screens never
compose error text themselves. ``QT_TRANSLATE_NOOP`` marks each sentence for
``pyside6-lupdate`` (context ``errors``); ``tr()`` translates it when shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from academy_desktop.domain.errors import UserFacingError

_CONTEXT = "errors"

# (message_key -> source text). Keys without an entry fall back to the code's entry.
_TEXTS: dict[str, str] = {
    "bad_credentials": QT_TRANSLATE_NOOP("errors", "The username or password is not correct."),
    "account_disabled": QT_TRANSLATE_NOOP(
        "errors", "This account is disabled or temporarily locked after too many "
        "attempts. Try again later or ask an administrator."),
    "account_invalid": QT_TRANSLATE_NOOP("errors", "The account was not created: {detail}"),
    "account_exists": QT_TRANSLATE_NOOP(
        "errors", "An account or database role named \"{role}\" already exists."),
    "reset_refused": QT_TRANSLATE_NOOP(
        "errors", "That reset code is not valid for this username. Codes work once and "
        "expire after 30 minutes; ask an administrator for a new one."),
    "reset_unavailable": QT_TRANSLATE_NOOP(
        "errors", "Reset codes are not set up for this server. Please ask an "
        "administrator to reset your password."),
    "server_unreachable": QT_TRANSLATE_NOOP(
        "errors", "Cannot reach the server at {host}:{port}. Check the network "
        "connection and that the server is running."),
    "database_missing": QT_TRANSLATE_NOOP(
        "errors", "The server at {host}:{port} has no database named \"{database}\"."),
    "host_not_allowed": QT_TRANSLATE_NOOP(
        "errors", "The server does not accept connections from this computer."),
    "tls_required": QT_TRANSLATE_NOOP(
        "errors", "The server requires an encrypted (TLS) connection. Set the profile's "
        "TLS mode to \"require\"."),
    "tls_unavailable": QT_TRANSLATE_NOOP(
        "errors", "The server does not support encrypted (TLS) connections, but this "
        "profile requires them."),
    "schema_missing": QT_TRANSLATE_NOOP(
        "errors", "The server's database is not set up for this version of Academy "
        "Desktop (needs schema version {expected}). Ask an administrator to "
        "run the database upgrade."),
    "schema_outdated": QT_TRANSLATE_NOOP(
        "errors", "The server's database lacks something this screen needs: it is "
        "older than this version of Academy Desktop expects. Ask an "
        "administrator to run the database upgrade."),
    "whoami_missing": QT_TRANSLATE_NOOP(
        "errors", "The server's database is too old for this version of Academy "
        "Desktop (needs schema version {expected})."),
    "change_password_missing": QT_TRANSLATE_NOOP(
        "errors", "The server does not support changing passwords from the "
        "app yet (needs schema version {expected})."),
    "schema_mismatch": QT_TRANSLATE_NOOP(
        "errors", "The server's database is at version {found}, but this version of "
        "Academy Desktop needs {expected}. Ask an administrator to upgrade "
        "the server or the app."),
    "not_a_person": QT_TRANSLATE_NOOP(
        "errors", "This login is not linked to a person in the academy."),
    "permission_denied": QT_TRANSLATE_NOOP("errors", "You do not have permission to do that."),
    "conflict_stale": QT_TRANSLATE_NOOP(
        "errors", "Someone else changed this in the meantime. It has been reloaded; "
        "please check and try again."),
    "retry": QT_TRANSLATE_NOOP("errors", "The server was busy. Please try again."),
    "connection_lost": QT_TRANSLATE_NOOP(
        "errors", "The connection to the server was lost. Reconnecting…",
        ),
    "timeout": QT_TRANSLATE_NOOP("errors", "The server took too long to answer."),
    "invalid_input": QT_TRANSLATE_NOOP("errors", "That value is not accepted."),
    "bad_value": QT_TRANSLATE_NOOP("errors", "One of the values is not valid."),
    "not_found": QT_TRANSLATE_NOOP("errors", "That record no longer exists."),
    "password_rejected": QT_TRANSLATE_NOOP("errors", "The new password was not accepted: {detail}"),
    "signed_out": QT_TRANSLATE_NOOP("errors", "You are signed out."),
    "server_error": QT_TRANSLATE_NOOP(
        "errors", "The server reported a problem. Details are in the log file."),
    "server_refused": QT_TRANSLATE_NOOP("errors", "The server refused: {detail}"),
    "server_resources": QT_TRANSLATE_NOOP(
        "errors", "The server is out of resources. Please try again later."),
    "unexpected": QT_TRANSLATE_NOOP(
        "errors", "Something went wrong. The details were written to the log file."),
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
