"""review, calibration and customer ratings by webhook

Revision ID: 0013
Revises: 0012_replay_key
Create Date: 2026-12-03 10:25:00

Quality reviews (``review``, ``review_score``), calibration rounds (``calibration``,
``calibration_reviewer``, ``calibration_score``), the customer-rating webhook (``rating_hook``,
``hook_receipt``, ``unmatched_rating``), where a webhook rating came from on
``customer_feedback``, who may review (``workspace_config.review_scope``), and an index for the
feedback requests waiting on a person (the Home tab's "to you").
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = "0013"
down_revision: str | None = "0012_replay_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calibration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("lead_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agent_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("deadline_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("revealed_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("agreed_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key"),
    )
    with op.batch_alter_table("calibration", schema=None) as batch_op:
        batch_op.create_index("ix_calibration_due", ["status", "deadline_at"], unique=False)
        batch_op.create_index(
            "ix_calibration_lead", ["team_id", "lead_id", "created_at"], unique=False
        )

    op.create_table(
        "hook_receipt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("signature_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "signature_hash"),
    )
    with op.batch_alter_table("hook_receipt", schema=None) as batch_op:
        batch_op.create_index("ix_hook_receipt_age", ["received_at"], unique=False)

    op.create_table(
        "rating_hook",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("hook_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("team_id"),
        sa.UniqueConstraint("hook_id"),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agent_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("reviewer_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("try_next", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("discuss_reason", sa.Text(), nullable=True),
        sa.Column("discuss_note", sa.Text(), nullable=True),
        sa.Column("discuss_channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("acknowledged_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("discussed_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("settled_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_agent", ["team_id", "agent_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_review_reviewer", ["team_id", "reviewer_id", "created_at"], unique=False
        )

    op.create_table(
        "unmatched_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("agent_slack_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("agent_email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ticket_url", sa.Text(), nullable=True),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("resolved_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("matched_to", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "dedupe_key"),
    )
    with op.batch_alter_table("unmatched_rating", schema=None) as batch_op:
        batch_op.create_index("ix_unmatched_rating_open", ["team_id", "state", "id"], unique=False)

    op.create_table(
        "calibration_reviewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("submitted_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["calibration_id"],
            ["calibration.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("calibration_id", "reviewer_id"),
    )
    with op.batch_alter_table("calibration_reviewer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calibration_reviewer_person",
            ["team_id", "reviewer_id", "calibration_id"],
            unique=False,
        )

    op.create_table(
        "calibration_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("skill", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calibration_id"],
            ["calibration.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("calibration_id", "reviewer_id", "skill", "agreed"),
    )
    op.create_table(
        "review_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("skill", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "skill"),
    )
    with op.batch_alter_table("review_score", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_score_agent", ["team_id", "agent_id", "created_at"], unique=False
        )

    op.create_index(
        "ix_feedback_request_giver", "feedback_request", ["team_id", "giver_id", "status"]
    )
    with op.batch_alter_table("customer_feedback", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("ticket_url", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("told_at", storage.types.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_customer_feedback_untold", "customer_feedback", ["told_at", "origin"])

    with op.batch_alter_table("workspace_config", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )


def downgrade() -> None:
    op.drop_index("ix_feedback_request_giver", table_name="feedback_request")
    op.drop_index("ix_customer_feedback_untold", table_name="customer_feedback")
    with op.batch_alter_table("workspace_config", schema=None) as batch_op:
        batch_op.drop_column("review_scope")

    with op.batch_alter_table("customer_feedback", schema=None) as batch_op:
        batch_op.drop_column("told_at")
        batch_op.drop_column("ticket_url")
        batch_op.drop_column("origin")

    with op.batch_alter_table("review_score", schema=None) as batch_op:
        batch_op.drop_index("ix_review_score_agent")

    op.drop_table("review_score")
    op.drop_table("calibration_score")
    with op.batch_alter_table("calibration_reviewer", schema=None) as batch_op:
        batch_op.drop_index("ix_calibration_reviewer_person")

    op.drop_table("calibration_reviewer")
    with op.batch_alter_table("unmatched_rating", schema=None) as batch_op:
        batch_op.drop_index("ix_unmatched_rating_open")

    op.drop_table("unmatched_rating")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_reviewer")
        batch_op.drop_index("ix_review_agent")

    op.drop_table("review")
    op.drop_table("rating_hook")
    with op.batch_alter_table("hook_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_hook_receipt_age")

    op.drop_table("hook_receipt")
    with op.batch_alter_table("calibration", schema=None) as batch_op:
        batch_op.drop_index("ix_calibration_lead")
        batch_op.drop_index("ix_calibration_due")

    op.drop_table("calibration")
