"""The anonymous suggestion box: boxes, suggestions and daily quotas."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class SuggestionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class SuggestionKind(StrEnum):
    """What the suggestion box sends (outbox kinds)."""

    POST = "suggestion_post"
    EDIT = "suggestion_edit"
    HIDE = "suggestion_hide"


class DraftOutcome(StrEnum):
    PENDING = "pending"
    POSTED = "posted"
    CANCELLED = "cancelled"


class SuggestionBox(SQLModel, table=True):
    """The channel anonymous suggestions go to, set by an admin."""

    __tablename__ = "suggestion_box"
    team_id: str = Field(primary_key=True, max_length=32)
    channel_id: str = Field(max_length=32)
    set_by: str = Field(max_length=32)
    set_at: datetime = Field(sa_column=utc_column())


class Suggestion(SQLModel, table=True):
    """An anonymous suggestion. No author, and only the day it was made: nothing here can be
    joined to ``SuggestionQuota`` or to anything else about a person."""

    __tablename__ = "suggestion"
    __table_args__ = (Index("ix_suggestion_done", "team_id", "status", "done_on"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    day: date
    channel_id: str = Field(max_length=32)
    status: str = Field(default=SuggestionStatus.OPEN, max_length=16)  # a SuggestionStatus
    done_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    done_on: date | None = None
    outbox_id: int | None = None
    # hidden by an admin: gone from the channel and from "you said, we did"; kept for admins
    hidden_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    hidden_by: str | None = Field(default=None, max_length=32)
    hidden_reason: str = Field(default="", sa_column=Column(Text, nullable=False))


class SuggestionDraft(SQLModel, table=True):
    """A previewed suggestion's fate, so a double click posts it once: keyed by the random nonce
    its buttons carry, with no author. ``text`` holds a draft too long to ride in the buttons
    until it is posted or cancelled (then it is emptied); rows of past days are deleted."""

    __tablename__ = "suggestion_draft"
    nonce: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(max_length=32)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    day: date
    outcome: str = Field(default=DraftOutcome.PENDING, max_length=16)  # a DraftOutcome


class SuggestionQuota(SQLModel, table=True):
    """Suggestions per person per day, keyed by a keyed hash of (team, person, day) so the
    person cannot be read back; no id, no time, nothing shared with ``Suggestion``. Rows of
    past days are deleted. SQLite stores it WITHOUT ROWID (in key order, not insertion order)."""

    __tablename__ = "suggestion_quota"
    __table_args__ = {"sqlite_with_rowid": False}
    key: str = Field(primary_key=True, max_length=64)
    day: date
    used: int = 0
