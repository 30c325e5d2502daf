"""objection contacts of committees, loaded holiday tables, calendar feeds

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.add_column(sa.Column('objection_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('objection_email', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('objection_address', sa.String(length=400), nullable=True))
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('workdays', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    sa.UniqueConstraint('revision', name=op.f('uq_calendar_years_revision'))
    )
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_calendar_feeds_secret_hash'))
    )


def downgrade() -> None:
    op.drop_table('calendar_feeds')
    op.drop_table('calendar_years')
    with op.batch_alter_table('organizations') as batch_op:
        batch_op.drop_column('objection_address')
        batch_op.drop_column('objection_email')
        batch_op.drop_column('objection_phone')
