"""Security: identity/scope helpers, accounts and passwords, reset codes, failed-login
lockout, data-modification audit, least-privilege grants and row-level security on
every table.

Revision ID: 0005_security
Revises: 0004_reporting
"""

from academy_desktop.db.migrate import execute_sql_file

revision = "0005_security"
down_revision = "0004_reporting"
branch_labels = None
depends_on = None

_PARTS = ("helpers", "accounts", "logins", "policies")


def upgrade() -> None:
    for part in _PARTS:
        execute_sql_file(f"0005_security_{part}.up.sql")


def downgrade() -> None:
    execute_sql_file("0005_security.down.sql")
