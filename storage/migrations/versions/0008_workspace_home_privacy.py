"""a workspace's own settings and their log, Home tab viewers, erasures, departed accounts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:20:00

Settings move from the environment into the database, per workspace (``workspace_config``; a
NULL column means the environment's default), and every change is logged (``setting_change``).
``home_viewer`` lists who opened the Home tab (only their homes are refreshed). ``erasure``
records that someone was erased without naming them. ``slack_user.departed_at`` (when an
account was first seen deactivated) serves the automatic erasure of people who left.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "workspace_config",
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("values_csv", Str(length=1024), nullable=True),
        sa.Column("emoji", Str(length=64), nullable=True),
        sa.Column("daily_allowance", sa.Integer(), nullable=True),
        sa.Column("per_recipient_daily_cap", sa.Integer(), nullable=True),
        sa.Column("kudos_channel", Str(length=32), nullable=True),
        sa.Column("shoutout_weekday", sa.Integer(), nullable=True),
        sa.Column("shoutout_minute", sa.Integer(), nullable=True),
        sa.Column("admins_csv", Str(length=2048), nullable=True),
        sa.Column("erase_departed_after_days", sa.Integer(), nullable=True),
        sa.Column("uninstalled_at", Utc(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "setting_change",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("key", Str(length=64), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("changed_by", Str(length=32), nullable=False),
        sa.Column("changed_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_setting_change_team_at", "setting_change", ["team_id", "changed_at"])
    op.create_table(
        "home_viewer",
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("opened_at", Utc(timezone=True), nullable=False),
        sa.Column("dirty_at", Utc(timezone=True), nullable=True),
        sa.Column("published_at", Utc(timezone=True), nullable=True),
        sa.Column("published_hash", Str(length=64), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )
    op.create_index("ix_home_viewer_dirty", "home_viewer", ["dirty_at"])
    op.create_table(
        "erasure",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("subject_key", Str(length=64), nullable=False),
        sa.Column("requested_by", Str(length=32), nullable=True),
        sa.Column("why", Str(length=32), nullable=False),
        sa.Column("erased_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_erasure_team_id"), "erasure", ["team_id"])
    with op.batch_alter_table("slack_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("departed_at", Utc(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("slack_user", schema=None) as batch_op:
        batch_op.drop_column("departed_at")
    op.drop_index(op.f("ix_erasure_team_id"), table_name="erasure")
    op.drop_table("erasure")
    op.drop_index("ix_home_viewer_dirty", table_name="home_viewer")
    op.drop_table("home_viewer")
    op.drop_index("ix_setting_change_team_at", table_name="setting_change")
    op.drop_table("setting_change")
    op.drop_table("workspace_config")
