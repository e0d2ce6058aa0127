"""suggestions are previewed before they are posted (drafts), and admins can hide one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 04:30:00

``suggestion_draft`` records what became of a previewed suggestion (keyed by the random nonce
its buttons carry, no author), so a double click posts it once; it holds the text only of a
draft too long for the buttons, until it is posted or cancelled. ``suggestion`` gains who hid it,
when and why.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion_draft",
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.PrimaryKeyConstraint("nonce"),
        sa.CheckConstraint(
            "outcome IN ('pending', 'posted', 'cancelled')", name="ck_suggestion_draft_outcome"
        ),
    )
    with op.batch_alter_table("suggestion") as batch:
        batch.add_column(sa.Column("hidden_at", storage.types.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("hidden_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch.add_column(
            sa.Column("hidden_reason", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("suggestion") as batch:
        batch.drop_column("hidden_reason")
        batch.drop_column("hidden_by")
        batch.drop_column("hidden_at")
    op.drop_table("suggestion_draft")
