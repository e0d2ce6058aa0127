"""work_item: requests acked by the web process, for ``bravo worker`` (queue mode)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:40:00

With ``bravo run --http --queue`` the web process verifies, acks and records each request whose
work comes after the ack here; ``bravo worker`` processes claim them (``FOR UPDATE SKIP LOCKED``
on PostgreSQL) and replay them through the same Bolt app.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "work_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", Str(length=128), nullable=True),
        sa.Column("claimed_at", Utc(timezone=True), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("done_at", Utc(timezone=True), nullable=True),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_work_item_todo", "work_item", ["done_at", "claimed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_work_item_todo", table_name="work_item")
    op.drop_table("work_item")
