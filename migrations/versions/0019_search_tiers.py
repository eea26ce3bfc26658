"""Search: the typo-tolerant tier only when every other tier together found little (issue 5).

Revision ID: 0019_search_tiers
Revises: 0018_students_page
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0019_search_tiers"
down_revision = "0018_students_page"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for part in ("words", "search"):  # the word index, then the search functions reading it
        execute_sql_file(f"0019_search_tiers_{part}.up.sql")


def downgrade() -> None:
    execute_sql_file("0019_search_tiers.down.sql")
