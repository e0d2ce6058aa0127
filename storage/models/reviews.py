"""Quality reviews of a conversation with a customer, and calibration rounds between reviewers.

Both are private: a review is seen by its agent, its reviewer, the agent's active coaches and
the leads of the agent's team channels (``bot.reviews``); a calibration round by the lead who
opened it and the reviewers invited. No score is ever shown in a channel or a leaderboard.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class ReviewStatus(StrEnum):
    SENT = "sent"  # the agent has it, not yet acknowledged
    ACKNOWLEDGED = "acknowledged"
    DISCUSSING = "discussing"  # the agent asked to discuss it
    KEPT = "kept"  # discussed: the scores stand
    CHANGED = "changed"  # discussed: the reviewer changed scores


class ReviewOutcome(StrEnum):
    """What happened for the customer in the reviewed conversation."""

    RESOLVED = "resolved"
    PARTLY = "partly"
    UNRESOLVED = "unresolved"
    ESCALATED = "escalated"


class Review(SQLModel, table=True):
    """A reviewer's scorecard of one conversation of ``agent_id`` (a ticket or a call)."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key"),
        Index("ix_review_agent", "team_id", "agent_id", "created_at"),
        Index("ix_review_reviewer", "team_id", "reviewer_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    agent_id: str = Field(max_length=32)
    reviewer_id: str = Field(max_length=32)
    link: str = Field(sa_column=Column(Text, nullable=False))  # the ticket's or call's URL
    outcome: str = Field(max_length=16)  # a ReviewOutcome
    went_well: str = Field(default="", sa_column=Column(Text, nullable=False))
    try_next: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=ReviewStatus.SENT, max_length=16)  # a ReviewStatus
    discuss_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    discuss_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Where the discussion happens (a group DM of agent, reviewer and lead) once asked for.
    discuss_channel: str | None = Field(default=None, max_length=32)
    goal_id: int | None = None  # the goal the agent made from it, if any
    # The submission that made it (view id or trigger id): a second delivery is a no-op.
    request_key: str = Field(max_length=64)
    acknowledged_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    discussed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    settled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class ReviewScore(SQLModel, table=True):
    """One skill's score in a review (``score`` NULL: not applicable). ``agent_id`` and
    ``created_at`` are the review's, copied so per-skill averages read one index."""

    __tablename__ = "review_score"
    __table_args__ = (
        UniqueConstraint("review_id", "skill"),
        Index("ix_review_score_agent", "team_id", "agent_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    review_id: int = Field(foreign_key="review.id")
    agent_id: str = Field(max_length=32)
    skill: str = Field(max_length=64)
    score: int | None = None  # 1..SCALE, None: not applicable
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=utc_column())


class CalibrationStatus(StrEnum):
    OPEN = "open"  # reviewers are scoring, blind to each other
    REVEALED = "revealed"  # everyone scored, or the deadline passed: the spread is shown
    AGREED = "agreed"  # the lead recorded the agreed scores
    CANCELLED = "cancelled"


class Calibration(SQLModel, table=True):
    """A lead asks several reviewers to score the same conversation, blind, then compare."""

    __tablename__ = "calibration"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key"),
        Index("ix_calibration_lead", "team_id", "lead_id", "created_at"),
        Index("ix_calibration_due", "status", "deadline_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    lead_id: str = Field(max_length=32)
    agent_id: str | None = Field(default=None, max_length=32)  # whose conversation, if named
    link: str = Field(sa_column=Column(Text, nullable=False))
    # The skills every reviewer scores, comma-separated: the workspace's values when the round
    # opened (a change to them later does not change what a round compares).
    skills: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=CalibrationStatus.OPEN, max_length=16)
    deadline_at: datetime = Field(sa_column=utc_column())
    # The share of skills on which every reviewer was within one point (0..1), at the reveal.
    agreement: float | None = None
    request_key: str = Field(max_length=64)
    revealed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    agreed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())


class CalibrationReviewer(SQLModel, table=True):
    """An invited reviewer of a calibration round; ``submitted_at`` once they scored."""

    __tablename__ = "calibration_reviewer"
    __table_args__ = (
        UniqueConstraint("calibration_id", "reviewer_id"),
        Index("ix_calibration_reviewer_person", "team_id", "reviewer_id", "calibration_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    calibration_id: int = Field(foreign_key="calibration.id")
    reviewer_id: str = Field(max_length=32)
    submitted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    outbox_id: int | None = None


class CalibrationScore(SQLModel, table=True):
    """One reviewer's score for one skill in a round (``agreed``: the lead's agreed score)."""

    __tablename__ = "calibration_score"
    __table_args__ = (UniqueConstraint("calibration_id", "reviewer_id", "skill", "agreed"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    calibration_id: int = Field(foreign_key="calibration.id")
    reviewer_id: str = Field(max_length=32)
    skill: str = Field(max_length=64)
    score: int | None = None  # None: not applicable
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    agreed: bool = False
    created_at: datetime = Field(sa_column=utc_column())
