"""Recurrence, DST and end-of-month edges, and the side-by-side layout, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from academy_desktop.domain.schedule import (
    PatternSpec,
    drop_closed,
    expand,
    lay_out_day,
    localize,
    week_bounds,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def _spec(**kw: object) -> PatternSpec:
    base: dict[str, object] = dict(
        weekdays=(1, 3),
        start_time=time(17, 0),
        duration_minutes=45,
        start_date=date(2026, 10, 12),
        end_date=date(2026, 11, 4),
        timezone="Europe/London",
    )
    base.update(kw)
    return PatternSpec(**base)  # type: ignore[arg-type]


def test_weekly_rule_keeps_wall_clock_across_autumn_change() -> None:
    spec = _spec()
    occ = expand(spec.rrule_text(), spec.dtstart(), spec.duration_minutes)
    assert [o.local_date.isoformat() for o in occ] == [
        "2026-10-12",
        "2026-10-14",
        "2026-10-19",
        "2026-10-21",
        "2026-10-26",
        "2026-10-28",
        "2026-11-02",
        "2026-11-04",
    ]
    assert {o.starts_at.timetz().replace(tzinfo=None) for o in occ} == {time(17, 0)}
    utc_hours = [o.starts_at.astimezone(UTC).hour for o in occ]
    assert utc_hours[:4] == [16] * 4 and utc_hours[4:] == [17] * 4  # BST ended 25 Oct
    assert all(o.ends_at - o.starts_at == timedelta(minutes=45) for o in occ)


def test_skipped_spring_time_moves_forward_and_ambiguous_takes_first() -> None:
    skipped = localize(datetime(2026, 3, 29, 1, 30), LONDON)
    assert skipped.hour == 2 and skipped.minute == 30
    assert skipped.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    ambiguous = localize(datetime(2026, 11, 1, 1, 30), NEW_YORK)
    assert ambiguous.utcoffset() == timedelta(hours=-4)


def test_daily_rule_through_spring_gap() -> None:
    start = datetime(2026, 3, 7, 2, 30, tzinfo=NEW_YORK)
    occ = expand("FREQ=DAILY;COUNT=3", start, 30)
    assert [o.starts_at.strftime("%m-%d %H:%M") for o in occ] == [
        "03-07 02:30",
        "03-08 03:30",
        "03-09 02:30",
    ]
    # each occurrence is a real instant, 30 minutes long
    assert all(
        (o.ends_at.astimezone(UTC) - o.starts_at.astimezone(UTC)) == timedelta(minutes=30)
        for o in occ
    )


def test_end_of_month_and_until_in_utc() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=LONDON)
    occ = expand("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", start, 60)
    assert [o.local_date for o in occ] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    occ31 = expand("FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20260630T225959Z", start, 60)
    assert [o.local_date.month for o in occ31] == [1, 3, 5]
    # the end date is inclusive in local time even when UTC is already the next day
    spec = _spec(
        weekdays=(3,),
        start_time=time(23, 30),
        start_date=date(2026, 6, 24),
        end_date=date(2026, 7, 1),
        timezone="Pacific/Auckland",
    )
    assert [o.local_date for o in expand(spec.rrule_text(), spec.dtstart(), 30)] == [
        date(2026, 6, 24),
        date(2026, 7, 1),
    ]


def test_exdates_and_closures() -> None:
    spec = _spec(exdates=(date(2026, 10, 14),))
    occ = expand(spec.rrule_text(), spec.dtstart(), 45, exdates=spec.exdates)
    assert date(2026, 10, 14) not in [o.local_date for o in occ]
    kept = drop_closed(occ, [date(2026, 10, 19)])
    assert len(kept) == len(occ) - 1 and date(2026, 10, 19) not in [o.local_date for o in kept]


def test_week_bounds_over_dst() -> None:
    start, end = week_bounds(date(2026, 10, 28), LONDON)
    assert start.date() == date(2026, 10, 26) and end.date() == date(2026, 11, 2)
    start, end = week_bounds(date(2026, 10, 25), LONDON)
    assert (end.astimezone(UTC) - start.astimezone(UTC)) == timedelta(hours=169)


def test_overlapping_sessions_side_by_side() -> None:
    def at(h: int, m: int = 0) -> datetime:
        return datetime(2026, 5, 4, h, m, tzinfo=LONDON)

    spans = [(at(9), at(10)), (at(9, 30), at(10, 30)), (at(10), at(11)), (at(12), at(13))]
    assert lay_out_day(spans) == [(0, 2), (1, 2), (0, 2), (0, 1)]
    assert lay_out_day([]) == []
