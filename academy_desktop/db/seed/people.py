"""Who is in the academy: locations, instructors, and families (parents with their
children, siblings sharing the same parents), drawn from Faker-made name pools.

Faker is slow per call, so it only fills pools once; the million-student scale then
draws from the pools with `random.Random`, which keeps every scale fast and the same
seed producing the same people.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker

from academy_desktop.db.demo_accounts import DEMO_LOCATIONS
from academy_desktop.db.seed.copying import new_id

TIMEZONE = "America/New_York"
EXTRA_LOCATIONS = ("Lakeside", "Westfield", "Oak Park", "Hillcrest", "Maple Grove", "Bayside",
                   "Cedar Hills", "Kingsbridge", "Southgate", "Meadowbrook", "Pine Ridge",
                   "Eastwood", "Brookfield", "Stonebridge", "Fairview", "Clearwater", "Elmhurst")
AREA_CODES = ("617", "781", "857", "508", "978", "339")
LOCALES = ("en_US", "en_US", "en_US", "en_GB", "es_MX", "it_IT", "en_IN", "fr_FR", "de_DE",
           "sv_SE", "pl_PL", "pt_BR")
ALLERGIES = ("Peanuts", "Tree nuts", "Bee stings", "Penicillin", "Latex", "Eggs", "Shellfish")
MEDICAL = ("Asthma - inhaler in bag, may need it after sprints.",
           "Type 1 diabetes - glucose tablets in bag; check-in with parent if unwell.",
           "Mild eczema - chlorine can irritate; rinse after swimming.",
           "Wears glasses; prescription goggles allowed.",
           "Grommets in both ears - ear plugs required in the pool.",
           "ADHD - responds well to clear, short instructions.",
           "Hearing impaired (left ear) - stand on the right side when instructing.",
           "Epilepsy - well controlled; parent to be called after any seizure.")


@dataclass
class Location:
    id: uuid.UUID
    name: str
    code: str
    index: int


@dataclass
class Family:
    last_name: str
    location: Location
    parents: list[tuple[uuid.UUID, str]] = field(default_factory=list)  # (id, relationship)
    children: list[Student] = field(default_factory=list)


@dataclass
class Student:
    id: uuid.UUID
    first_name: str
    last_name: str
    gender: str
    date_of_birth: date
    location: Location
    family: Family | None
    programs: set[str] = field(default_factory=set)

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class NamePools:
    """First/last names, streets and schools made once by Faker for a seed."""

    def __init__(self, seed: int, size: int) -> None:
        fakers = [Faker(locale) for locale in LOCALES]
        for offset, faker in enumerate(fakers):
            faker.seed_instance(seed * 100 + offset)

        def pool(make: str) -> list[str]:
            names = [getattr(fakers[i % len(fakers)], make)() for i in range(size)]
            return list(dict.fromkeys(n for n in names if n.isprintable() and len(n) < 40))

        self.female = pool("first_name_female")
        self.male = pool("first_name_male")
        self.last = pool("last_name")
        us = fakers[0]
        self.streets = list(dict.fromkeys(us.street_name() for _ in range(300)))
        self.schools = [f"{us.last_name()} {kind}" for kind in
                        ("Elementary", "Middle School", "High School", "Academy") * 6]


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "family"


def desk_of(location: Location) -> str:
    """The front-desk role name that records a location's bookings and payments."""
    return "desk_" + ascii_slug(location.name)


def phone(rng: random.Random) -> str:
    return f"+1{rng.choice(AREA_CODES)}555{rng.randrange(10000):04d}"


def make_locations(count: int, rng: random.Random, pools: NamePools) -> tuple[list[Location],
                                                                             list[tuple]]:
    names = (DEMO_LOCATIONS + EXTRA_LOCATIONS)[:count]
    locations, rows = [], []
    for index, name in enumerate(names):
        words = name.upper().split()
        code = words[0][:3] if len(words) == 1 else words[0][:2] + "".join(w[0] for w in words[1:])
        loc = Location(new_id(rng), name, code, index)
        locations.append(loc)
        rows.append((loc.id, code, name, f"{rng.randint(10, 980)} {rng.choice(pools.streets)}",
                     None, "Boston" if index < 3 else name, "MA", f"02{rng.randint(100, 199)}",
                     "US", TIMEZONE, f"+1617555{1000 + index:04d}",
                     f"{ascii_slug(name)}@academy.example.com",
                     "Indoor pool (4 lanes), 2 sports courts, 2 floodlit pitches, cafe.",
                     None))
    return locations, rows


LOCATION_COLUMNS = ("id", "code", "name", "address_line1", "address_line2", "city", "region",
                    "postal_code", "country_code", "timezone", "phone", "email", "facilities",
                    "notes")


