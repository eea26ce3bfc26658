"""Students and families: search and list performance, CSV import, photos.

Revision ID: 0011_students
Revises: 0010_security_perf
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0011_students"
down_revision = "0010_security_perf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0011_students.up.sql")


def downgrade() -> None:
    execute_sql_file("0011_students.down.sql")
