"""The calendar's queries in one namespace (``q.week_sessions``, ``q.create_pattern``…):
the screens import this module; the work lives in files split by responsibility —
``calendar_week`` (reads), ``calendar_patterns`` (preview and generation),
``calendar_edits`` (changing and cancelling sessions, substitutes, soft conflicts) and
``calendar_pattern_edits`` (rewriting a pattern: edit all / this and following)."""

from __future__ import annotations

from academy_desktop.db.queries.calendar_edits import (
    CancelPreview,
    assign_substitute,
    cancel_preview,
    cancel_sessions,
    edit_sessions,
    open_conflicts,
    resolve_conflict,
    scope_ids,
)
from academy_desktop.db.queries.calendar_pattern_edits import (
    PatternChange,
    PatternEditResult,
    edit_pattern,
    pattern_change_of,
)
from academy_desktop.db.queries.calendar_patterns import (
    check_occurrences,
    create_pattern,
    generate_batch,
    pattern_sessions,
)
from academy_desktop.db.queries.calendar_week import (
    _WEEK_SQL,
    availability,
    closures,
    filter_choices,
    instructor_timetable,
    location_name,
    location_timezone,
    my_instructor_id,
    session_details,
    visible_locations,
    week_sessions,
)

__all__ = [
    "_WEEK_SQL",
    "CancelPreview",
    "PatternChange",
    "PatternEditResult",
    "assign_substitute",
    "availability",
    "cancel_preview",
    "cancel_sessions",
    "check_occurrences",
    "closures",
    "create_pattern",
    "edit_pattern",
    "edit_sessions",
    "filter_choices",
    "generate_batch",
    "instructor_timetable",
    "location_name",
    "location_timezone",
    "my_instructor_id",
    "open_conflicts",
    "pattern_change_of",
    "pattern_sessions",
    "resolve_conflict",
    "scope_ids",
    "session_details",
    "visible_locations",
    "week_sessions",
]
