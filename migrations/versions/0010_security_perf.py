"""RLS performance: policies shaped so the planner can use indexes under row-level security.

Revision ID: 0010_security_perf
Revises: 0009_curriculum
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0010_security_perf"
down_revision = "0009_curriculum"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0010_security_perf.up.sql")


def downgrade() -> None:
    execute_sql_file("0010_security_perf.down.sql")
