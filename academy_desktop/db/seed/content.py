"""What the academy teaches: the three programs' courses, age-group curriculums and the
7-level skill ladders that lessons and rubric criteria are built from.

Hand-written so the demo's curriculum tree, lesson search and report cards read like a
real academy's, not lorem ipsum. Each skill is (criterion name, "can ..." objective).
"""

from __future__ import annotations

from dataclasses import dataclass

Skill = tuple[str, str]


@dataclass(frozen=True)
class CurriculumSpec:
    name: str
    min_age: int
    max_age: int | None
    lesson_minutes: int


@dataclass(frozen=True)
class CourseSpec:
    name: str
    description: str
    curriculums: tuple[CurriculumSpec, ...]


@dataclass(frozen=True)
class ProgramSpec:
    name: str
    code: str
    color: str
    description: str
    room: str  # rooms are "<room> 1", "<room> 2", ...
    capacity: tuple[int, int]  # class size range
    monthly_fee: int
    courses: tuple[CourseSpec, ...]
    modules: tuple[str, str, str]
    drills: tuple[str, ...]
    levels: tuple[tuple[str, str, tuple[Skill, ...]], ...]  # (name, description, skills)


C = CurriculumSpec

SWIMMING = ProgramSpec(
    "Swimming", "SWIM", "#1E88E5",
    "Learn-to-swim and stroke development from first splashes to confident lap swimming.",
    "Pool lane", (5, 8), 85,
    (CourseSpec("Swim School", "Progressive lessons for children and teens.",
                (C("Little Splashers", 4, 6, 30), C("Junior Swimmers", 7, 12, 45),
                 C("Teen Swim Squad", 13, 17, 60))),
     CourseSpec("Adult Swimming", "Lessons for adults starting out or refining strokes.",
                (C("Adult Learn to Swim", 18, None, 45),))),
    ("Water Safety", "Stroke Technique", "Fitness and Games"),
    ("with kickboard", "holding the wall", "with a noodle", "in pairs", "across the width",
     "timed lengths", "relay game", "with video feedback"),
    (("Water Confidence", "Feeling safe and happy in shallow water.",
      (("Safe entry and exit", "enter and leave the pool safely using steps and side"),
       ("Bubbles and breath", "blow bubbles and put the face in for three seconds"),
       ("Supported float", "float on front and back with a noodle"),
       ("Moving through water", "walk and jump through chest-deep water alone"))),
     ("Floating and Gliding", "Unassisted floats and push-and-glide.",
      (("Front float", "hold a star float on the front for five seconds"),
       ("Back float", "hold a relaxed back float with ears in the water"),
       ("Push and glide", "push from the wall and glide in a streamline"),
       ("Recovery to standing", "regain a standing position from front and back"))),
     ("Kicking and Propulsion", "Leg kicks and travelling five metres.",
      (("Flutter kick", "kick from the hips with long legs over ten metres"),
       ("Back kick", "kick on the back with hips high over ten metres"),
       ("Treading water", "tread water for twenty seconds"),
       ("Underwater retrieval", "collect a diving ring from chest-deep water"))),
     ("Front Crawl Foundations", "Arms, kick and side breathing together.",
      (("Crawl arm action", "use alternating arms with a high elbow"),
       ("Side breathing", "breathe to the side without lifting the head"),
       ("Coordinated crawl", "swim fifteen metres of front crawl"),
       ("Deep water safety", "jump into deep water, surface and swim to the side"))),
     ("Backstroke and Breaststroke", "Two more strokes and longer swims.",
      (("Backstroke arms", "swim backstroke with straight-arm recovery"),
       ("Breaststroke kick", "perform a symmetrical whip kick"),
       ("Breaststroke timing", "time pull, breathe, kick and glide"),
       ("Twenty-five metres", "swim twenty-five metres of any stroke without stopping"))),
     ("Stroke Development", "Refined technique, turns and dives.",
      (("Tumble turn", "perform a tumble turn on front crawl"),
       ("Racing dive", "dive from the side in a streamlined entry"),
       ("Butterfly kick", "perform a dolphin kick over ten metres"),
       ("Stroke efficiency", "swim fifty metres of crawl with fewer than forty strokes"))),
     ("Endurance and Lifesaving", "Distance swimming and rescue skills.",
      (("Continuous swim", "swim two hundred metres continuously"),
       ("Individual medley", "swim a one-hundred-metre individual medley"),
       ("Survival skills", "float, signal and tread water in clothes"),
       ("Reach and throw rescue", "perform a reach and throw rescue from the side"),
       ("Pacing", "hold an even pace over four repeats")))),
)

