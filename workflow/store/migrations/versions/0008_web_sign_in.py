"""sign-in to the web interface: users.login and users.password_hash; failed sign-ins

Existing users keep their tokens and have no login until an administrator gives them one.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('login', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch.create_unique_constraint('uq_users_login', ['login'])
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
    )
    op.create_index('ix_sign_in_failures_key_failed_at', 'sign_in_failures',
                    ['key', 'failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sign_in_failures_key_failed_at', table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_login', type_='unique')
        batch.drop_column('password_hash')
        batch.drop_column('login')
