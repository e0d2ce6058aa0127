"""org_workspace: the workspaces of an Enterprise Grid org-wide install, as they are seen

Revision ID: 0012_replay_key
Revises: 0011_export_file
Create Date: 2026-12-03 10:40:00

An org-wide install has one bot token for the organisation and no team. Requests name their
workspace and enterprise; scheduled work knows only the workspace. Each workspace of the
organisation is recorded (at install, from ``auth.teams.list``, and at its first request), so a
job finds the organisation's token from the workspace alone, and an uninstall of the
organisation stops every workspace of it.

(Replayed requests need no new table: they reuse ``processed_event``.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0012_replay_key"
down_revision: str | None = "0011_export_file"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "org_workspace",
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("enterprise_id", Str(length=32), nullable=False),
        sa.Column("seen_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_index("ix_org_workspace_enterprise", "org_workspace", ["enterprise_id"])


def downgrade() -> None:
    op.drop_index("ix_org_workspace_enterprise", table_name="org_workspace")
    op.drop_table("org_workspace")
