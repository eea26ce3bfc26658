"""Check-in first paint in one round trip (issue 6).

Revision ID: 0017_desk_ready
Revises: 0016_rosters
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0017_desk_ready"
down_revision = "0016_rosters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0017_desk_ready.up.sql")


def downgrade() -> None:
    execute_sql_file("0017_desk_ready.down.sql")
