"""How big each seed is: one table of knobs so small (the demo) and large/huge (the
benchmarks) run the very same generator code, only with different numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    locations: int
    students: int
    instructors_per_location: int
    months_back: int
    months_ahead: int
    progress_every_weeks: int  # how often an instructor rates a student's criteria
    show_progress: bool  # draw the stderr progress bar
    # share of the students seated in current classes (with sessions, bookings, attendance,
    # ratings and a ledger); the rest are former students: same families, parents and
    # name pools, no current class. Below 1 only where a full timetable cannot be seeded.
    class_share: float = 1.0


SCALES: dict[str, Scale] = {
    "small": Scale("small", 3, 300, 4, 3, 3, 3, False),
    "large": Scale("large", 20, 100_000, 40, 9, 3, 8, True),
    # 1M students at 20 locations (~50k a desk), every one with a family, half of them in
    # current classes with three months of activity: ~30 min on 2 cores, 8.6 GB (see
    # docs/demo-data.md); the full timetable of 9+3 months would take hours and ~50 GB
    "huge": Scale("huge", 20, 1_000_000, 400, 2, 1, 12, True, class_share=0.5),
}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r} (have: {', '.join(SCALES)})") from None
