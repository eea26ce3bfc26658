"""Desk: roster performance, currency per location, one receipt number per payment.

Revision ID: 0012_desk
Revises: 0011_students
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0012_desk"
down_revision = "0011_students"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0012_desk.up.sql")


def downgrade() -> None:
    execute_sql_file("0012_desk.down.sql")