BASKETBALL = ProgramSpec(
    "Basketball", "BBALL", "#F4511E",
    "Skills-first basketball: ball handling, shooting and team play for every age.",
    "Court", (10, 14), 70,
    (CourseSpec("Youth Basketball", "Weekly skills sessions and small-sided games.",
                (C("Mini Hoops", 5, 8, 45), C("Junior Hoops", 9, 13, 60),
                 C("Senior Hoops", 14, 17, 75))),
     CourseSpec("Adult Basketball", "Skills clinics and coached pick-up games.",
                (C("Adult Skills and Pickup", 18, None, 75),))),
    ("Ball Skills", "Game Understanding", "Conditioning"),
    ("stationary", "on the move", "with a partner", "against a defender", "timed circuit",
     "cone course", "scrimmage", "with the weak hand"),
    (("Ball Handling Basics", "Getting comfortable with the ball.",
      (("Ball control", "move the ball around the body without dropping it"),
       ("Stationary dribble", "dribble with fingertips at waist height"),
       ("Two-hand catch", "catch a chest pass with hands ready"))),
     ("Dribbling", "Dribbling with both hands while moving.",
      (("Weak-hand dribble", "dribble the length of the court with the weak hand"),
       ("Crossover", "change hands with a low crossover"),
       ("Eyes up", "dribble while calling out the coach's fingers"),
       ("Speed dribble", "push the ball ahead at full speed"))),
     ("Passing and Catching", "Moving the ball to teammates.",
      (("Chest pass", "make a chest pass to a partner's chest"),
       ("Bounce pass", "bounce pass past a defender"),
       ("Passing on the move", "pass and cut to receive again"),
       ("Outlet pass", "make an overhead outlet pass after a rebound"))),
     ("Shooting Form", "Balanced, repeatable shooting.",
      (("BEEF form", "shoot with balance, eyes, elbow and follow-through"),
       ("Free throws", "make five of ten free throws"),
       ("Catch and shoot", "shoot off the catch within two seconds"),
       ("Shot range", "shoot consistently from the elbow"))),
     ("Footwork and Layups", "Pivots, stops and finishing at the rim.",
      (("Jump stop", "stop on two feet under control"),
       ("Pivoting", "pivot on either foot to protect the ball"),
       ("Right-hand layup", "finish a right-hand layup on the move"),
       ("Left-hand layup", "finish a left-hand layup on the move"))),
     ("Team Offense", "Spacing, screens and moving without the ball.",
      (("Spacing", "keep good spacing on the perimeter"),
       ("Pick and roll", "use and read a ball screen"),
       ("Give and go", "pass, cut and receive a return pass"),
       ("Defensive stance", "guard the ball in a low stance"))),
     ("Game Play and Strategy", "Reading the game and playing as a team.",
      (("Transition", "run the floor on a fast break"),
       ("Help defense", "rotate to help and recover"),
       ("Decision making", "choose the right pass under pressure"),
       ("Communication", "call screens and switches"),
       ("Sportsmanship", "show respect to teammates, opponents and officials")))),
)

