"""export_file: an export's files kept in the database until they are uploaded

Revision ID: 0011_export_file
Revises: 0010
Create Date: 2026-12-03 10:40:00

``/bravo export`` used to put its files, base64-encoded, inside the outbox row's JSON payload;
now the outbox row names an ``export_file`` row holding the file gzip-compressed, which is deleted
once uploaded (and by erasure and the retention job).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0011_export_file"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Utc = storage.types.UtcDateTime
Str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "export_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("user_id", Str(length=32), nullable=False),
        sa.Column("name", Str(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("gzipped", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", Utc(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_export_file_person", "export_file", ["team_id", "user_id"])
    op.create_index("ix_export_file_created_at", "export_file", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_export_file_created_at", table_name="export_file")
    op.drop_index("ix_export_file_person", table_name="export_file")
    op.drop_table("export_file")
