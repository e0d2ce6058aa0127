"""installations (tokens encrypted) and OAuth states

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:30:00

When Bravo is installed by OAuth (``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``), each
workspace's installation is kept in ``installation`` with its tokens sealed by
``BRAVO_ENCRYPTION_KEY`` (Fernet), and each state handed to an installer in ``oauth_state``
(used once, for ten minutes).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "installation",
        sa.Column("client_id", Str(length=64), nullable=False),
        sa.Column("enterprise_id", Str(length=32), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("app_id", Str(length=32), nullable=True),
        sa.Column("enterprise_name", Str(length=256), nullable=True),
        sa.Column("enterprise_url", Str(length=512), nullable=True),
        sa.Column("team_name", Str(length=256), nullable=True),
        sa.Column("bot_id", Str(length=32), nullable=True),
        sa.Column("bot_user_id", Str(length=32), nullable=True),
        sa.Column("bot_scopes", sa.Text(), nullable=False),
        sa.Column("bot_token_sealed", sa.Text(), nullable=True),
        sa.Column("bot_refresh_token_sealed", sa.Text(), nullable=True),
        sa.Column("bot_token_expires_at", Utc(timezone=True), nullable=True),
        sa.Column("installer_user_id", Str(length=32), nullable=True),
        sa.Column("token_type", Str(length=16), nullable=True),
        sa.Column("installed_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "enterprise_id", "team_id"),
    )
    op.create_index("ix_installation_team_id", "installation", ["team_id"])
    op.create_table(
        "oauth_state",
        sa.Column("state", Str(length=64), nullable=False),
        sa.Column("expires_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_index("ix_oauth_state_expires_at", "oauth_state", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_oauth_state_expires_at", table_name="oauth_state")
    op.drop_table("oauth_state")
    op.drop_index("ix_installation_team_id", table_name="installation")
    op.drop_table("installation")
