"""Desk: per-student balances kept by trigger from the append-only ledger, so rosters read one row per child.

Revision ID: 0014_desk_balances
Revises: 0013_calendar
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0014_desk_balances"
down_revision = "0013_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0014_desk_balances.up.sql")


def downgrade() -> None:
    execute_sql_file("0014_desk_balances.down.sql")
