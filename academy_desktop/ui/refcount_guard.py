"""Keep ``None``, ``True`` and ``False`` alive through PySide6 6.12's reference leaks.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on void QtGui calls and to
``True`` on ``emit()`` (found by the calendar screen, see views/calendar/week_view.py);
after a long session the count reaches zero and the interpreter aborts
("none_dealloc"/"bool_dealloc") or segfaults. Python 3.12 makes these objects immortal;
here we give them a reference count no session can spend. Called once at start-up
(app and Qt tests), before any window exists.
"""

from __future__ import annotations

import ctypes
import sys

_PINNED = 1 << 40
_done = False


def pin_singletons() -> None:
    global _done
    if _done or sys.version_info >= (3, 12):  # immortal there
        return
    _done = True
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _PINNED
