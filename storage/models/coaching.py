"""Coaching pairings and their statuses."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class PairingStatus(StrEnum):
    PENDING = "pending"  # asked; nothing shared until the coachee accepts
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"  # by either side, or an unanswered offer withdrawn


class CoachPairing(SQLModel, table=True):
    """``coach_id`` coaches ``coachee_id`` once the coachee accepts. One row per pair, reused
    when a pair asks again after a decline or an end."""

    __tablename__ = "coach_pairing"
    __table_args__ = (
        UniqueConstraint("team_id", "coach_id", "coachee_id"),
        Index("ix_coach_pairing_coachee", "team_id", "coachee_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    coach_id: str = Field(max_length=32)
    coachee_id: str = Field(max_length=32)
    status: str = Field(default=PairingStatus.PENDING, max_length=16)  # PairingStatus
    requested_at: datetime = Field(sa_column=utc_column())
    responded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ended_by: str | None = Field(default=None, max_length=32)
