"""the admission date (dossiers.admitted_on), backfilled from the audit log

`admitted_on` is the date of the dossier's `approve` entry: statistics read the admissions of a
period from the dossiers of a scope instead of searching the nationwide log.

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
    op.execute(ADMITTED)
    op.create_index('ix_dossiers_branch_admitted_on', 'dossiers', ['branch_id', 'admitted_on'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_dossiers_branch_admitted_on', table_name='dossiers')
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a batch copy: SQLite cannot drop and
    # recreate a table that audit entries and members refer to.
    op.drop_column('dossiers', 'admitted_on')