FOOTBALL = ProgramSpec(
    "Football", "FOOT", "#43A047",
    "Football (soccer) coaching from first touches to tactical match play.",
    "Pitch", (10, 16), 65,
    (CourseSpec("Youth Football", "Age-group training with small-sided matches.",
                (C("Kickers", 4, 6, 45), C("Juniors", 7, 11, 60),
                 C("Academy Squad", 12, 17, 90))),
     CourseSpec("Adult Football", "Coached five-a-side for adults.",
                (C("Adult Five-a-Side", 18, None, 60),))),
    ("Technique", "Tactics", "Fitness and Fun"),
    ("through cones", "in a grid", "with a partner", "one-versus-one", "rondo",
     "small-sided game", "with the weaker foot", "under time pressure"),
    (("Ball Familiarity", "Fun first touches with the ball.",
      (("Toe taps", "tap the top of the ball with alternate feet"),
       ("Stopping the ball", "stop a rolling ball with the sole"),
       ("Running with the ball", "run while keeping the ball close"))),
     ("Dribbling and Control", "Keeping the ball close and changing direction.",
      (("Close control", "dribble through a cone slalom without touching cones"),
       ("Turns", "perform an inside and an outside hook turn"),
       ("First touch", "control a pass with the inside of the foot"),
       ("Both feet", "dribble with both feet equally"))),
     ("Passing and Receiving", "Accurate passing and receiving on the half-turn.",
      (("Inside-foot pass", "pass accurately over ten metres"),
       ("Receiving on the half-turn", "open the body to receive and play forward"),
       ("Wall pass", "play a one-two with a teammate"),
       ("Lofted pass", "lift the ball over a defender"))),
     ("Shooting", "Striking the ball with power and placement.",
      (("Laces strike", "shoot with the laces and the body over the ball"),
       ("Placement", "place a shot into the corner of the goal"),
       ("Volley", "strike a dropping ball cleanly"),
       ("Finishing under pressure", "finish with a defender closing in"))),
     ("Defending", "Winning the ball back safely.",
      (("Jockeying", "delay an attacker side-on"),
       ("Block tackle", "make a safe block tackle"),
       ("Covering", "cover a teammate who is pressing"),
       ("Heading", "clear a ball with a controlled header"))),
     ("Small-Sided Games", "Applying skills in 4v4 and 5v5.",
      (("Width and depth", "stay wide and deep in possession"),
       ("Pressing", "press as a group when possession is lost"),
       ("Switching play", "switch the ball to the far side"),
       ("Goalkeeping basics", "catch and distribute as a keeper"))),
     ("Match Play and Tactics", "Positions, formations and team shape.",
      (("Positional play", "hold a position in a 2-3-1 shape"),
       ("Set pieces", "execute corner and free-kick routines"),
       ("Transitions", "react quickly when the ball changes hands"),
       ("Leadership", "organise teammates on the pitch"),
       ("Fair play", "play within the laws and respect officials")))),
)

PROGRAMS: tuple[ProgramSpec, ...] = (SWIMMING, BASKETBALL, FOOTBALL)

STAR_DESCRIPTORS = (
    "Not yet: cannot {o} without full support.",
    "Beginning: tries to {o} with help from the coach or equipment.",
    "Developing: can {o} on their own; technique still improving.",
    "Secure: can consistently {o} with good technique.",
)

