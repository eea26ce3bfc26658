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


SCALES: dict[str, Scale] = {
    "small": Scale("small", 3, 300, 4, 3, 3, 3, False),
    "large": Scale("large", 20, 100_000, 40, 9, 3, 8, True),
    "huge": Scale("huge", 20, 1_000_000, 400, 9, 3, 12, True),
}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r} (have: {', '.join(SCALES)})") from None
