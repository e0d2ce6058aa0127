"""Learning shared: lessons people learned (typed with ``/learned``, or a good message saved with
the **Save as a lesson** shortcut), who they helped, and training people took.

Who sees what (``bot.learning``): a lesson is the author's own until the author posts it to a
team channel (``visibility`` ``team``); only then does the workspace find it by search. A lesson
saved from someone's message is seen by its author (credited, told, free to edit, post or remove
it) and by the person who saved it. Training is the person's own, and their coaches see it only
when the person allows it (``user_pref.learning_to_coaches``).

Search (``storage.learning``): SQLite keeps an FTS5 index (``lesson_fts``, external content,
kept by triggers: made by the migration, not by these models); PostgreSQL an expression GIN
index over ``to_tsvector('english', ...)``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.common import BigId, utc_column


class LessonVisibility(StrEnum):
    PRIVATE = "private"  # the author (and, for a saved message, the person who saved it)
    TEAM = "team"  # posted by its author to a team channel: the workspace finds it


class LessonOrigin(StrEnum):
    COMMAND = "command"  # /learned <text>
    MODAL = "modal"  # the form /learned opens
    SHORTCUT = "shortcut"  # Save as a lesson, on someone's message


class Lesson(SQLModel, table=True):
    """One lesson. ``learned`` is what was learned (the text searched first), ``what_happened``
    the story around it. Both are stored as typed (trimmed); renderers make them mention-safe."""

    __tablename__ = "lesson"
    __table_args__ = (
        # A message saved twice (by two people, or one twice) is one lesson.
        UniqueConstraint("team_id", "source_channel", "source_ts"),
        UniqueConstraint("team_id", "request_key"),
        Index("ix_lesson_author", "team_id", "author_id", "created_at"),
        Index("ix_lesson_added_by", "team_id", "added_by", "created_at"),
        Index("ix_lesson_visible", "team_id", "visibility", "helped_count"),
        Index("ix_lesson_posted", "team_id", "posted_at"),
    )
    id: int | None = Field(
        default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True)
    )
    team_id: str = Field(max_length=32)
    author_id: str = Field(max_length=32)  # credited: who learned it (a saved message's author)
    added_by: str = Field(max_length=32)  # who recorded it (the author, or who saved the message)
    learned: str = Field(sa_column=Column(Text, nullable=False))
    what_happened: str = Field(default="", sa_column=Column(Text, nullable=False))
    skill: str | None = Field(default=None, max_length=64)
    link: str | None = Field(default=None, max_length=1000)
    origin: str = Field(max_length=16)  # a LessonOrigin
    visibility: str = Field(default=LessonVisibility.PRIVATE, max_length=16)  # LessonVisibility
    # Where it was posted (a team channel), and when: the week's most helpful lesson is one
    # posted that week.
    posted_channel: str | None = Field(default=None, max_length=32)
    posted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The message it was saved from (the shortcut): channel and ts, and its permalink.
    source_channel: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    # "This helped me" clicks, kept in the same transaction as each ``lesson_help`` row.
    helped_count: int = 0
    # The command, form or shortcut that made it: a second delivery is a no-op.
    request_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class LessonHelp(SQLModel, table=True):
    """Someone said a lesson helped them: it is saved for them, and its author was thanked (a
    kudos through the kudos rules, ``kudos_batch`` when the rules allowed one)."""

    __tablename__ = "lesson_help"
    __table_args__ = (Index("ix_lesson_help_user", "team_id", "user_id", "created_at"),)
    lesson_id: int = Field(sa_column=Column(BigId, primary_key=True, autoincrement=False))
    user_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(max_length=32)
    kudos_batch: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(sa_column=utc_column())


class Training(SQLModel, table=True):
    """A course or training someone took, when, and what they will try next (which can become a
    goal: ``goal_id``)."""

    __tablename__ = "training"
    __table_args__ = (
        UniqueConstraint("team_id", "request_key"),
        Index("ix_training_person", "team_id", "user_id", "taken_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    title: str = Field(max_length=200)
    skill: str | None = Field(default=None, max_length=64)
    taken_on: date
    next_step: str = Field(default="", sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=1000)
    goal_id: int | None = None
    request_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())
