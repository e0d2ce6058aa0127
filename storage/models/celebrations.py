"""Birthdays, start dates and how people like to be celebrated."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class PersonDate(SQLModel, table=True):
    """A birthday (month and day only: Bravo never keeps a birth year) or a start date."""

    __tablename__ = "person_date"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=16)  # birthday | started
    month: int
    day: int
    year: int | None = None  # start year; always None for a birthday
    source: str = Field(default="self", max_length=16)  # self | import
    updated_at: datetime = Field(sa_column=utc_column())


class CelebrationPref(SQLModel, table=True):
    """How a person likes to be celebrated: not at all (dates), and where milestones go."""

    __tablename__ = "celebration_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opt_out: bool = False
    milestones: str = Field(default="dm", max_length=16)  # dm | channel
