"""The kudos ledger and its rollups.

The ledger is append-only: a kudos is never updated or deleted; taking one back appends a
``KudosRevocation``. ``KudosTally`` (per day) and ``KudosTotal`` (all time) are rollups kept in the
same transaction as the ledger, so leaderboards read a handful of rows instead of the history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import BigId, utc_column


class KudosSource(StrEnum):
    """Where a kudos was given (``Kudos.source``)."""

    COMMAND = "command"  # /kudos @ana for ...
    MODAL = "modal"  # the form /kudos opens
    SHORTCUT = "shortcut"  # the message shortcut (the form, about one message)
    REACTION = "reaction"  # the kudos emoji on a message
    CUSTOMER = "customer"  # a customer's praise, passed on (feedback)
    LESSON = "lesson"  # "This helped me" on a lesson: thanks for sharing what they learned


class RevocationReason(StrEnum):
    """Why a kudos was taken back (``KudosRevocation.why``)."""

    UNDO = "undo"
    REACTION_REMOVED = "reaction_removed"


class MilestoneKind(StrEnum):
    """What a milestone counts (``Milestone.kind``)."""

    RECEIVED = "received"  # kudos received
    GIVING_STREAK = "giving_streak"  # weeks in a row giving kudos
    CHECKIN_STREAK = "checkin_streak"  # a goal's check-ins in a row (goals)


class Kudos(SQLModel, table=True):
    """One giver recognising one recipient. A command naming three people writes three rows that
    share a ``batch_id``. ``reason`` is stored as mrkdwn that is already safe to post."""

    __tablename__ = "kudos"
    __table_args__ = (
        Index("ix_kudos_team_created", "team_id", "created_at"),
        Index("ix_kudos_team_giver_created", "team_id", "giver_id", "created_at"),
        Index("ix_kudos_team_recipient_created", "team_id", "recipient_id", "created_at"),
        Index("ix_kudos_team_batch", "team_id", "batch_id"),
        Index("ix_kudos_team_source", "team_id", "source_ref"),
    )
    id: int | None = Field(
        default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True)
    )
    team_id: str = Field(max_length=32)
    batch_id: str = Field(max_length=36)
    giver_id: str = Field(max_length=32)
    recipient_id: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    values: str = Field(default="", max_length=512)
    channel_id: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=16)
    source_ref: str | None = Field(default=None, max_length=128)
    created_at: datetime = Field(sa_column=utc_column())


class KudosRevocation(SQLModel, table=True):
    """A kudos taken back (undo within the window, or the reaction was removed)."""

    __tablename__ = "kudos_revocation"
    kudos_id: int = Field(sa_column=Column(BigId, primary_key=True, autoincrement=False))
    team_id: str = Field(max_length=32)
    revoked_by: str = Field(max_length=32)
    why: str = Field(max_length=32)
    revoked_at: datetime = Field(sa_column=utc_column())


class KudosTally(SQLModel, table=True):
    """Kudos received per UTC day, person and value (``value == ""`` counts every kudos once).

    The key leads with the person (their own recent counts are one range read); the board index
    covers ``received`` so a leaderboard is read from the index alone."""

    __tablename__ = "kudos_tally"
    __table_args__ = (
        Index("ix_kudos_tally_board", "team_id", "value", "day", "user_id", "received"),
    )
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    day: date = Field(primary_key=True)
    received: int = 0


class KudosTotal(SQLModel, table=True):
    """All-time kudos per person and value; ``given`` is kept on the ``value == ""`` row."""

    __tablename__ = "kudos_total"
    __table_args__ = (Index("ix_kudos_total_board", "team_id", "value", "received"),)
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    received: int = 0
    given: int = 0


class GivingStreak(SQLModel, table=True):
    """Weeks in a row (in the giver's time zone) with at least one kudos given."""

    __tablename__ = "giving_streak"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    last_week: date
    current: int = 0
    best: int = 0


class Milestone(SQLModel, table=True):
    """A milestone reached; the unique key makes each one celebrated exactly once."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("team_id", "user_id", "kind", "threshold"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    threshold: int
    reached_at: datetime = Field(sa_column=utc_column())


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already acted on, so a retried ``event_id`` has one effect."""

    __tablename__ = "processed_event"
    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(max_length=32)
    received_at: datetime = Field(sa_column=utc_column(index=True))


Index("ix_milestone_team_reached", Milestone.team_id, Milestone.reached_at)  # type: ignore[arg-type]
