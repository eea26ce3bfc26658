"""Registers the workspaces that exist. New screens add one line here."""

from __future__ import annotations

from academy_desktop.views.admin.health import HEALTH
from academy_desktop.views.admin.staff import STAFF
from academy_desktop.views.calendar.workspace import CALENDAR
from academy_desktop.views.checkin.view import CHECKIN
from academy_desktop.views.curriculum.view import CURRICULUM
from academy_desktop.views.families.view import FAMILIES
from academy_desktop.views.home.view import HOME
from academy_desktop.views.my_week.view import MY_WEEK
from academy_desktop.views.payments.view import PAYMENTS
from academy_desktop.views.rosters.view import ROSTERS
from academy_desktop.views.students.view import STUDENTS
from academy_desktop.views.workspace import WorkspaceRegistry, registry


def register_all(target: WorkspaceRegistry = registry) -> WorkspaceRegistry:
    for spec in (HOME, CURRICULUM, CHECKIN, PAYMENTS, CALENDAR, MY_WEEK, ROSTERS, STUDENTS,
                 FAMILIES, STAFF, HEALTH):
        if spec.key not in target:
            target.register(spec)
    return target
