"""Instructors: who teaches which program where and when (specializations, location
assignments and weekly availability windows), plus the busy state the timetable planner
fills so no instructor is ever booked twice at once.

The first Riverside instructor is the demo login's coach (Maya Lindqvist): she works six
days a week there and is preferred for Riverside swimming classes, so her timetable is full.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from academy_desktop.db.demo_accounts import demo_account
from academy_desktop.db.seed.copying import new_id
from academy_desktop.db.seed.curriculum import Tree
from academy_desktop.db.seed.people import Location, NamePools, ascii_slug, phone

# ISO weekday -> (start, end) minutes after midnight of a working window
WINDOWS = {1: (900, 1200), 2: (900, 1200), 3: (900, 1200), 4: (900, 1200), 5: (900, 1200),
           6: (480, 810), 7: (540, 750)}
CERTIFICATES = {
    "Swimming": ("Red Cross Water Safety Instructor", "ASCA Level 2 Swim Coach",
                 "Lifeguard and CPR/AED"),
    "Basketball": ("USA Basketball Coach License (Silver)", "NFHS Fundamentals of Coaching"),
    "Football": ("US Soccer Grassroots License", "US Soccer D License"),
}
PROGRAM_MIX = ("Swimming", "Swimming", "Basketball", "Football")
COLORS = ("#8E24AA", "#3949AB", "#00897B", "#C0CA33", "#FB8C00", "#6D4C41", "#546E7A",
          "#D81B60", "#5E35B1", "#039BE5", "#7CB342", "#F4511E")


@dataclass
class Instructor:
    id: uuid.UUID
    first_name: str
    last_name: str
    programs: tuple[str, ...]
    windows: dict[int, tuple[uuid.UUID, int, int]]  # weekday -> (location, start, end)
    is_demo: bool = False
    busy: set[tuple[int, int]] = field(default_factory=set)  # (weekday, 15-minute tick)
    load: int = 0

    @property
    def login(self) -> str:
        return "coach_maya" if self.is_demo else \
            f"coach_{ascii_slug(self.first_name)}_{ascii_slug(self.last_name)}"[:63]

    def free(self, location: uuid.UUID, weekday: int, start: int, minutes: int) -> bool:
        window = self.windows.get(weekday)
        if window is None or window[0] != location or start < window[1] \
                or start + minutes > window[2]:
            return False
        return all((weekday, t) not in self.busy for t in range(start // 15,
                                                                -(-(start + minutes) // 15)))

    def book(self, weekday: int, start: int, minutes: int) -> None:
        self.busy.update((weekday, t) for t in range(start // 15, -(-(start + minutes) // 15)))
        self.load += 1


@dataclass
class Staff:
    instructors: list[Instructor]
    by_location: dict[uuid.UUID, list[Instructor]]
    rows: dict[str, list[tuple]]


def _windows(rng: random.Random, primary: Location, secondary: Location | None,
             demo: bool) -> dict[int, tuple[uuid.UUID, int, int]]:
    days = list(range(1, 7)) if demo else sorted(rng.sample(range(1, 8), rng.randint(4, 6)))
    windows = {d: (primary.id, *WINDOWS[d]) for d in days}
    if secondary is not None:
        spare = sorted(set(range(1, 8)) - set(days))
        for d in rng.sample(spare, min(rng.randint(1, 2), len(spare))):
            windows[d] = (secondary.id, *WINDOWS[d])
    return windows


def make_staff(rng: random.Random, pools: NamePools, locations: list[Location], per_location: int,
               tree: Tree, today: date) -> Staff:
    coach = demo_account("coach_maya").display_name.split(" ", 1)
    rows: dict[str, list[tuple]] = {k: [] for k in ("instructors", "assign", "spec", "avail")}
    instructors, by_location = [], {loc.id: [] for loc in locations}
    for loc in locations:
        for k in range(per_location):
            demo = loc.index == 0 and k == 0
            programs = ("Swimming",) if demo else (PROGRAM_MIX[k % 4],)
            if not demo and rng.random() < 0.25:
                programs += (rng.choice([p for p in ("Swimming", "Basketball", "Football")
                                         if p not in programs]),)
            first, last = coach if demo else (rng.choice(pools.female + pools.male),
                                              rng.choice(pools.last))
            secondary = None
            if len(locations) > 1 and not demo and rng.random() < 0.2:
                secondary = locations[(loc.index + 1) % len(locations)]
            inst = Instructor(new_id(rng), first, last, programs,
                              _windows(rng, loc, secondary, demo), demo)
            instructors.append(inst)
            by_location[loc.id].append(inst)
            if secondary is not None:
                by_location[secondary.id].append(inst)
            _rows_for(rows, rng, inst, loc, secondary, tree, today)
    return Staff(instructors, by_location, rows)


def _rows_for(rows: dict[str, list[tuple]], rng: random.Random, inst: Instructor, loc: Location,
              secondary: Location | None, tree: Tree, today: date) -> None:
    hired = today - timedelta(days=rng.randint(120, 3000))
    rows["instructors"].append((
        inst.id, inst.first_name, inst.last_name,
        f"{ascii_slug(inst.first_name)}.{ascii_slug(inst.last_name)}@academy.example.com",
        phone(rng), f"Coaches {' and '.join(p.lower() for p in inst.programs)} at {loc.name}.",
        "; ".join(CERTIFICATES[p][0] for p in inst.programs), hired,
        COLORS[rng.randrange(len(COLORS))]))
    rows["assign"].append((new_id(rng), inst.id, loc.id, True, hired))
    if secondary is not None:
        rows["assign"].append((new_id(rng), inst.id, secondary.id, False, hired))
    for program in inst.programs:
        certified = hired - timedelta(days=rng.randint(30, 700))
        rows["spec"].append((new_id(rng), inst.id, tree.program_ids[program], None, None,
                             rng.choice(CERTIFICATES[program]), certified,
                             certified + timedelta(days=3 * 365)))
        if rng.random() < 0.4:
            cur = rng.choice(tree.for_program(program))
            rows["spec"].append((new_id(rng), inst.id, tree.program_ids[program], cur.id, None,
                                 f"{cur.spec.name} specialist", certified, None))
    for weekday, (location, start, end) in sorted(inst.windows.items()):
        rows["avail"].append((new_id(rng), inst.id, location, "available", weekday,
                              time(start // 60, start % 60), time(end // 60, end % 60),
                              hired, None, None))


def add_time_off(staff: Staff, rng: random.Random, today: date, count: int) -> list[tuple]:
    """A few weeks of leave (kind 'unavailable'); returns (instructor, weekday, first, last)."""
    leaves = []
    teaching = [i for i in staff.instructors if not i.is_demo and i.busy]
    for inst in rng.sample(teaching, min(count, len(teaching))):
        weekday = rng.choice(sorted({day for day, _ in inst.busy}))
        first = today + timedelta(days=rng.randint(10, 60))
        last = first + timedelta(days=13)
        _, start, end = inst.windows[weekday]
        staff.rows["avail"].append((new_id(rng), inst.id, None,
                                    "unavailable", weekday, time(start // 60, start % 60),
                                    time(end // 60, end % 60), first, last, "Annual leave"))
        leaves.append((inst, weekday, first, last))
    return leaves


STAFF_COLUMNS = {
    "instructors": ("instructors", ("id", "first_name", "last_name", "email", "phone", "bio",
                                    "qualifications", "hired_on", "color")),
    "assign": ("instructor_location_assignments", ("id", "instructor_id", "location_id",
                                                   "is_primary", "starts_on")),
    "spec": ("instructor_specializations", ("id", "instructor_id", "program_id",
                                            "curriculum_id", "level_id", "certification",
                                            "certified_on", "expires_on")),
    "avail": ("instructor_availability", ("id", "instructor_id", "location_id", "kind",
                                          "weekday", "start_time", "end_time", "valid_from",
                                          "valid_to", "notes")),
}
