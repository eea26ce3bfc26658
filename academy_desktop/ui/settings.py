"""Typed options over QSettings (organisation "Academy", application "Academy Desktop").

Screens ask for ``settings.last_workspace`` rather than spelling keys, so a typo is an
AttributeError and not a silently lost preference. Tests isolate QSettings by pointing
the INI path at a temporary folder (see ``tests/qt/conftest.py``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Academy"
APPLICATION = "Academy Desktop"
T = TypeVar("T")


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        # the default format, not QSettings(org, app)'s fixed NativeFormat: the same file
        # in the app, and the tests' setDefaultFormat(IniFormat) + setPath isolate it
        self._q = qsettings or QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope,
                                         ORGANIZATION, APPLICATION)

    def _get(self, key: str, default: T, kind: type[T]) -> T:
        value: Any = self._q.value(key, default)
        if value is None:
            return default
        try:
            if kind is bool and isinstance(value, str):
                return value.lower() in ("true", "1", "yes")  # type: ignore[return-value]
            return kind(value)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value: object) -> None:
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()

    # -- sign-in -------------------------------------------------------------------
    @property
    def last_profile(self) -> str:
        return self._get("signin/profile", "local", str)

    @last_profile.setter
    def last_profile(self, value: str) -> None:
        self._set("signin/profile", value)

    @property
    def last_username(self) -> str:
        return self._get("signin/username", "", str)

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._set("signin/username", value)

    @property
    def remember_me(self) -> bool:
        return self._get("signin/remember", False, bool)

    @remember_me.setter
    def remember_me(self, value: bool) -> None:
        self._set("signin/remember", bool(value))

    # -- main window ----------------------------------------------------------------
    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the window locks itself; 0 turns it off."""
        return max(0, self._get("security/idle_lock_minutes", 10, int))

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, value: int) -> None:
        self._set("security/idle_lock_minutes", int(value))

    def last_workspace(self, role: str) -> str:
        return self._get(f"window/{role}/last_workspace", "", str)

    def set_last_workspace(self, role: str, key: str) -> None:
        self._set(f"window/{role}/last_workspace", key)

    def last_location(self, role: str) -> str:
        return self._get(f"window/{role}/last_location", "", str)

    def set_last_location(self, role: str, location_id: str) -> None:
        self._set(f"window/{role}/last_location", location_id)

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_window_geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._set(f"splitters/{name}", value)

    def header_state(self, name: str) -> QByteArray | None:
        """Column widths and order of a table, by a stable view name."""
        return self._bytes(f"headers/{name}")

    def set_header_state(self, name: str, value: QByteArray) -> None:
        self._set(f"headers/{name}", value)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
