"""Connection profiles (where to connect) and remembered passwords (keyring only).

Profiles hold host, port, database and TLS mode - never a password - as JSON in the
user's config dir (``ACADEMY_CONFIG_DIR`` overrides it, which tests use). The built-in
``local`` profile means the embedded demo server; its address is asked of
``LocalServer`` at sign-in because the port is chosen when the server starts.
Passwords go to the OS keyring (service ``academy-desktop``, account
``user@host:port/db``) only when the person ticks "remember me". keyring calls may
block on D-Bus: GUI code calls these through ``asyncio.to_thread``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import keyring
import keyring.errors
import platformdirs

log = logging.getLogger(__name__)

KEYRING_SERVICE = "academy-desktop"
LOCAL_PROFILE_NAME = "local"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    host: str = "localhost"
    port: int = 5432
    database: str = "academy"
    sslmode: str = "prefer"

    @property
    def is_local(self) -> bool:
        return self.name == LOCAL_PROFILE_NAME

    def keyring_account(self, username: str) -> str:
        return f"{username}@{self.host}:{self.port}/{self.database}"

    def describe(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"


def local_profile() -> Profile:
    """The embedded demo server's profile, resolved to its current address."""
    from academy_desktop.db.local_server import LocalServer  # heavy: only when used

    info = LocalServer().connection_info()
    return Profile(LOCAL_PROFILE_NAME, info.host, info.port, info.database, "disable")


def config_dir() -> Path:
    override = os.environ.get("ACADEMY_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("Academy Desktop", "Academy"))


class ProfileStore:
    """Reads and writes ``profiles.json``; the ``local`` profile is always listed first."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "profiles.json"

    def load(self) -> list[Profile]:
        saved: list[Profile] = []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            for item in raw.get("profiles", []):
                profile = Profile(**{k: item[k] for k in item if k in Profile.__annotations__})
                if not profile.is_local:
                    saved.append(replace(profile, port=int(profile.port)))
        except FileNotFoundError:
            pass
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("ignoring unreadable profiles file %s", self.path, exc_info=True)
        return [Profile(LOCAL_PROFILE_NAME), *saved]

    def save(self, profiles: list[Profile]) -> None:
        wanted = [asdict(p) for p in profiles if not p.is_local]
        if len({p["name"] for p in wanted}) != len(wanted):
            raise ValueError("profile names must be unique")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"profiles": wanted}, indent=2), encoding="utf-8")
        tmp.replace(self.path)

    def upsert(self, profile: Profile) -> None:
        if profile.is_local:
            raise ValueError("the local profile is built in")
        others = [p for p in self.load() if p.name != profile.name]
        self.save([*others, profile])

    def get(self, name: str) -> Profile | None:
        return next((p for p in self.load() if p.name == name), None)


def resolve(profile: Profile) -> Profile:
    """Fill in the local server's live address; other profiles are returned as is."""
    return local_profile() if profile.is_local else profile


def remember_password(profile: Profile, username: str, password: str) -> None:
    keyring.set_password(KEYRING_SERVICE, profile.keyring_account(username), password)


def forget_password(profile: Profile, username: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):  # nothing remembered
        keyring.delete_password(KEYRING_SERVICE, profile.keyring_account(username))


def recall_password(profile: Profile, username: str) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, profile.keyring_account(username))
    except keyring.errors.KeyringError:
        log.warning("keyring unavailable; not recalling passwords", exc_info=True)
        return None
