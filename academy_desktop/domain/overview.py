"""The numbers on the Home/Today page: small, cheap counts scoped by RLS."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StatKey(StrEnum):
    SESSIONS_TODAY = "sessions_today"
    STUDENTS = "students"
    FAMILIES = "families"
    PROGRAMS = "programs"
    LOCATIONS = "locations"


@dataclass(frozen=True, slots=True)
class Stat:
    key: StatKey
    #: None when this server cannot answer yet (table not migrated) - shown as "—"
    value: int | None
