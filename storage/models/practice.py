"""Practice: role-play rounds against a customer scenario, the ratings peers give them, the
workspace's own scenarios and each person's practice plan.

All private: a round (the reply typed, the self-assessment) is seen by the person who practised
and by the raters they asked, each rater only their own rating; a coach sees that practice
happened (counts, skills) in the digest and the prep note, never the reply unless it was sent
to them to rate (``bot.practice``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class RoundStatus(StrEnum):
    SENT = "sent"  # the scenario is with the person, no reply yet
    ANSWERED = "answered"  # replied, self-assessment not yet done
    ASSESSED = "assessed"  # replied and self-assessed: counted as practice done
    DROPPED = "dropped"  # the person skipped it (or it was replaced by a newer one)


class RatingStatus(StrEnum):
    ASKED = "asked"
    RATED = "rated"
    DECLINED = "declined"


class PracticeRound(SQLModel, table=True):
    """One scenario sent to one person, and what they did with it. The scenario's words are kept
    here (``scenario``, JSON) so a round reads the same after the library changes."""

    __tablename__ = "practice_round"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key"),
        Index("ix_practice_round_person", "team_id", "user_id", "created_at"),
        Index("ix_practice_round_skill", "team_id", "user_id", "skill", "assessed_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    skill: str = Field(max_length=64)
    scenario_key: str = Field(max_length=64)
    scenario: str = Field(sa_column=Column(Text, nullable=False))  # JSON: the scenario as sent
    reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # JSON list of the checklist items the person ticked (their indexes in the scenario's list).
    self_checks: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    self_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=RoundStatus.SENT, max_length=16)  # a RoundStatus
    planned: bool = False  # sent by the person's daily plan (not asked for with /practice)
    # The command, plan slot or button that made it: a second delivery is a no-op.
    request_key: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=utc_column())
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    assessed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class PracticeRating(SQLModel, table=True):
    """A peer's or coach's rating of one round, on the round's checklist. Only a person the
    round's owner asked may rate it (a row exists from the ask)."""

    __tablename__ = "practice_rating"
    __table_args__ = (
        UniqueConstraint("round_id", "rater_id"),
        Index("ix_practice_rating_rater", "team_id", "rater_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    round_id: int = Field(foreign_key="practice_round.id")
    rater_id: str = Field(max_length=32)
    checks: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    status: str = Field(default=RatingStatus.ASKED, max_length=16)  # a RatingStatus
    asked_at: datetime = Field(sa_column=utc_column())
    rated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class PracticeScenario(SQLModel, table=True):
    """A workspace's own scenario (added by an admin), or its replacement of a shipped one (same
    ``key``). ``body`` is the scenario as JSON, checked on the way in; ``retired`` hides a
    shipped scenario without replacing it."""

    __tablename__ = "practice_scenario"
    team_id: str = Field(primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=64)
    skill: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    retired: bool = False
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_column=utc_column())


class PracticePlan(SQLModel, table=True):
    """A person's standing ask for a scenario every weekday at ``minute`` (local time, minutes
    after midnight) in ``tz``. ``next_at`` (UTC) is when the next one is due: the scheduler reads
    what is due from here. The streak is forgiving, as check-ins' is: a day away (``/goal away``
    or a Slack status that says so) neither counts nor breaks it."""

    __tablename__ = "practice_plan"
    __table_args__ = (Index("ix_practice_plan_due", "active", "next_at"),)
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    minute: int = 540  # 09:00
    tz: str = Field(default="UTC", max_length=64)
    skill: str | None = Field(default=None, max_length=64)  # None: a skill in turn
    active: bool = True
    next_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    streak: int = 0
    best_streak: int = 0
    last_practised_on: date | None = None  # the person's local date of their last round
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