# (item, category, unit, description) — the shared equipment library
EQUIPMENT: tuple[tuple[str, str, str, str], ...] = (
    ("Kickboard", "training", "each", "Foam float for kick practice."),
    ("Pool noodle", "training", "each", "Long foam float for support."),
    ("Pull buoy", "training", "each", "Figure-eight float held between the legs."),
    ("Short-blade fins", "training", "pair", "Fins for kick and body-position work."),
    ("Swim goggles", "apparel", "pair", "Anti-fog goggles; spares at the desk."),
    ("Swim cap", "apparel", "each", "Silicone cap in the level colour."),
    ("Diving rings", "teaching_aid", "set", "Sinking rings for underwater retrieval."),
    ("Lane rope", "facility", "each", "Wave-reducing lane divider."),
    ("Rescue tube", "safety", "each", "Lifeguard rescue tube."),
    ("Reach pole", "safety", "each", "Telescopic pole for reach rescues."),
    ("Throw bag", "safety", "each", "Throw rope bag for rescue practice."),
    ("Pace clock", "facility", "each", "Poolside sweep-hand pace clock."),
    ("Basketball size 5", "training", "each", "Junior ball for ages 5-8."),
    ("Basketball size 6", "training", "each", "Intermediate ball for ages 9-13."),
    ("Basketball size 7", "training", "each", "Full-size ball."),
    ("Adjustable hoop", "facility", "each", "Hoop lowered to 2.6 m for minis."),
    ("Training cones", "teaching_aid", "set", "Set of 20 flat cones."),
    ("Agility ladder", "training", "each", "Rope ladder for footwork drills."),
    ("Training bibs", "apparel", "set", "Coloured pinnies for team games."),
    ("Tactics board", "teaching_aid", "each", "Magnetic whiteboard with counters."),
    ("Football size 3", "training", "each", "Ball for ages 4-7."),
    ("Football size 4", "training", "each", "Ball for ages 8-12."),
    ("Football size 5", "training", "each", "Full-size ball."),
    ("Pop-up goal", "facility", "pair", "Portable goals for small-sided games."),
    ("Shin guards", "safety", "pair", "Required for all football sessions."),
    ("Goalkeeper gloves", "apparel", "pair", "Gloves for keeper sessions."),
    ("Mini hurdles", "training", "set", "Set of 6 low hurdles."),
    ("Stopwatch", "teaching_aid", "each", "Coach's stopwatch."),
    ("Whistle", "teaching_aid", "each", "Coach's whistle."),
    ("First aid kit", "safety", "each", "Stocked kit checked weekly."),
    ("Water bottle", "apparel", "each", "Students bring their own, labelled."),
)

# per program: (item, first level, last level, per student, quantity, required)
LEVEL_EQUIPMENT: dict[str, tuple[tuple[str, int, int, bool, int, bool], ...]] = {
    "Swimming": (("Swim goggles", 1, 7, True, 1, False), ("Swim cap", 1, 7, True, 1, True),
                 ("Pool noodle", 1, 2, True, 1, True), ("Kickboard", 2, 5, True, 1, True),
                 ("Diving rings", 3, 4, False, 2, True), ("Pull buoy", 5, 7, True, 1, True),
                 ("Short-blade fins", 6, 7, True, 1, False), ("Pace clock", 6, 7, False, 1, True),
                 ("Rescue tube", 7, 7, False, 2, True), ("Reach pole", 7, 7, False, 1, True),
                 ("First aid kit", 1, 7, False, 1, True)),
    "Basketball": (("Basketball size 5", 1, 2, True, 1, True),
                   ("Basketball size 6", 3, 5, True, 1, True),
                   ("Basketball size 7", 6, 7, True, 1, True),
                   ("Adjustable hoop", 1, 3, False, 2, True),
                   ("Training cones", 1, 7, False, 1, True),
                   ("Agility ladder", 4, 7, False, 2, False),
                   ("Training bibs", 5, 7, False, 1, True),
                   ("Tactics board", 6, 7, False, 1, False),
                   ("Water bottle", 1, 7, True, 1, True), ("First aid kit", 1, 7, False, 1, True)),
    "Football": (("Football size 3", 1, 2, True, 1, True), ("Football size 4", 3, 4, True, 1, True),
                 ("Football size 5", 5, 7, True, 1, True), ("Shin guards", 1, 7, True, 1, True),
                 ("Training cones", 1, 7, False, 1, True), ("Pop-up goal", 2, 7, False, 2, True),
                 ("Mini hurdles", 2, 5, False, 1, False), ("Training bibs", 4, 7, False, 1, True),
                 ("Goalkeeper gloves", 6, 7, False, 2, False),
                 ("Tactics board", 7, 7, False, 1, False), ("First aid kit", 1, 7, False, 1, True)),
}
