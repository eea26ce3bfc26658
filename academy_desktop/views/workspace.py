"""How workspaces plug into the main window.

A screen registers a ``WorkspaceSpec`` (key, title, icon, which kinds of person see it,
and a factory). The main window lists only registered workspaces the signed-in person
may use, so a screen that is not built yet is simply absent - never a dead button.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from academy_desktop.db.runner import DbRunner
from academy_desktop.domain.identity import Identity, PersonKind


class WorkspaceContext(QObject):
    """What a workspace gets: the runner, who is signed in and the chosen location.

    ``location_id`` is None for "all my locations".
    """

    location_changed = Signal(object)

    def __init__(self, runner: DbRunner, identity: Identity,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.identity = identity
        self.location_id: UUID | None = None

    def set_location(self, location_id: UUID | None) -> None:
        if location_id != self.location_id:
            self.location_id = location_id
            self.location_changed.emit(location_id)

    @property
    def location_ids(self) -> tuple[UUID, ...]:
        """The locations in view: the chosen one, or all of the person's."""
        if self.location_id is not None:
            return (self.location_id,)
        return self.identity.location_ids


class Workspace(QWidget):
    """Base for every workspace page.

    Subclasses implement ``reload()`` (a coroutine; the main window calls it on first
    show, F5 and after a reconnect) and may expose a ``search_field`` for Ctrl+F.
    ``clear()`` must drop every row of personal data (called on lock/switch user).
    """

    load_finished = Signal()

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.loaded_once = False

    @property
    def search_field(self) -> QLineEdit | None:
        return None

    async def reload(self) -> None:
        self.loaded_once = True
        self.load_finished.emit()

    def clear(self) -> None:
        """Forget shown data; default does nothing for workspaces without any."""


WorkspaceFactory = Callable[[WorkspaceContext], Workspace]


@dataclass(frozen=True)
class WorkspaceSpec:
    key: str
    title: str  # source text, translated in the "workspaces" context when shown
    icon: str
    kinds: frozenset[PersonKind]
    factory: WorkspaceFactory = field(compare=False)
    order: int = 100
    shortcut: str = ""  # e.g. "Ctrl+1"; the main window numbers entries when empty

    def display_title(self) -> str:
        return QCoreApplication.translate("workspaces", self.title)


#: The navigation each kind of person is meant to get once the screens exist
#: (keys); used to order entries and as the checklist for later issues.
PLANNED: dict[PersonKind, tuple[str, ...]] = {
    PersonKind.FRONT_DESK: ("home", "checkin", "students", "families", "payments", "calendar"),
    PersonKind.PROGRAM_ADMIN: ("home", "curriculum", "calendar", "students"),
    PersonKind.INSTRUCTOR: ("home", "my_week", "rosters"),
    PersonKind.SUPER_ADMIN: ("home", "checkin", "students", "families", "payments",
                             "calendar", "curriculum", "my_week", "rosters", "staff",
                             "health"),
    PersonKind.PARENT: ("home",),
}


#: Navigation titles marked for ``pyside6-lupdate`` (context ``workspaces``): screens pass
#: their title to ``WorkspaceSpec`` as a plain string, which lupdate cannot see. A screen
#: may instead write ``title=QT_TRANSLATE_NOOP("workspaces", "...")`` in its own spec;
#: tests/qt/test_i18n.py fails when a registered title has no Spanish translation.
NAV_TITLES = (
    QT_TRANSLATE_NOOP("workspaces", "Today"),
    QT_TRANSLATE_NOOP("workspaces", "Check-in"),
    QT_TRANSLATE_NOOP("workspaces", "Students"),
    QT_TRANSLATE_NOOP("workspaces", "Families"),
    QT_TRANSLATE_NOOP("workspaces", "Payments"),
    QT_TRANSLATE_NOOP("workspaces", "Calendar"),
    QT_TRANSLATE_NOOP("workspaces", "Curriculum"),
    QT_TRANSLATE_NOOP("workspaces", "My week"),
    QT_TRANSLATE_NOOP("workspaces", "Rosters"),
    QT_TRANSLATE_NOOP("workspaces", "Staff & access"),
    QT_TRANSLATE_NOOP("workspaces", "Database health"),
)


class WorkspaceRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, WorkspaceSpec] = {}

    def register(self, spec: WorkspaceSpec) -> WorkspaceSpec:
        if spec.key in self._specs:
            raise ValueError(f"workspace {spec.key!r} registered twice")
        self._specs[spec.key] = spec
        return spec

    def unregister(self, key: str) -> None:
        self._specs.pop(key, None)

    def for_kind(self, kind: PersonKind) -> list[WorkspaceSpec]:
        planned = PLANNED.get(kind, ())
        visible = [s for s in self._specs.values() if kind in s.kinds]

        def rank(spec: WorkspaceSpec) -> tuple[int, int, str]:
            index = planned.index(spec.key) if spec.key in planned else len(planned)
            return (index, spec.order, spec.key)

        return sorted(visible, key=rank)

    def __contains__(self, key: object) -> bool:
        return key in self._specs

    def keys(self) -> Iterable[str]:
        return self._specs.keys()


ALL_KINDS = frozenset(PersonKind)

#: The application's registry; screens call ``registry.register(...)`` from
#: ``academy_desktop.views.catalog``.
registry = WorkspaceRegistry()
