"""Plain sentences for the curriculum editor's refusals (codes from 0009's functions)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from academy_desktop.domain.errors import UserFacingError

_TEXTS = {
    "curriculum_cycle": "An item cannot be moved into itself or into its own subtree.",
    "curriculum_wrong_kind": "That cannot go there: a lesson goes in a section, a section in a "
    "module, a module in a level, a level in a curriculum.",
    "curriculum_stale": "Someone else changed this in the meantime. The tree has been reloaded; "
    "please check and try again.",
    "curriculum_name_empty": "A name is required.",
    "curriculum_name_too_long": "A name can have at most 200 characters.",
    "curriculum_name_duplicate": "Another item here already has that name.",
    "curriculum_missing": "That item no longer exists. The tree has been reloaded.",
    "curriculum_parent_missing": "The place you chose does not exist or is not in your programs.",
    "curriculum_not_yours": "You can only change the curriculum of programs you manage.",
    "curriculum_in_use": "This item is already in use (enrolments, sessions or ratings), so it "
    "cannot be removed. Archive it instead.",
    "curriculum_not_movable": "That cannot be moved there.",
    "curriculum_bad_field": "That field cannot be changed here.",
    "curriculum_import_invalid": "The file is not a curriculum export: {detail}",
}


def curriculum_message(error: UserFacingError) -> str | None:
    """The sentence for ``error`` if it is one of ours, else None."""
    text = _TEXTS.get(error.message_key)
    if text is None:
        if error.code.value == "permission_denied":
            return QCoreApplication.translate("curriculum", _TEXTS["curriculum_not_yours"])
        return None
    text = QCoreApplication.translate("curriculum", text)
    try:
        return text.format(**error.details)
    except (KeyError, IndexError, ValueError):
        return text
