"""People as Slack knows them (cached) and their preferences."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class SlackUser(SQLModel, table=True):
    """Cached ``users.info``: name, time zone and whether the account can receive kudos."""

    __tablename__ = "slack_user"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=255)
    tz: str = Field(default="UTC", max_length=64)
    is_bot: bool = False
    deleted: bool = False
    # When Bravo first saw the account deactivated (automatic erasure counts from here).
    departed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    fetched_at: datetime = Field(sa_column=utc_column())
    # The Slack status as Bravo was last told it (``user_status_changed``, ``users.info`` or
    # ``users.profile.get``): an away status (vacation, sick, out of office) holds prompts back
    # until ``status_expires_at`` (None: until the status changes), without breaking streaks.
    status_away: bool = False
    status_text: str = Field(default="", max_length=100)
    status_emoji: str = Field(default="", max_length=100)
    status_expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    status_seen_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class UserPref(SQLModel, table=True):
    __tablename__ = "user_pref"
    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    leaderboard_opt_out: bool = False
    # Away (vacation) through this local date: no check-in prompts, and streaks do not break.
    away_until: date | None = None
    # Whether the person's coaches see their skill profile (one-on-one prep, digest). Off until
    # the person turns it on: the profile is theirs.
    profile_to_coaches: bool = False
    # Whether the person's coaches see the training they recorded (``/learned course``). Off
    # until the person turns it on.
    learning_to_coaches: bool = False
