"""the agenda's deadline index (dossiers.next_due) and the admission date (dossiers.admitted_on)

`admitted_on` is backfilled from the audit log: the date of the dossier's `approve` entry.
`next_due` is left NULL and the index marked as not built: its values come from the rules and
the deployment's rulebooks, which a migration does not know. `recruitflow init` and
`recruitflow serve` build it next (`recruitflow agenda reindex`); until then the agenda
computes every open dossier, as before.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# As the audit log names them at this revision: the one trigger that admits a person as a
# probationary member (and no transition leads back out of probation to approval).
ADMITTED = """
UPDATE dossiers SET admitted_on = (
    SELECT max(a.effective_date) FROM audit_entries a
    WHERE a.dossier_id = dossiers.id AND a.kind = 'transition' AND a.action = 'approve')
WHERE id IN (SELECT dossier_id FROM audit_entries WHERE kind = 'transition'
             AND action = 'approve')
"""


def upgrade() -> None:
    op.add_column('dossiers', sa.Column('admitted_on', sa.Date(), nullable=True))
    op.add_column('dossiers', sa.Column('next_due', sa.Date(), nullable=True))
    op.execute(ADMITTED)
    op.create_index('ix_dossiers_branch_next_due', 'dossiers', ['branch_id', 'next_due'],
                    unique=False)
    op.create_index('ix_dossiers_branch_admitted_on', 'dossiers', ['branch_id', 'admitted_on'],
                    unique=False)
    derived = op.create_table(
        'derived_indexes',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=True),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_derived_indexes')),
    )
    # Not built: the agenda does not use it before `recruitflow agenda reindex`.
    op.bulk_insert(derived, [{'name': 'agenda', 'fingerprint': None, 'built_at': None}])


def downgrade() -> None:
    op.drop_table('derived_indexes')
    op.drop_index('ix_dossiers_branch_admitted_on', table_name='dossiers')
    op.drop_index('ix_dossiers_branch_next_due', table_name='dossiers')
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a batch copy: SQLite cannot drop and
    # recreate a table that audit entries and members refer to.
    op.drop_column('dossiers', 'next_due')
    op.drop_column('dossiers', 'admitted_on')
