"""Fixtures for the curriculum editor's screen tests: the workspace signed in as a real
login role over TCP against a migrated database with a seeded tree."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from academy_desktop.db.login import whoami
from academy_desktop.db.runner import DbRunner
from academy_desktop.views.curriculum.view import CurriculumWorkspace
from academy_desktop.views.workspace import WorkspaceContext
from tests.db.curriculum_fixtures import Tree, ensure_curriculum_functions, seed_tree


class Screen:
    def __init__(
        self, workspace: CurriculumWorkspace, runner: DbRunner, qtbot: Any, wait: Callable[..., Any]
    ) -> None:
        self.workspace = workspace
        self.runner = runner
        self.qtbot = qtbot
        self.wait = wait

    def settle(self) -> None:
        """Wait until every queued save and load has finished."""
        self.wait(self.workspace.editor.wait_idle())
        self.qtbot.wait(1)
        self.wait(self.workspace.editor.wait_idle())


@pytest.fixture
def curriculum_world(migrated_db_url: str) -> tuple[str, Tree, Tree]:
    ensure_curriculum_functions(migrated_db_url)
    return (
        migrated_db_url,
        seed_tree(migrated_db_url),
        seed_tree(migrated_db_url, "GYM", "Gymnastics"),
    )


@pytest.fixture
def open_screen(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, wait_task: Any
) -> Iterator[Callable[[str], Screen]]:
    runners: list[DbRunner] = []

    def open_as(url: str) -> Screen:
        runner = DbRunner(url)
        runners.append(runner)
        identity = wait_task(runner.run(whoami))
        workspace = CurriculumWorkspace(WorkspaceContext(runner, identity))
        qtbot.addWidget(workspace)
        workspace.resize(1200, 760)
        workspace.show()
        wait_task(workspace.reload())
        return Screen(workspace, runner, qtbot, wait_task)

    yield open_as
    for runner in runners:
        runner.dispose()
