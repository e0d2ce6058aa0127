"""practice rounds, ratings, scenarios and plans; Slack status on slack_user

Revision ID: 0014_practice
Revises: 0013
Create Date: 2026-12-03 14:20:00

Practice by role-play (``practice_round``, ``practice_rating``), a workspace's own scenarios
(``practice_scenario``), each person's weekday practice plan (``practice_plan``), and the Slack
status Bravo was last told for each person (``slack_user.status_*``): an away status holds
check-in and practice prompts and one-on-one preps back, as ``/goal away`` does; and whether a
person lets their coaches see their skill profile (``user_pref.profile_to_coaches``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0014_practice"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "practice_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("skill", Str(length=64), nullable=False),
        sa.Column("scenario_key", Str(length=64), nullable=False),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("self_checks", sa.Text(), nullable=True),
        sa.Column("self_note", sa.Text(), nullable=False),
        sa.Column("status", Str(length=16), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("request_key", Str(length=64), nullable=False),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("answered_at", Utc(timezone=True), nullable=True),
        sa.Column("assessed_at", Utc(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key"),
    )
    with op.batch_alter_table("practice_round", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practice_round_person", ["team_id", "user_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_practice_round_skill", ["team_id", "user_id", "skill", "assessed_at"], unique=False
        )

    op.create_table(
        "practice_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", Str(length=32), nullable=False),
        sa.Column("checks", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", Str(length=16), nullable=False),
        sa.Column("asked_at", Utc(timezone=True), nullable=False),
        sa.Column("rated_at", Utc(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["practice_round.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "rater_id"),
    )
    with op.batch_alter_table("practice_rating", schema=None) as batch_op:
        batch_op.create_index(
            "ix_practice_rating_rater", ["team_id", "rater_id", "status"], unique=False
        )

    op.create_table(
        "practice_scenario",
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("key", Str(length=64), nullable=False),
        sa.Column("skill", Str(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("updated_by", Str(length=32), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "key"),
    )

    op.create_table(
        "practice_plan",
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("tz", Str(length=64), nullable=False),
        sa.Column("skill", Str(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_at", Utc(timezone=True), nullable=True),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("last_practised_on", sa.Date(), nullable=True),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    with op.batch_alter_table("practice_plan", schema=None) as batch_op:
        batch_op.create_index("ix_practice_plan_due", ["active", "next_at"], unique=False)

    with op.batch_alter_table("slack_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status_away", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("status_text", Str(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("status_emoji", Str(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("status_expires_at", Utc(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("status_seen_at", Utc(timezone=True), nullable=True))
    with op.batch_alter_table("user_pref", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("profile_to_coaches", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("user_pref", schema=None) as batch_op:
        batch_op.drop_column("profile_to_coaches")
    with op.batch_alter_table("slack_user", schema=None) as batch_op:
        batch_op.drop_column("status_seen_at")
        batch_op.drop_column("status_expires_at")
        batch_op.drop_column("status_emoji")
        batch_op.drop_column("status_text")
        batch_op.drop_column("status_away")
    with op.batch_alter_table("practice_plan", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_plan_due")
    op.drop_table("practice_plan")
    op.drop_table("practice_scenario")
    with op.batch_alter_table("practice_rating", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_rating_rater")
    op.drop_table("practice_rating")
    with op.batch_alter_table("practice_round", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_round_skill")
        batch_op.drop_index("ix_practice_round_person")
    op.drop_table("practice_round")
