"""Search: several-word contains without the location bitmap (issue 5).

Revision ID: 0021_search_word_probe
Revises: 0020_families_order
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0021_search_word_probe"
down_revision = "0020_families_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0021_search_word_probe.up.sql")


def downgrade() -> None:
    execute_sql_file("0021_search_word_probe.down.sql")
