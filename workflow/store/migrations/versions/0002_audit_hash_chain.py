"""audit hash chain, append-only triggers, indexes for auditors' queries

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from workflow.domain.audit import GENESIS, AuditEntry, entry_hash
from workflow.store import append_only

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

HASHED = ("dossier_id", "seq", "kind", "action", "from_state", "to_state", "effective_date",
          "payload", "actor_id", "actor_name", "actor_role", "recorded_at", "request_id",
          "rulebook_id")


def _backfill(connection) -> None:
    """Chain the entries written before this revision, dossier by dossier, in seq order."""
    entries = sa.table("audit_entries", sa.column("id"), sa.column("payload", sa.JSON),
                       sa.column("recorded_at", sa.DateTime(timezone=True)),
                       sa.column("effective_date", sa.Date),
                       sa.column("prev_hash"), sa.column("hash"),
                       *(sa.column(c) for c in HASHED
                         if c not in ("payload", "recorded_at", "effective_date")))
    rows = connection.execute(
        sa.select(entries).order_by(entries.c.dossier_id, entries.c.seq)
    ).all()
    dossier_id, prev = None, GENESIS
    for row in rows:
        if row.dossier_id != dossier_id:
            dossier_id, prev = row.dossier_id, GENESIS
        entry = AuditEntry(**{c: getattr(row, c) for c in HASHED})
        digest = entry_hash(entry, prev)
        connection.execute(sa.update(entries).where(entries.c.id == row.id)
                           .values(prev_hash=prev, hash=digest))
        prev = digest


def upgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index('ix_audit_entries_actor')
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_action_id', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_effective_date', ['effective_date'],
                              unique=False)
    append_only.install(op.get_bind())


def downgrade() -> None:
    append_only.uninstall(op.get_bind())
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_effective_date')
        batch_op.drop_index('ix_audit_entries_action_id')
        batch_op.drop_index('ix_audit_entries_actor_id')
        batch_op.create_index('ix_audit_entries_actor', ['actor_id'], unique=False)
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
