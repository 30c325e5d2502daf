"""An index on audit entries by action and effective date, for the admissions of a period

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_entries_action_date', 'audit_entries',
                    ['action', 'effective_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entries_action_date', table_name='audit_entries')
