"""Team channels for the weekly shout-out, their members and leads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class AllowedRole(StrEnum):
    """Who may do something to a team channel's shout-outs (``NotAllowedError.needs``)."""

    ADMIN = "admin"
    LEAD = "lead"
    LEAD_OR_OWNER = "lead_or_owner"


class ShoutoutSend(StrEnum):
    """Delivery records (``ScheduledSend.kind``) of the shout-outs job."""

    SHOUTOUT = "shoutout"
    FAIRNESS = "fairness"
    STOPPED = "stopped"


class ShoutoutChannel(SQLModel, table=True):
    """A team channel: its weekly shout-out (local weekday and time in ``tz``), who turned it on,
    and the fairness note. The team is the channel's members (``ShoutoutMember``)."""

    __tablename__ = "shoutout_channel"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    weekday: int = 4  # 0 = Monday
    minute: int = 16 * 60  # local time, minutes after midnight
    tz: str = Field(default="UTC", max_length=64)
    enabled_by: str = Field(max_length=32)
    creator_id: str | None = Field(default=None, max_length=32)  # the channel's creator: a lead
    fairness_to: str | None = Field(default=None, max_length=32)  # the lead who gets the note
    members_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Nothing is due before this (turning shout-outs on just after the hour posts next week).
    since: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class ShoutoutMember(SQLModel, table=True):
    """Who is in a team channel, as Slack last said (``conversations.members``)."""

    __tablename__ = "shoutout_member"
    __table_args__ = (Index("ix_shoutout_member_user", "team_id", "user_id"),)
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)


class TeamLead(SQLModel, table=True):
    """A team lead an admin named for a team channel (the channel's creator is one anyway)."""

    __tablename__ = "team_lead"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    named_by: str = Field(max_length=32)
    named_at: datetime = Field(sa_column=utc_column())
