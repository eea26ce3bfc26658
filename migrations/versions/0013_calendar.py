"""Calendar: editing a pattern's rule, cancelling a whole session with its bookings.

Revision ID: 0013_calendar
Revises: 0012_desk
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0013_calendar"
down_revision = "0012_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0013_calendar.up.sql")


def downgrade() -> None:
    execute_sql_file("0013_calendar.down.sql")
