"""Queries for a workspace's own settings (``workspace_config``) and their change log."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import WorkspaceConfig


def config_row(session: Session, team_id: str) -> WorkspaceConfig | None:
    """The workspace's own settings, or None when it never chose any (the defaults apply)."""
    return session.get(WorkspaceConfig, team_id)
