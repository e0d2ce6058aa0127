"""one-on-ones: the recurring series, each meeting's topics and notes, action items

Revision ID: 0015_one_on_ones
Revises: 0014_practice
Create Date: 2026-12-03 14:45:00

A coach's recurring one-on-one with a coachee (``one_on_one``), each meeting with the coachee's
topics and the notes private to the two of them (``one_on_one_meeting``), and the action items
that come out of a meeting (``action_item``: a goal for the coachee once they agree, or a
follow-up for the coach), open ones carried into the next prep.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0015_one_on_ones"
down_revision: str | None = "0014_practice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "one_on_one",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("coach_id", Str(length=32), nullable=False),
        sa.Column("coachee_id", Str(length=32), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("tz", Str(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_at", Utc(timezone=True), nullable=True),
        sa.Column("prepped_for", Utc(timezone=True), nullable=True),
        sa.Column("created_by", Str(length=32), nullable=False),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "coach_id", "coachee_id"),
    )
    with op.batch_alter_table("one_on_one", schema=None) as batch_op:
        batch_op.create_index("ix_one_on_one_due", ["active", "next_at"], unique=False)
        batch_op.create_index(
            "ix_one_on_one_coachee", ["team_id", "coachee_id", "active"], unique=False
        )

    op.create_table(
        "one_on_one_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("at", Utc(timezone=True), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("noted_by", Str(length=32), nullable=True),
        sa.Column("noted_at", Utc(timezone=True), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["one_on_one.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series_id", "at"),
    )
    with op.batch_alter_table("one_on_one_meeting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_one_on_one_meeting_pair", ["team_id", "series_id", "at"], unique=False
        )

    op.create_table(
        "action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("owner", Str(length=16), nullable=False),
        sa.Column("owner_id", Str(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", Str(length=16), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["one_on_one_meeting.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["one_on_one.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_item_series", ["team_id", "series_id", "state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_index("ix_action_item_series")
    op.drop_table("action_item")
    with op.batch_alter_table("one_on_one_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_one_on_one_meeting_pair")
    op.drop_table("one_on_one_meeting")
    with op.batch_alter_table("one_on_one", schema=None) as batch_op:
        batch_op.drop_index("ix_one_on_one_coachee")
        batch_op.drop_index("ix_one_on_one_due")
    op.drop_table("one_on_one")
