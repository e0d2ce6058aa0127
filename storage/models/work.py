"""Requests acked by the web process and waiting for a ``bravo worker`` (queue mode)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class WorkItem(SQLModel, table=True):
    """One Slack request whose work after the ack is still to do: its body (as Bolt parsed and
    cleaned it), replayed by a worker through the same Bolt app. ``claimed_at`` is set by the
    worker that took it; a claim older than the timeout is taken again (that worker died)."""

    __tablename__ = "work_item"
    __table_args__ = (Index("ix_work_item_todo", "done_at", "claimed_at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    body: str = Field(sa_column=Column(Text, nullable=False))
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    done_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    failed: bool = False
