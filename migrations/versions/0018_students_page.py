"""Students list page through a scoped SECURITY DEFINER function (issue 5).

Revision ID: 0018_students_page
Revises: 0017_desk_ready
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0018_students_page"
down_revision = "0017_desk_ready"
branch_labels = None
depends_on = None


def upgrade() -> None:
    execute_sql_file("0018_students_page.up.sql")


def downgrade() -> None:
    execute_sql_file("0018_students_page.down.sql")
