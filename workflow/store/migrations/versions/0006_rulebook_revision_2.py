"""rulebook revision 2: audit entries name their revision; the conversion meeting's motion

- `audit_entries.revision`: the revision of the rulebook an act was judged by. Every entry
  already stored was judged by revision 1 (the server default); its hash stays as it is (the
  revision is hashed only from revision 2 on, see workflow.domain.audit).
- `dossiers.motion`: the branch meeting's resolution on a probationary member while the
  committee has not approved it. Under revision 1 a dossier awaiting the approval of its
  conversion could only have voted to convert: it is given that motion, so that
  `approve_conversion` does for it what it did under revision 1. Dossiers extended or
  disqualified under revision 1 keep their state and dates: nothing else is rewritten.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_DOSSIERS = sa.table('dossiers', sa.column('state', sa.String), sa.column('motion', sa.JSON))
IN_FLIGHT = {"motion": "convert", "months": None, "reason": None, "from": "conversion_vote"}


def upgrade() -> None:
    # ALTER TABLE … ADD COLUMN on both databases: no copy of the append-only audit table.
    op.add_column('audit_entries', sa.Column('revision', sa.SmallInteger(), nullable=False,
                                             server_default='1'))
    op.add_column('dossiers', sa.Column('motion', sa.JSON(), nullable=True))
    op.execute(_DOSSIERS.update().where(_DOSSIERS.c.state == 'conversion_approval')
               .values(motion=IN_FLIGHT))


def downgrade() -> None:
    # An entry of revision 2 is hashed with its revision, and its acts (motions, failed votes,
    # corrections) mean nothing to revision 1: downgrading would lose them, so it refuses.
    written = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM audit_entries WHERE revision <> 1")).scalar_one()
    if written:
        raise RuntimeError(f"{written} audit entries were written under rulebook revision 2; "
                           "a downgrade would break their hashes")
    op.drop_column('dossiers', 'motion')
    op.drop_column('audit_entries', 'revision')
