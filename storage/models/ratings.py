"""Customer ratings that arrive by webhook from a help desk or survey tool.

Each workspace has one hook: a public id in its URL and a secret (sealed with Bravo's
encryption key, as tokens are) that signs each request. A rating for an agent Bravo can match
joins ``customer_feedback``; one it cannot match waits in ``unmatched_rating`` for an admin.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import BigId, utc_column


class RatingHook(SQLModel, table=True):
    __tablename__ = "rating_hook"
    team_id: str = Field(primary_key=True, max_length=32)
    hook_id: str = Field(max_length=64, unique=True)  # in the URL: not a secret
    secret_sealed: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=utc_column())
    rotated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class HookReceipt(SQLModel, table=True):
    """A signature already accepted (a replay of it is refused); kept for the signature's
    five-minute window and a little more, then purged."""

    __tablename__ = "hook_receipt"
    __table_args__ = (
        UniqueConstraint("team_id", "signature_hash"),
        Index("ix_hook_receipt_age", "received_at"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True))
    team_id: str = Field(max_length=32)
    signature_hash: str = Field(max_length=64)
    received_at: datetime = Field(sa_column=utc_column())


class RatingState(StrEnum):
    PENDING = "pending"  # accepted, its agent not looked up yet (that happens after the ack)
    UNMATCHED = "unmatched"  # nobody found: waits for an admin
    MATCHED = "matched"  # in customer_feedback (``feedback_id``)
    DISMISSED = "dismissed"  # an admin dismissed it


class UnmatchedRating(SQLModel, table=True):
    """Every rating the webhook accepts, recorded before the answer: its unique ``dedupe_key``
    stores the same ticket and source once. It is unmatched until its agent is looked up (after
    the ack); then it joins ``customer_feedback`` (``matched``), or waits here for an admin to
    match or dismiss it (``unmatched``). A resolved row keeps only what dedupe needs: its
    comment and ticket go (they live on in ``customer_feedback`` when matched)."""

    __tablename__ = "unmatched_rating"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key"),
        Index("ix_unmatched_rating_open", "team_id", "state", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    agent_slack_id: str | None = Field(default=None, max_length=32)
    agent_email: str | None = Field(default=None, max_length=254)
    rating: int  # 1..5 (CSAT "good" is 5, "bad" is 1)
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(max_length=64)
    ticket_url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    dedupe_key: str = Field(max_length=64)  # hash of source and ticket (or of the body)
    resolved_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    resolved_by: str | None = Field(default=None, max_length=32)
    matched_to: str | None = Field(default=None, max_length=32)  # None when dismissed
    state: str = Field(default=RatingState.PENDING, max_length=16)  # a RatingState
    feedback_id: int | None = None  # the customer_feedback row, once matched
    created_at: datetime = Field(sa_column=utc_column())
