"""Curriculum editor: node moves and copies, versioned rubric edits, equipment library.

Revision ID: 0009_curriculum
Revises: 0008_desk
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0009_curriculum"
down_revision = "0008_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0009_curriculum.up.sql")


def downgrade() -> None:
    execute_sql_file("0009_curriculum.down.sql")
