"""Students and families: people search across students and parents, family registration and edits.

Revision ID: 0006_students
Revises: 0005_security
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0006_students"
down_revision = "0005_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0006_students.up.sql")


def downgrade() -> None:
    execute_sql_file("0006_students.down.sql")
