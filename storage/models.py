"""Bravo's tables. Every row carries the Slack team (workspace) id it belongs to.

The kudos ledger is append-only: a kudos is never updated or deleted; taking one back appends a
``KudosRevocation``. ``KudosTally`` (per day) and ``KudosTotal`` (all time) are rollups kept in the
same transaction as the ledger, so leaderboards read a handful of rows instead of the history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime

# 64-bit ids on PostgreSQL; SQLite only auto-increments a plain INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UtcDateTime(), nullable=nullable, index=index)


class SlackUser(SQLModel, table=True):
    """Cached ``users.info``: name, time zone and whether the account can receive kudos."""

    __tablename__ = "slack_user"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=255)
    tz: str = Field(default="UTC", max_length=64)
    is_bot: bool = False
    deleted: bool = False
    fetched_at: datetime = Field(sa_column=_utc_column())


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
    created_at: datetime = Field(sa_column=_utc_column())


class KudosRevocation(SQLModel, table=True):
    """A kudos taken back (undo within the window, or the reaction was removed)."""

    __tablename__ = "kudos_revocation"
    kudos_id: int = Field(sa_column=Column(BigId, primary_key=True, autoincrement=False))
    team_id: str = Field(max_length=32)
    revoked_by: str = Field(max_length=32)
    why: str = Field(max_length=32)
    revoked_at: datetime = Field(sa_column=_utc_column())


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
    reached_at: datetime = Field(sa_column=_utc_column())


class UserPref(SQLModel, table=True):
    __tablename__ = "user_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    leaderboard_opt_out: bool = False


class ProcessedEvent(SQLModel, table=True):
    """Events API deliveries already acted on, so a retried ``event_id`` has one effect."""

    __tablename__ = "processed_event"
    event_id: str = Field(primary_key=True, max_length=64)
    team_id: str = Field(max_length=32)
    received_at: datetime = Field(sa_column=_utc_column(index=True))


class OutboxRow(SQLModel, table=True):
    """Everything Bravo sends to Slack that must not be lost: written in the same transaction as
    the record it announces, delivered (and retried) by ``bot.delivery``."""

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
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=_utc_column())
    next_attempt_at: datetime = Field(sa_column=_utc_column())
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    result_channel: str | None = Field(default=None, max_length=32)
    result_ts: str | None = Field(default=None, max_length=32)
