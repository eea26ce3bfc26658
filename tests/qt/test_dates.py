"""Shared date formatting: explicit patterns, names in the user's language, never the
C locale's "29 11 2026"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale

from academy_desktop.ui import dates

C = QLocale.c()
SPANISH = QLocale(QLocale.Language.Spanish, QLocale.Country.Spain)
DAY = dt.date(2026, 11, 29)


def test_c_locale_reads_like_a_person_wrote_it(qapp) -> None:
    assert dates.format_day(DAY, C) == "29 Nov 2026"
    assert dates.format_long_day(DAY, C) == "Sunday 29 November 2026"
    assert dates.format_day(None, C) == ""


def test_names_follow_the_locale(qapp) -> None:
    assert dates.format_day(DAY, SPANISH) == "29 nov 2026"
    assert dates.format_long_day(DAY, SPANISH) == "domingo 29 noviembre 2026"


def test_moments_are_shown_in_local_time(qapp) -> None:
    moment = dt.datetime(2026, 11, 29, 16, 30, tzinfo=dt.UTC).astimezone()
    local = moment.astimezone()
    expected_time = f"{local.hour:02d}:{local.minute:02d}"
    assert dates.format_time(moment, C) == expected_time
    assert dates.format_moment(moment, C) == f"{local.day} Nov 2026, {expected_time}"
    assert dates.format_session(moment, C).endswith(f"· {expected_time}")
    assert dates.format_moment(None, C) == ""
