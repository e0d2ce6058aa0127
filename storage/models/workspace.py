"""A workspace's own settings (set in Slack by its admins, the environment gives the defaults),
the log of every change to them, who has opened Bravo's Home tab, and the record of erasures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.common import BigId, utc_column


class WorkspaceConfig(SQLModel, table=True):
    """One row per workspace once an admin changed a setting (or it was uninstalled). A column
    left NULL means "the environment's default" (``bot.settings``), so a default changed in the
    environment still reaches workspaces that never chose their own."""

    __tablename__ = "workspace_config"
    team_id: str = Field(primary_key=True, max_length=32)
    values_csv: str | None = Field(default=None, max_length=1024)  # "empathy,problem-solving"
    emoji: str | None = Field(default=None, max_length=64)
    daily_allowance: int | None = None
    per_recipient_daily_cap: int | None = None
    kudos_channel: str | None = Field(default=None, max_length=32)
    shoutout_weekday: int | None = None  # 0 = Monday: the default for `/bravo shoutouts on`
    shoutout_minute: int | None = None  # minutes after midnight, local to the channel
    admins_csv: str | None = Field(default=None, max_length=2048)  # Bravo admins' Slack ids
    # Erase a person deactivated in Slack this many days later; NULL: never (the default).
    erase_departed_after_days: int | None = None
    # Who may review a teammate's conversations (``/review``): NULL or "leads" (their coaches,
    # team leads and admins), or "anyone".
    review_scope: str | None = Field(default=None, max_length=16)
    # The app was uninstalled or its tokens revoked: nothing is sent; data goes after retention.
    uninstalled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    version: int = 0  # bumped by every change (a cheap "has anything changed" for caches)
    updated_at: datetime = Field(sa_column=utc_column())


class SettingChange(SQLModel, table=True):
    """Who changed which setting when, and from what to what (values as shown to admins)."""

    __tablename__ = "setting_change"
    __table_args__ = (Index("ix_setting_change_team_at", "team_id", "changed_at"),)
    id: int | None = Field(
        default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True)
    )
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=64)
    old: str = Field(default="", sa_column=Column(Text, nullable=False))
    new: str = Field(default="", sa_column=Column(Text, nullable=False))
    changed_by: str = Field(max_length=32)
    changed_at: datetime = Field(sa_column=utc_column())


class HomeViewer(SQLModel, table=True):
    """A person who has opened Bravo's Home tab: only their homes are kept fresh. ``dirty_at``
    is set when something in their home changed; the refresher publishes at most once every
    few seconds per person, and skips a view identical to the one last published."""

    __tablename__ = "home_viewer"
    __table_args__ = (Index("ix_home_viewer_dirty", "dirty_at"),)
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opened_at: datetime = Field(sa_column=utc_column())
    dirty_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    published_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    published_hash: str = Field(default="", max_length=64)


class Erasure(SQLModel, table=True):
    """That a person was erased, without naming them: a keyed hash of their id (so a second
    request can be told "already done"), who asked (NULL: the person themself, or the automatic
    erasure of a departed account) and why."""

    __tablename__ = "erasure"
    id: int | None = Field(
        default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True)
    )
    team_id: str = Field(max_length=32, index=True)
    subject_key: str = Field(max_length=64)
    requested_by: str | None = Field(default=None, max_length=32)
    why: str = Field(max_length=32)  # "self", "admin", "departed", "uninstalled"
    erased_at: datetime = Field(sa_column=utc_column())
