"""outbox rows in flight: when a row became in doubt, and which process claimed it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:10:00

``in_doubt_since`` is set in the statement that claims a row for sending (committed before the
Web API call) and cleared when its result is written: a row still in doubt after its process
died may or may not have reached Slack, so it is looked for in Slack before it is sent again.
``claimed_by`` names the process (host, pid and a token of its run) so that a process starting
on the same host can tell the rows of a dead predecessor from a live neighbour's. No index:
only a process starting reads them (through ``ix_outbox_due``, status 'pending'), and every
claim and result writes them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_doubt_since", storage.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=96), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("in_doubt_since")
