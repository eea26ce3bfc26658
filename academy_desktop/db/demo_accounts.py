"""The demo logins: one per role, with published passwords (demo data only).

The seed creates them; `dev.py demo --user NAME` and the screenshot tool sign in with
them; the README lists them. Never used outside demo/test databases.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    role_name: str
    kind: str  # super_admin | program_admin | front_desk | instructor | parent
    password: str
    display_name: str
    #: location names (front desk) or program names (program admin) they are assigned
    scope: tuple[str, ...] = ()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin_sam", "super_admin", "Demo-admin-2026!", "Sam Okafor"),
    DemoAccount("padmin_swim", "program_admin", "Demo-swim-2026!", "Priya Natarajan",
                ("Swimming",)),
    DemoAccount("padmin_ball", "program_admin", "Demo-ball-2026!", "Marco Rossi",
                ("Basketball", "Football")),
    DemoAccount("desk_riverside", "front_desk", "Demo-desk-2026!", "Jamie Chen",
                ("Riverside",)),
    DemoAccount("desk_float", "front_desk", "Demo-float-2026!", "Alex Moreno",
                ("Northgate", "Harbour View")),
    DemoAccount("coach_maya", "instructor", "Demo-coach-2026!", "Maya Lindqvist"),
    DemoAccount("parent_demo", "parent", "Demo-parent-2026!", "Olivia Bennett"),
)

DEMO_LOCATIONS: tuple[str, ...] = ("Riverside", "Northgate", "Harbour View")
DEMO_PROGRAMS: tuple[str, ...] = ("Swimming", "Basketball", "Football")
DEFAULT_DEMO_USER = "desk_riverside"
#: The low-privilege `academy_gatekeeper` login on the demo server (it may only record a
#: failed sign-in and redeem a reset code); the `local` profile uses it.
DEMO_GATEKEEPER_PASSWORD = "Demo-gatekeeper-2026!"


def demo_account(role_name: str) -> DemoAccount:
    for account in DEMO_ACCOUNTS:
        if account.role_name == role_name:
            return account
    names = ", ".join(a.role_name for a in DEMO_ACCOUNTS)
    raise KeyError(f"{role_name!r} is not a demo login (have: {names})")
