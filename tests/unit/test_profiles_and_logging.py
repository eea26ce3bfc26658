"""Profiles file round trip, keyring account format, password scrubbing in logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from academy_desktop.db.profiles import Profile, ProfileStore
from academy_desktop.domain.identity import Identity, PersonKind
from academy_desktop.ui.logging_setup import scrub


def test_profiles_round_trip_and_local_always_first(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    assert [p.name for p in store.load()] == ["local"]
    store.upsert(Profile("hq", "db.example.org", 6432, "academy", "verify-full"))
    loaded = store.load()
    assert [p.name for p in loaded] == ["local", "hq"]
    assert loaded[1].port == 6432 and loaded[1].sslmode == "verify-full"
    assert "password" not in (tmp_path / "profiles.json").read_text()
    with pytest.raises(ValueError):
        store.upsert(Profile("local"))


def test_corrupt_profiles_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "profiles.json"
    path.write_text("{not json")
    assert [p.name for p in ProfileStore(path).load()] == ["local"]


def test_keyring_account_format() -> None:
    assert Profile("hq", "db", 5432, "academy").keyring_account("jo") == "jo@db:5432/academy"


def test_scrub_masks_passwords() -> None:
    text = "url postgresql+psycopg://jo:s3cr%40t@db:5432/x and password=hunter2 host=db"
    cleaned = scrub(text)
    assert "s3cr" not in cleaned and "hunter2" not in cleaned
    assert "jo:***@db" in cleaned


def test_identity_from_whoami_row() -> None:
    row = {"person_id": "6f1c0a52-8a0c-4d1e-9b3a-2f1e9c7b5a10", "role_name": "desk_a",
           "display_name": None, "kind": "front_desk", "must_change_password": True,
           "location_ids": [], "program_ids": None}
    identity = Identity.from_row(row)
    assert identity.kind is PersonKind.FRONT_DESK and identity.display_name == "desk_a"
    assert identity.must_change_password and identity.location_ids == ()
    with pytest.raises(ValueError):
        Identity.from_row({**row, "kind": "janitor"})
