"""Registers the workspaces that exist. New screens add one line here."""

from __future__ import annotations

from academy_desktop.views.home.view import HOME
from academy_desktop.views.workspace import WorkspaceRegistry, registry


def register_all(target: WorkspaceRegistry = registry) -> WorkspaceRegistry:
    for spec in (HOME,):
        if spec.key not in target:
            target.register(spec)
    return target
