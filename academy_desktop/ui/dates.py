"""Dates and times as people at a desk read them, in one place for every screen.

Explicit patterns through ``QLocale``: month and day names come in the user's language
(``QLocale()``, which the app sets from the translation it loads), while the order of
the parts stays unambiguous. The locale's ``ShortFormat`` is not used: it is
"29 11 2026" under the C locale (offscreen, tests, minimal containers) and "11/12/26"
reads differently on either side of the Atlantic. Times are 24-hour and in the
computer's time zone. The patterns themselves are translatable (context ``dates``):
Spanish writes "domingo, 29 de noviembre de 2026".
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QDateTime, QLocale, QTime

DAY_PATTERN = QT_TRANSLATE_NOOP("dates", "d MMM yyyy")  # 29 Nov 2026
LONG_DAY_PATTERN = QT_TRANSLATE_NOOP("dates", "dddd d MMMM yyyy")  # Thursday 26 November 2026
MOMENT_PATTERN = QT_TRANSLATE_NOOP("dates", "d MMM yyyy, HH:mm")  # 29 Nov 2026, 16:30
SESSION_PATTERN = QT_TRANSLATE_NOOP("dates", "ddd d MMM · HH:mm")  # Sun 29 Nov · 16:30
TIME_PATTERN = QT_TRANSLATE_NOOP("dates", "HH:mm")


def _pattern(source: str) -> str:
    return QCoreApplication.translate("dates", source)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _local(moment: datetime) -> QDateTime:
    local = moment.astimezone()  # naive values are taken as local time
    return QDateTime(_qdate(local.date()), QTime(local.hour, local.minute, local.second))


def format_day(day: date | None, locale: QLocale | None = None) -> str:
    """A calendar date ("29 Nov 2026"); empty for None."""
    if day is None:
        return ""
    return (locale or QLocale()).toString(_qdate(day), _pattern(DAY_PATTERN))


def format_long_day(day: date, locale: QLocale | None = None) -> str:
    """A heading's date ("Thursday 26 November 2026")."""
    return (locale or QLocale()).toString(_qdate(day), _pattern(LONG_DAY_PATTERN))


def format_moment(moment: datetime | None, locale: QLocale | None = None) -> str:
    """A point in time, e.g. a last sign-in ("29 Nov 2026, 16:30"); empty for None."""
    if moment is None:
        return ""
    return (locale or QLocale()).toString(_local(moment), _pattern(MOMENT_PATTERN))


def format_session(moment: datetime, locale: QLocale | None = None) -> str:
    """A session start within the coming weeks ("Sun 29 Nov · 16:30")."""
    return (locale or QLocale()).toString(_local(moment), _pattern(SESSION_PATTERN))


def format_time(moment: datetime, locale: QLocale | None = None) -> str:
    """A time of day ("16:30")."""
    return (locale or QLocale()).toString(_local(moment).time(), _pattern(TIME_PATTERN))
