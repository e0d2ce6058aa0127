"""Coaching pairings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


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
    status: str = Field(default="pending", max_length=16)  # pending | active | declined | ended
    requested_at: datetime = Field(sa_column=utc_column())
    responded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    ended_by: str | None = Field(default=None, max_length=32)
