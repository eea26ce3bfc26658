"""Class groups: a weekly slot (weekday, time, room, instructor) per curriculum level at a
location, and the students who fill it (60-100% of capacity; some groups full).

Groups are planned before students exist and then filled with children of the right age
(new families, siblings, or children already in another program), which is what keeps
classes realistically full at every scale. Slots come from instructors' availability;
`Instructor.book` marks their time so a teacher never gets two classes at once.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from academy_desktop.db.seed.content import PROGRAMS, ProgramSpec
from academy_desktop.db.seed.copying import new_id
from academy_desktop.db.seed.curriculum import Curriculum, Level, Tree
from academy_desktop.db.seed.people import FamilyMaker, Location, Student
from academy_desktop.db.seed.staff import Instructor, Staff

PROGRAM_SHARE = {"Swimming": 0.45, "Basketball": 0.25, "Football": 0.30}
LEVEL_WEIGHTS = (20, 18, 16, 14, 12, 10, 10)
CURRICULUM_WEIGHTS = (3, 4, 2, 1)
ADULT_STARTS = {d: (1080, 1140) for d in range(1, 6)} | {6: (480, 540), 7: (540, 600)}
KID_STARTS = {d: (930, 1125) for d in range(1, 6)} | {6: (480, 750), 7: (540, 690)}


@dataclass
class Group:
    id: uuid.UUID
    location: Location
    curriculum: Curriculum
    level: Level
    capacity: int
    weekday: int
    start: int  # minutes after midnight, local time
    minutes: int
    room: str
    instructor: Instructor
    members: list[tuple[Student, date]] = field(default_factory=list)  # (student, enrolled_on)
    neighbours: list[Group] = field(default_factory=list)  # same curriculum and location

    @property
    def program(self) -> ProgramSpec:
        return self.curriculum.program


class Planner:
    """Finds a free (weekday, start, room, instructor) for each new group."""

    def __init__(self, rng: random.Random, staff: Staff, rooms_per_program: int) -> None:
        self.rng, self.staff, self.rooms_per_program = rng, staff, rooms_per_program
        self.rooms: set[tuple[uuid.UUID, str, int, int]] = set()  # (loc, room, weekday, tick)
        self.day_load: dict[tuple[uuid.UUID, int], int] = {}

    def _room(self, loc: Location, program: ProgramSpec, weekday: int, start: int,
              minutes: int) -> str | None:
        ticks = range(start // 15, -(-(start + minutes) // 15))
        for k in range(1, self.rooms_per_program + 1):
            room = f"{program.room} {k}"
            if all((loc.id, room, weekday, t) not in self.rooms for t in ticks):
                return room
        return None

    def place(self, loc: Location, cur: Curriculum, minutes: int
              ) -> tuple[int, int, str, Instructor] | None:
        starts = ADULT_STARTS if cur.spec.min_age >= 18 else KID_STARTS
        weekdays = sorted(starts, key=lambda d: (self.day_load.get((loc.id, d), 0),
                                                 self.rng.random()))
        teachers = sorted((i for i in self.staff.by_location[loc.id]
                           if cur.program.name in i.programs),
                          key=lambda i: (not (i.is_demo and cur.program.name == "Swimming"),
                                         i.load, self.rng.random()))
        for weekday in weekdays:
            first, last = starts[weekday]
            times = list(range(first, last + 1, 15))
            self.rng.shuffle(times)
            for start in times:
                room = self._room(loc, cur.program, weekday, start, minutes)
                if room is None:
                    continue
                for teacher in teachers:
                    if teacher.free(loc.id, weekday, start, minutes):
                        teacher.book(weekday, start, minutes)
                        self.rooms.update((loc.id, room, weekday, t) for t in
                                          range(start // 15, -(-(start + minutes) // 15)))
                        key = (loc.id, weekday)
                        self.day_load[key] = self.day_load.get(key, 0) + 1
                        return weekday, start, room, teacher
        return None


def _enrolled_on(rng: random.Random, window_start: date, today: date) -> date:
    if rng.random() < 0.7:
        return window_start - timedelta(days=rng.randint(7, 150))
    return window_start + timedelta(days=rng.randint(0, max((today - window_start).days - 7, 0)))


class Filler:
    """Seats students in a group: existing children of the right age first, else new ones."""

    def __init__(self, rng: random.Random, maker: FamilyMaker, today: date, window_start: date,
                 priority: list[Student]) -> None:
        self.rng, self.maker, self.today, self.window_start = rng, maker, today, window_start
        self.priority = priority
        self.by_location: dict[uuid.UUID, list[Student]] = {}

    def _existing(self, group: Group) -> Student | None:
        taken = {s.id for s, _ in group.members}
        pool = [s for s in self.priority if s.location is group.location]
        local = self.by_location.get(group.location.id)
        if local and self.rng.random() < 0.22:
            pool += [self.rng.choice(local) for _ in range(4)]
        for student in pool:
            if student.id not in taken and group.program.name not in student.programs \
                    and len(student.programs) < 2 \
                    and group.curriculum.fits(student.age_on(self.today)):
                return student
        return None

    def fill(self, group: Group, seats: int) -> None:
        for _ in range(seats):
            student = self._existing(group)
            if student is None:
                spec = group.curriculum.spec
                age = self.rng.randint(spec.min_age, spec.max_age or self.rng.choice((25, 40, 60)))
                student = self.maker.new_student(group.location, age)
                self.by_location.setdefault(group.location.id, []).append(student)
            student.programs.add(group.program.name)
            group.members.append((student, _enrolled_on(self.rng, self.window_start, self.today)))


def plan_groups(rng: random.Random, tree: Tree, locations: list[Location], staff: Staff,
                filler: Filler, memberships: int, weights: list[float]) -> list[Group]:
    """Groups at every location until about `memberships` seats are filled."""
    planner = Planner(rng, staff, max(4, math.ceil(memberships / len(locations) / 120)))
    groups: list[Group] = []
    total = sum(weights)
    for loc, weight in zip(locations, weights, strict=True):
        for program in PROGRAMS:
            target = memberships * weight / total * PROGRAM_SHARE[program.name]
            seats, failures = 0, 0
            while seats < target and failures < 25:
                cur = rng.choices(tree.for_program(program.name), CURRICULUM_WEIGHTS)[0]
                level = rng.choices(cur.levels, LEVEL_WEIGHTS)[0]
                slot = planner.place(loc, cur, cur.spec.lesson_minutes)
                if slot is None:
                    failures += 1
                    continue
                capacity = rng.randint(*program.capacity)
                full = rng.random() < 0.15
                weekday, start, room, teacher = slot
                group = Group(new_id(rng), loc, cur, level, capacity, weekday, start,
                              cur.spec.lesson_minutes, room, teacher)
                take = capacity if full else max(2, round(capacity * rng.uniform(0.6, 0.95)))
                filler.fill(group, take)
                seats += take
                groups.append(group)
    by_class: dict[tuple[uuid.UUID, uuid.UUID], list[Group]] = {}
    for group in groups:
        by_class.setdefault((group.location.id, group.curriculum.id), []).append(group)
    for group in groups:
        group.neighbours = [g for g in by_class[(group.location.id, group.curriculum.id)]
                            if g is not group]
    return groups
