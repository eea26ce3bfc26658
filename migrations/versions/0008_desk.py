"""The desk: idempotent check-in, attendance closing, the payment ledger, receipts and cash-up.

Revision ID: 0008_desk
Revises: 0007_calendar
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0008_desk"
down_revision = "0007_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0008_desk.up.sql")


def downgrade() -> None:
    execute_sql_file("0008_desk.down.sql")
