"""What waits to be sent to Slack, and the delivery records of scheduled sends."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its turn (or for a retry)
    SENT = "sent"
    FAILED = "failed"  # Slack refused it for good, or it kept failing for two days
    CANCELLED = "cancelled"  # withdrawn before it went, or an edit of a message never posted


class OutboxRow(SQLModel, table=True):
    """Everything Bravo sends to Slack that must not be lost: written in the same transaction as
    the record it announces, delivered (and retried) by ``bot.outbox``."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_ref", "team_id", "ref"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    method: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    ref: str | None = Field(default=None, max_length=128)
    dedupe_key: str | None = Field(default=None, max_length=255, unique=True)
    notify_user: str | None = Field(default=None, max_length=32)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)  # OutboxStatus
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    next_attempt_at: datetime = Field(sa_column=utc_column())
    claimed_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Set by the claim that takes the row for sending, cleared with its result: a row in doubt
    # whose process died may have reached Slack (bot.outbox.recovery looks before resending).
    in_doubt_since: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    claimed_by: str | None = Field(default=None, max_length=96)  # bot.outbox.recovery.Claimant
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    result_channel: str | None = Field(default=None, max_length=32)
    result_ts: str | None = Field(default=None, max_length=32)  # or, for an upload, its file id


class ScheduledSend(SQLModel, table=True):
    """The delivery record of a scheduled message (prompt, reminder, digest, alert), written in
    the same transaction as its outbox row and before anything is sent. The unique key says
    what, for whom and for which due time, so a retry, a restart or a second process that
    comes to the same due work cannot send it twice."""

    __tablename__ = "scheduled_send"
    __table_args__ = (Index("ix_scheduled_send_kind_due", "kind", "due_at"),)
    key: str = Field(primary_key=True, max_length=255)
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=utc_column())
    outbox_id: int | None = None
    created_at: datetime = Field(sa_column=utc_column())
