"""Week calendar: bookings with a waitlist nobody can jump, closures, occurrence generation.

Revision ID: 0007_calendar
Revises: 0006_students
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0007_calendar"
down_revision = "0006_students"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0007_calendar.up.sql")


def downgrade() -> None:
    execute_sql_file("0007_calendar.down.sql")
