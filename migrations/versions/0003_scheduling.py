"""Scheduling: instructors, availability, recurring patterns, sessions (no instructor
double booking), monthly-partitioned bookings, waitlists and schedule conflicts.

Revision ID: 0003_scheduling
Revises: 0002_curriculum
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0003_scheduling"
down_revision = "0002_curriculum"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0003_scheduling.up.sql")


def downgrade() -> None:
    execute_sql_file("0003_scheduling.down.sql")
