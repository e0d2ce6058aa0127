"""Birthdays, start dates and how people like to be celebrated."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class DateKind(StrEnum):
    """What a person's date is: a birthday (month and day) or the day they started."""

    BIRTHDAY = "birthday"
    STARTED = "started"


class DateSource(StrEnum):
    """Who gave Bravo a date: the person (``/bravo celebrate``) or an admin's CSV import."""

    SELF = "self"
    IMPORT = "import"


class MilestonesPlace(StrEnum):
    """Where a person's milestones are announced: by DM, or in their team channel."""

    DM = "dm"
    CHANNEL = "channel"


class CelebrationSend(StrEnum):
    """Delivery records (``ScheduledSend.kind``) of the celebrations job."""

    CELEBRATE = "celebrate"
    MILESTONE = "milestone"


class PersonDate(SQLModel, table=True):
    """A birthday (month and day only: Bravo never keeps a birth year) or a start date."""

    __tablename__ = "person_date"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=16)  # DateKind
    month: int
    day: int
    year: int | None = None  # start year; always None for a birthday
    source: str = Field(default=DateSource.SELF, max_length=16)  # DateSource
    updated_at: datetime = Field(sa_column=utc_column())


class CelebrationPref(SQLModel, table=True):
    """How a person likes to be celebrated: not at all (dates), and where milestones go."""

    __tablename__ = "celebration_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opt_out: bool = False
    milestones: str = Field(default=MilestonesPlace.DM, max_length=16)  # MilestonesPlace
