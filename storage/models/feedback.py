"""Peer feedback, feedback requests and customer feedback."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class FeedbackVisibility(StrEnum):
    """Who may see feedback as it is given: its recipient only, or their coach too."""

    RECIPIENT = "recipient"
    COACH = "coach"


class FeedbackKind(StrEnum):
    """What feedback sends: outbox kinds, and the kinds of its delivery records."""

    FEEDBACK_DM = "feedback_dm"
    FEEDBACK_NOTE = "feedback_note"
    REQUEST_DM = "feedback_request"
    REQUEST_EDIT = "feedback_request_edit"
    REQUEST_REMINDER = "feedback_request_reminder"
    CUSTOMER_DM = "customer_feedback_dm"
    REMINDER_SENT = "feedback_reminder"  # a request's one reminder (delivery record)
    EXPIRY_SENT = "feedback_expired"  # a request's expiry note (delivery record)


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


class CustomerKind(StrEnum):
    PRAISE = "praise"
    COMPLAINT = "complaint"


class CustomerSource(StrEnum):
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    SURVEY = "survey"
    REVIEW = "review"


class Feedback(SQLModel, table=True):
    """Private feedback from a giver to a recipient. Never posted in a channel: visible to the
    giver, the recipient and, once ``shared_with_coach``, the recipient's active coaches.
    ``fingerprint`` (of giver, recipient and text) makes a duplicate submission a no-op."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "giver_id", "fingerprint"),
        Index("ix_feedback_recipient", "team_id", "recipient_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    giver_id: str = Field(max_length=32)
    recipient_id: str = Field(max_length=32)
    situation: str = Field(sa_column=Column(Text, nullable=False))
    behaviour: str = Field(sa_column=Column(Text, nullable=False))
    impact: str = Field(sa_column=Column(Text, nullable=False))
    suggestion: str = Field(default="", sa_column=Column(Text, nullable=False))
    skill: str = Field(max_length=64)
    shared_with_coach: bool = False
    request_id: int | None = None
    fingerprint: str = Field(max_length=64)
    thanked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    acted_on_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())


class FeedbackRequest(SQLModel, table=True):
    """``requester_id`` asked ``giver_id`` for feedback; one row per person asked (a request
    naming three people writes three rows sharing a ``batch_id``)."""

    __tablename__ = "feedback_request"
    __table_args__ = (
        Index("ix_feedback_request_due", "status", "remind_at"),
        Index("ix_feedback_request_expiry", "status", "expires_at"),
        Index("ix_feedback_request_pair", "team_id", "requester_id", "giver_id", "status"),
        Index("ix_feedback_request_giver", "team_id", "giver_id", "status"),  # the home's "to you"
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    batch_id: str = Field(max_length=36)
    requester_id: str = Field(max_length=32)
    giver_id: str = Field(max_length=32)
    topic: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=RequestStatus.OPEN, max_length=16)  # a RequestStatus
    remind_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    reminded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    expires_at: datetime = Field(sa_column=utc_column())
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    feedback_id: int | None = None
    outbox_id: int | None = None
    created_at: datetime = Field(sa_column=utc_column())


class CustomerFeedback(SQLModel, table=True):
    """What a customer said about a teammate (praise or complaint), logged from a message."""

    __tablename__ = "customer_feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "teammate_id", "source_ref"),
        Index("ix_customer_feedback_teammate", "team_id", "teammate_id", "created_at"),
        # Webhook ratings not yet told (``told_at`` NULL): the digest job's search. Rows logged
        # by hand are never told, so they share the range; they are few next to the webhook's.
        Index("ix_customer_feedback_untold", "told_at", "origin"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    logged_by: str = Field(max_length=32)
    teammate_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)  # a CustomerKind
    rating: int
    source: str = Field(max_length=16)  # a CustomerSource
    text: str = Field(sa_column=Column(Text, nullable=False))
    source_ref: str | None = Field(default=None, max_length=128)  # "<channel>:<ts>"
    kudos_batch_id: str | None = Field(default=None, max_length=36)
    # Ratings that came by webhook (``bot.ratings``): the tool that sent it ("zendesk"), the
    # ticket, and when the teammate was told (NULL: not yet; they are told at a calm pace).
    origin: str | None = Field(default=None, max_length=64)
    ticket_url: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    told_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
