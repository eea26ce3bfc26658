"""A crowded day in the week view becomes one summary block per starting hour (a busy
location's afternoon had 35 classes side by side: unreadable slivers); a quiet day keeps
its own blocks. Hovering lists the classes, clicking offers them and opens the chosen
one. No database: the model is filled with frozen sessions."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint

from academy_desktop.domain.schedule import WeekSession
from academy_desktop.models.week import WeekModel
from academy_desktop.views.calendar.week_view import WeekView

TZ = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)


def _session(day: int, hour: int, minute: int, n: int, booked: int = 3) -> WeekSession:
    start = datetime(2026, 11, 23 + day, hour, minute, tzinfo=TZ)
    return WeekSession(
        id=uuid.uuid4(), title=f"Class {n}", location_id=uuid.uuid4(),
        program_id=uuid.UUID(int=n % 2), program_name=["Swim", "Judo"][n % 2],
        program_color=["#1565c0", "#c62828"][n % 2], level_name=None,
        instructor_id=uuid.uuid4(), instructor_name=f"Coach {n}", starts_at=start,
        ends_at=start + timedelta(minutes=60), capacity=8, booked=booked, waiting=0,
        status="scheduled",
    )


def test_crowded_day_is_summarised_by_hour(qtbot: Any) -> None:
    crowded = [_session(0, 16, 0, n, booked=8 if n == 0 else 3) for n in range(10)]
    crowded += [_session(0, 17, 30, 10 + n) for n in range(4)]
    quiet = [_session(2, 16, 0, 20), _session(2, 16, 30, 21)]
    model = WeekModel()
    model.set_week(MONDAY, TZ, crowded + quiet)
    view = WeekView(model)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    groups, of_row = view.crowd()
    assert [len(g.rows) for g in groups] == [10, 4]  # Monday 16:xx and 17:xx
    quiet_rows = [model.row_of(s.id) for s in quiet]
    assert all(r not in of_row for r in quiet_rows)
    assert view.block_rect(quiet_rows[0]) != view.block_rect(quiet_rows[1])  # side by side
    first = groups[0]
    assert len({view.block_rect(r).getRect() for r in first.rows}) == 1  # one block
    assert view.block_rect(first.rows[0]).width() > view._day_width() - 10  # full width
    assert not view.grab().isNull()

    from academy_desktop.views.calendar.week_groups import group_tooltip, summary_lines

    lines = summary_lines(model, first)
    assert lines[0] == "10 classes · 16:00" and "16:00–17:00" in group_tooltip(model, first)
    assert lines[1] == "35/80 booked · 1 full"
    assert "Class 0" in group_tooltip(model, first)

    opened: list[int] = []
    view.activated.connect(opened.append)
    menu = view.choose_from(first, QPoint(10, 10))
    actions = menu.actions()
    third = model.session(first.rows[3])
    assert len(actions) == 10 and f"{third.title} · {third.instructor_name}" in actions[3].text()
    actions[3].trigger()
    assert opened == [first.rows[3]] and view.current == first.rows[3]
    menu.close()

    view.resize(4000, 800)  # wide enough for every lane: no summaries
    assert view.crowd() == ([], {})
