"""Goals, check-in prompts, check-ins and the tips people have seen; their statuses and kinds.

Columns stay text: a ``StrEnum`` member is a ``str``, so stored values and comparisons are the
plain words below."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class GoalStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class Visibility(StrEnum):
    """Who may see a goal besides its owner."""

    PRIVATE = "private"  # nobody
    COACH = "coach"  # their coaches
    PUBLIC = "public"  # their coaches; everyone once it is completed


class CadenceKind(StrEnum):
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"


class PromptStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    MISSED = "missed"
    CLOSED = "closed"  # set aside by a pause or a vacation, or its goal was closed


class CheckInStatus(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"
    DONE = "done"


class CheckInSource(StrEnum):
    PROMPT = "prompt"  # from a prompt: its buttons, or its note
    NOTE = "note"  # on the owner's own, answering the prompt that was waiting
    SELF = "self"  # on the owner's own, no prompt waiting


class Goal(SQLModel, table=True):
    """A SMART goal. ``next_due_at`` is the source of truth for the next check-in prompt: the
    scheduler reads what is due from here, so a restart rebuilds the schedule from the table.
    ``tz`` is the owner's time zone ``next_due_at`` was computed in."""

    __tablename__ = "goal"
    __table_args__ = (
        Index("ix_goal_due", "status", "next_due_at"),
        Index("ix_goal_owner", "team_id", "owner_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    owner_id: str = Field(max_length=32)
    what: str = Field(sa_column=Column(Text, nullable=False))
    measure: str = Field(sa_column=Column(Text, nullable=False))
    skill: str = Field(max_length=64)
    target_date: date
    cadence: str = Field(default=CadenceKind.WEEKLY, max_length=16)  # CadenceKind
    cadence_day: int = 0  # 0 = Monday (weekly and biweekly)
    cadence_minute: int = 570  # local time, minutes after midnight (570 = 09:30)
    cadence_anchor: date  # a Monday: biweekly check-ins fall in even weeks from it
    visibility: str = Field(default=Visibility.COACH, max_length=16)  # Visibility
    status: str = Field(default=GoalStatus.ACTIVE, max_length=16)  # GoalStatus
    paused_until: date | None = None
    tz: str = Field(default="UTC", max_length=64)
    next_due_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    streak: int = 0
    best_streak: int = 0
    missed_in_row: int = 0
    last_status: str | None = Field(default=None, max_length=16)  # CheckInStatus
    last_progress: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_checkin_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    channel_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
    completed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class CheckInPrompt(SQLModel, table=True):
    """One check-in prompt for one goal and due time; the unique key means it exists once."""

    __tablename__ = "checkin_prompt"
    __table_args__ = (
        UniqueConstraint("goal_id", "due_at"),
        Index("ix_checkin_prompt_remind", "status", "remind_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    goal_id: int = Field(index=True)
    user_id: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=utc_column())
    tip_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default=PromptStatus.OPEN, max_length=16)  # PromptStatus
    outbox_id: int | None = None
    remind_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    reminded_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())


class CheckIn(SQLModel, table=True):
    """A recorded check-in: from a prompt's buttons, its note modal, or on the owner's own."""

    __tablename__ = "checkin"
    __table_args__ = (Index("ix_checkin_goal_created", "goal_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    goal_id: int
    user_id: str = Field(max_length=32)
    status: str = Field(max_length=16)  # CheckInStatus
    progress: str = Field(default="", sa_column=Column(Text, nullable=False))
    went_well: str = Field(default="", sa_column=Column(Text, nullable=False))
    next_step: str = Field(default="", sa_column=Column(Text, nullable=False))
    prompt_id: int | None = None
    source: str = Field(max_length=16)  # CheckInSource
    created_at: datetime = Field(sa_column=utc_column())


class TipSeen(SQLModel, table=True):
    """Coaching tips a person was shown in the current round for a skill."""

    __tablename__ = "tip_seen"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    skill: str = Field(primary_key=True, max_length=64)
    tip_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(sa_column=utc_column())
