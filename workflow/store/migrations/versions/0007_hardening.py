"""hardening: TRUNCATE refused on the audit table, revocable users and tokens, idempotency
keys held by one request at a time

- PostgreSQL: a statement trigger refuses TRUNCATE of audit_entries (workflow.store.append_only).
- users.active (a deactivated user's token and sessions stop), users.token_expires_at
  (optional), users.credentials_stamp: the value of the `credentials` stamp when the user's
  credentials last changed, so that each worker finds whom to forget in its cache by one
  cheap comparison (workflow.usecases.access).
- stamps: named counters; `credentials` grows with every revocation.
- idempotency_keys.holder: which request holds a reservation, so that a reservation whose
  request died can be taken over after its lease, and a late first request cannot complete it.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workflow.store import append_only

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    append_only.install_truncate_trigger(op.get_bind())
    op.add_column('users', sa.Column('active', sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.add_column('users', sa.Column('token_expires_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column('users', sa.Column('credentials_stamp', sa.BigInteger(), nullable=False,
                                     server_default='0'))
    op.create_index('ix_users_credentials_stamp', 'users', ['credentials_stamp'], unique=False)
    stamps = op.create_table(
        'stamps',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_stamps')),
    )
    op.bulk_insert(stamps, [{'name': 'credentials', 'value': 0}])
    op.add_column('idempotency_keys', sa.Column('holder', sa.String(length=32),
                                                nullable=True))


def downgrade() -> None:
    op.drop_column('idempotency_keys', 'holder')
    op.drop_table('stamps')
    op.drop_index('ix_users_credentials_stamp', table_name='users')
    op.drop_column('users', 'credentials_stamp')
    op.drop_column('users', 'token_expires_at')
    op.drop_column('users', 'active')
    append_only.uninstall_truncate_trigger(op.get_bind())
