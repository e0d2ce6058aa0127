"""Files waiting in the outbox: an upload's bytes kept in the database (gzip-compressed), so that
whichever process delivers the upload, on whichever machine, can read them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class ExportFile(SQLModel, table=True):
    """One file of a person's export, until it is uploaded to their DM (then deleted). The outbox
    row names it by ``id``; ``user_id`` is whose data it holds (only their DM may get it)."""

    __tablename__ = "export_file"
    __table_args__ = (Index("ix_export_file_person", "team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    name: str = Field(max_length=255)
    size: int  # bytes once decompressed
    gzipped: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=utc_column(index=True))
