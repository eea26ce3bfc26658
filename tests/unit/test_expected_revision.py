"""The client's expected schema revision must be the newest migration it ships."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from academy_desktop.db import migrate


def test_expected_revision_is_the_single_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("postgresql://x@localhost/x"))
    assert script.get_heads() == [migrate.EXPECTED_REVISION]
