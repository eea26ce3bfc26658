"""Instructors' rosters: attendance (and star ratings) in their own sessions.

Revision ID: 0016_rosters
Revises: 0015_students_search
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0016_rosters"
down_revision = "0015_students_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0016_rosters.up.sql")


def downgrade() -> None:
    execute_sql_file("0016_rosters.down.sql")
