"""Students: search and list paging within their per-keystroke budgets at 100k students.

Revision ID: 0015_students_search
Revises: 0014_desk_balances
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0015_students_search"
down_revision = "0014_desk_balances"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0015_students_search.up.sql")


def downgrade() -> None:
    execute_sql_file("0015_students_search.down.sql")
