"""Queries for a workspace's own settings (``workspace_config``) and their change log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import SettingChange, WorkspaceConfig
from storage.upsert import insert_ignore


def config_row(session: Session, team_id: str) -> WorkspaceConfig | None:
    """The workspace's own settings, or None when it never chose any (the defaults apply)."""
    return session.get(WorkspaceConfig, team_id)


def lock_config_row(session: Session, *, team_id: str, now: datetime) -> WorkspaceConfig:
    """The workspace's row, created empty (every setting: the default) if it has none, and
    locked for the rest of the transaction: two admins saving at once apply one after the
    other, each comparing against what the other saved."""
    values = {"team_id": team_id, "version": 0, "updated_at": now}
    insert_ignore(session, WorkspaceConfig, values, ["team_id"])
    stmt = (
        select(WorkspaceConfig)
        .where(WorkspaceConfig.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).one()


def save_config_row(session: Session, row: WorkspaceConfig) -> None:
    session.add(row)
    session.flush()


def add_changes(session: Session, changes: Sequence[SettingChange]) -> None:
    session.add_all(list(changes))
    session.flush()


def recent_changes(
    session: Session, *, team_id: str, limit: int, offset: int = 0
) -> list[SettingChange]:
    """The workspace's setting changes, newest first, ``offset`` of them skipped."""
    stmt = (
        select(SettingChange)
        .where(SettingChange.team_id == team_id)
        .order_by(col(SettingChange.changed_at).desc(), col(SettingChange.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(stmt))


def count_changes(session: Session, *, team_id: str) -> int:
    stmt = select(func.count()).select_from(SettingChange).where(SettingChange.team_id == team_id)
    return int(session.exec(stmt).one())