class FamilyMaker:
    """Creates students on demand, as new families or as siblings in existing ones."""

    def __init__(self, rng: random.Random, pools: NamePools, today: date) -> None:
        self.rng, self.pools, self.today = rng, pools, today
        self.families: list[Family] = []
        self.students: list[Student] = []
        self.parent_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.open_families: dict[uuid.UUID, list[Family]] = {}  # location -> can take a sibling

    def _first(self, gender: str) -> str:
        pool = self.pools.female if gender == "female" else self.pools.male
        return self.rng.choice(pool)

    def _parent(self, family: Family, first: str, last: str, relationship: str) -> None:
        rng, pid = self.rng, new_id(self.rng)
        email = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randrange(100)}@" \
                f"{rng.choice(('example.com', 'example.org', 'example.net'))}"
        self.parent_rows.append((
            pid, first, last, email if rng.random() < 0.93 else None, phone(rng),
            phone(rng) if rng.random() < 0.3 else None,
            f"{rng.randint(1, 999)} {rng.choice(self.pools.streets)}", None, "Boston", "MA",
            f"02{rng.randint(100, 199)}", "US", family.location.id,
            "es" if rng.random() < 0.05 else "en"))
        family.parents.append((pid, relationship))

    def new_family(self, location: Location, last: str | None = None,
                   parents: tuple[tuple[str, str, str], ...] = ()) -> Family:
        rng = self.rng
        family = Family(last or rng.choice(self.pools.last), location)
        if not parents:
            two = rng.random() < 0.7
            first_kind = rng.choices(("mother", "father", "guardian", "grandparent"),
                                     (62, 30, 5, 3))[0]
            gender = "male" if first_kind == "father" else "female"
            parents = ((self._first(gender), family.last_name, first_kind),)
            if two and first_kind in ("mother", "father"):
                other = "father" if first_kind == "mother" else "mother"
                kind = "stepparent" if rng.random() < 0.06 else other
                other_last = family.last_name if rng.random() < 0.8 else rng.choice(self.pools.last)
                parents += ((self._first("male" if other == "father" else "female"),
                             other_last, kind),)
        for first, last_name, kind in parents:
            self._parent(family, first, last_name, kind)
        self.families.append(family)
        self.open_families.setdefault(location.id, []).append(family)
        return family

    def new_student(self, location: Location, age: int, family: Family | None = None,
                    first: str | None = None) -> Student:
        rng = self.rng
        if age >= 18:
            family = None
        elif family is None:
            candidates = self.open_families.get(location.id, [])
            if candidates and rng.random() < 0.35:
                family = rng.choice(candidates)
            else:
                family = self.new_family(location)
        gender = rng.choices(("female", "male", "non_binary", "undisclosed"), (49, 49, 1, 1))[0]
        dob = self.today - timedelta(days=age * 365 + rng.randrange(365))
        last = family.last_name if family else rng.choice(self.pools.last)
        student = Student(new_id(rng), first or self._first(gender if gender == "male" else
                                                             "female"), last, gender, dob,
                          location, family)
        self.students.append(student)
        if family is not None:
            family.children.append(student)
            self._link(family, student)
            if len(family.children) >= 4:
                self.open_families[location.id].remove(family)
        return student

    def _link(self, family: Family, student: Student) -> None:
        rng = self.rng
        for position, (pid, relationship) in enumerate(family.parents):
            primary = position == 0
            pickup = not (position == 1 and rng.random() < 0.03)
            note = None if pickup else "Not authorised to collect - see custody order on file."
            self.link_rows.append((new_id(rng), student.id, pid, relationship, primary,
                                   primary or rng.random() < 0.8, pickup, primary, note))


PARENT_COLUMNS = ("id", "first_name", "last_name", "email", "phone", "alternate_phone",
                  "address_line1", "address_line2", "city", "region", "postal_code",
                  "country_code", "location_id", "preferred_language")
LINK_COLUMNS = ("id", "student_id", "parent_id", "relationship", "is_primary_contact",
                "is_emergency_contact", "can_pickup", "receives_invoices", "notes")
STUDENT_COLUMNS = ("id", "student_number", "first_name", "last_name", "preferred_name",
                   "date_of_birth", "gender", "location_id", "program_id", "school",
                   "medical_notes", "allergies", "notes", "joined_on", "is_active",
                   "created_at", "updated_at")


def student_row(rng: random.Random, s: Student, number: int, joined: date, program_id: object,
                pools: NamePools) -> tuple:
    age = s.age_on(joined)
    active = bool(s.programs) or rng.random() < 0.3
    created = datetime.combine(joined, time(10), UTC)
    return (s.id, f"S{number:07d}", s.first_name, s.last_name, None, s.date_of_birth, s.gender,
            s.location.id, program_id, rng.choice(pools.schools) if 5 <= age < 18 else None,
            rng.choice(MEDICAL) if rng.random() < 0.06 else None,
            ", ".join(rng.sample(ALLERGIES, rng.randint(1, 2))) if rng.random() < 0.08 else None,
            None if active else "Left the academy; kept for history.", joined, active,
            created, created)
