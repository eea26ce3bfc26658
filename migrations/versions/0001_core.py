"""Core schema: shared functions, users and authentication, locations, programs,
students, parents and their relationships.

Revision ID: 0001_core
Revises:
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0001_core.up.sql")


def downgrade() -> None:
    execute_sql_file("0001_core.down.sql")
