"""One-on-ones between a coach and a coachee: the recurring series, each meeting (the
coachee's topics, the notes), and the action items that come out of them.

Private to the two of them: the topics, notes and action items of a meeting are seen by its
coach and coachee only (``bot.oneonones``); nobody else, admins and leads included."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class ItemOwner(StrEnum):
    COACHEE = "coachee"  # becomes a goal of theirs, with their consent
    COACH = "coach"  # a follow-up for the coach


class ItemState(StrEnum):
    OPEN = "open"  # to do: carried into the next prep
    PROPOSED = "proposed"  # a goal proposed to the coachee, waiting for their yes
    DECLINED = "declined"  # the coachee said no to it as a goal
    DONE = "done"
    DROPPED = "dropped"


class OneOnOne(SQLModel, table=True):
    """A recurring one-on-one: every ``every_weeks`` week(s) on ``weekday`` at ``minute`` (local
    time in ``tz``, minutes after midnight). ``next_at`` (UTC) is the next meeting, the source
    of truth for the prep job. One series per coach and coachee; cancelling ends it."""

    __tablename__ = "one_on_one"
    __table_args__ = (
        UniqueConstraint("team_id", "coach_id", "coachee_id"),
        Index("ix_one_on_one_due", "active", "next_at"),
        Index("ix_one_on_one_coachee", "team_id", "coachee_id", "active"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    coach_id: str = Field(max_length=32)
    coachee_id: str = Field(max_length=32)
    weekday: int = 0  # 0 = Monday
    minute: int = 600  # 10:00
    every_weeks: int = 1  # 1 weekly, 2 every other week
    anchor: date  # a Monday: with every_weeks 2, meetings fall in even weeks from it
    tz: str = Field(default="UTC", max_length=64)  # the coach's zone when it was set
    active: bool = True
    next_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The meeting (its UTC time) whose prep note went out, so it goes once.
    prepped_for: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class Meeting(SQLModel, table=True):
    """One meeting of a series: the coachee's topics before it, the notes after."""

    __tablename__ = "one_on_one_meeting"
    __table_args__ = (
        UniqueConstraint("series_id", "at"),
        Index("ix_one_on_one_meeting_pair", "team_id", "series_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    series_id: int = Field(foreign_key="one_on_one.id")
    at: datetime = Field(sa_column=utc_column())
    topics: str = Field(default="", sa_column=Column(Text, nullable=False))  # the coachee's
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))  # private to both
    noted_by: str | None = Field(default=None, max_length=32)
    noted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())


class ActionItem(SQLModel, table=True):
    """Something to do after a meeting: the coachee's (a goal, once they agree) or the
    coach's (a follow-up). Open items are carried into the next prep."""

    __tablename__ = "action_item"
    __table_args__ = (Index("ix_action_item_series", "team_id", "series_id", "state"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    series_id: int = Field(foreign_key="one_on_one.id")
    meeting_id: int = Field(foreign_key="one_on_one_meeting.id")
    owner: str = Field(max_length=16)  # an ItemOwner
    owner_id: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default=ItemState.OPEN, max_length=16)  # an ItemState
    goal_id: int | None = None  # the coachee's goal it became
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
