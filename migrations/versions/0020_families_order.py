"""Families list: parents in name order, a page at a time (issue 5).

Revision ID: 0020_families_order
Revises: 0019_search_tiers
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0020_families_order"
down_revision = "0019_search_tiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0020_families_order.up.sql")


def downgrade() -> None:
    execute_sql_file("0020_families_order.down.sql")
