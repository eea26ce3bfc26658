"""Reporting: enrollments, progress ratings, partitioned attendance, the append-only
ledger, reporting materialized views with their refresh function, partition upkeep.

Revision ID: 0004_reporting
Revises: 0003_scheduling
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0004_reporting"
down_revision = "0003_scheduling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0004_reporting.up.sql")


def downgrade() -> None:
    execute_sql_file("0004_reporting.down.sql")
