"""Curriculum tree (courses to lessons, program_id kept on every node), versioned
assessment rubrics and criteria, equipment library and level requirements.

Revision ID: 0002_curriculum
Revises: 0001_core
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0002_curriculum"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0002_curriculum.up.sql")


def downgrade() -> None:
    execute_sql_file("0002_curriculum.down.sql")
