"""Who is signed in, as told by the database (``academy.whoami()``).

The client never decides a person's role on its own say-so: this is built only from
the row the server returns for ``session_user``, and screens shape themselves from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any
from uuid import UUID


class PersonKind(StrEnum):
    SUPER_ADMIN = "super_admin"
    PROGRAM_ADMIN = "program_admin"
    FRONT_DESK = "front_desk"
    INSTRUCTOR = "instructor"
    PARENT = "parent"


@dataclass(frozen=True, slots=True)
class Location:
    """A location the person may work at (id and display name)."""

    location_id: UUID
    name: str


@dataclass(frozen=True, slots=True)
class Identity:
    person_id: UUID
    role_name: str
    display_name: str
    kind: PersonKind
    must_change_password: bool = False
    location_ids: tuple[UUID, ...] = ()
    program_ids: tuple[UUID, ...] = ()
    locations: tuple[Location, ...] = field(default=(), compare=False)

    @classmethod
    def from_row(cls, row: Any) -> Identity:
        """Build from a ``whoami()`` row mapping; unknown kinds fail loudly."""
        return cls(
            person_id=_uuid(row["person_id"]),
            role_name=str(row["role_name"]),
            display_name=str(row["display_name"] or row["role_name"]),
            kind=PersonKind(row["kind"]),
            must_change_password=bool(row["must_change_password"]),
            location_ids=_uuids(row["location_ids"]),
            program_ids=_uuids(row["program_ids"]),
        )

    def with_locations(self, locations: Iterable[Location]) -> Identity:
        return replace(self, locations=tuple(locations))

    @property
    def sees_all_locations(self) -> bool:
        return self.kind is PersonKind.SUPER_ADMIN

    def location_name(self, location_id: UUID) -> str:
        for loc in self.locations:
            if loc.location_id == location_id:
                return loc.name
        return str(location_id)[:8]


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _uuids(values: Iterable[Any] | None) -> tuple[UUID, ...]:
    return tuple(_uuid(v) for v in values or ())
