"""Bravo's installations (one row per workspace, or per Enterprise Grid organisation for an
org-wide install) with their tokens encrypted, and the OAuth states handed to installers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models.common import utc_column


class Installation(SQLModel, table=True):
    """The latest installation of the app (``client_id``) in a workspace. ``enterprise_id`` and
    ``team_id`` are "" when absent (an org-wide install has no team), so the key is unique on
    every database. Columns ending in ``_sealed`` hold Fernet ciphertext, never a token."""

    __tablename__ = "installation"
    __table_args__ = (Index("ix_installation_team_id", "team_id"),)
    client_id: str = Field(primary_key=True, max_length=64)
    enterprise_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(primary_key=True, max_length=32)
    is_enterprise_install: bool = False
    app_id: str | None = Field(default=None, max_length=32)
    enterprise_name: str | None = Field(default=None, max_length=256)
    enterprise_url: str | None = Field(default=None, max_length=512)
    team_name: str | None = Field(default=None, max_length=256)
    bot_id: str | None = Field(default=None, max_length=32)
    bot_user_id: str | None = Field(default=None, max_length=32)
    bot_scopes: str = Field(default="", sa_column=Column(Text, nullable=False))
    bot_token_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    bot_refresh_token_sealed: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True)
    )
    bot_token_expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    installer_user_id: str | None = Field(default=None, max_length=32)
    token_type: str | None = Field(default=None, max_length=16)
    installed_at: datetime = Field(sa_column=utc_column())


class OrgWorkspace(SQLModel, table=True):
    """A workspace of an Enterprise Grid organisation, as Bravo has seen it (the org-wide
    install's ``auth.teams.list``, or a request from it): with an org-wide install, the
    workspace's token is the organisation's."""

    __tablename__ = "org_workspace"
    __table_args__ = (Index("ix_org_workspace_enterprise", "enterprise_id"),)
    team_id: str = Field(primary_key=True, max_length=32)
    enterprise_id: str = Field(max_length=32)
    seen_at: datetime = Field(sa_column=utc_column())


class OAuthState(SQLModel, table=True):
    """A state handed to someone opening /slack/install: good once, until ``expires_at``."""

    __tablename__ = "oauth_state"
    state: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_column=utc_column(index=True))
