"""Queries for installations and OAuth states (``storage.models.install``). Rows hold tokens
sealed by the caller: nothing here sees a token in plaintext."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Installation, OAuthState


def save_installation(session: Session, row: Installation) -> None:
    """Insert or replace the workspace's installation (the newest install wins)."""
    old = session.get(Installation, (row.client_id, row.enterprise_id, row.team_id))
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(row)
    session.flush()


def find_installation(
    session: Session,
    *,
    client_id: str,
    enterprise_id: str | None,
    team_id: str | None,
    is_enterprise_install: bool = False,
) -> Installation | None:
    """A workspace install is found by its team (whatever enterprise it is in); an org-wide
    install by its enterprise."""
    query = select(Installation).where(col(Installation.client_id) == client_id)
    if is_enterprise_install or not team_id:
        if not enterprise_id:
            return None
        query = query.where(
            col(Installation.enterprise_id) == enterprise_id, col(Installation.team_id) == ""
        )
    else:
        query = query.where(col(Installation.team_id) == team_id)
        if enterprise_id:
            query = query.where(col(Installation.enterprise_id).in_([enterprise_id, ""]))
    return session.exec(query.order_by(col(Installation.installed_at).desc()).limit(1)).first()


def delete_installations(
    session: Session, *, client_id: str | None, enterprise_id: str | None, team_id: str | None
) -> int:
    """Delete a workspace's installation (found by its team, whatever enterprise it is in), or
    an org-wide one (``team_id`` None), of one app or (``client_id`` None) any."""
    query = delete(Installation)
    if client_id is not None:
        query = query.where(col(Installation.client_id) == client_id)
    if team_id:
        query = query.where(col(Installation.team_id) == team_id)
    else:
        query = query.where(
            col(Installation.enterprise_id) == (enterprise_id or ""),
            col(Installation.team_id) == "",
        )
    result = session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def add_state(session: Session, *, state: str, expires_at: datetime, now: datetime) -> None:
    """Keep a new state; the expired ones go (each page view adds one: they must not pile up)."""
    session.execute(delete(OAuthState).where(col(OAuthState.expires_at) <= now))
    session.add(OAuthState(state=state, expires_at=expires_at))


def consume_state(session: Session, *, state: str, now: datetime) -> bool:
    """True once for a state that was issued and has not expired; the state is gone after."""
    result = session.execute(
        delete(OAuthState).where(col(OAuthState.state) == state, col(OAuthState.expires_at) > now)
    )
    session.execute(delete(OAuthState).where(col(OAuthState.expires_at) <= now))
    return int(getattr(result, "rowcount", 0) or 0) == 1


def all_installations(session: Session, *, client_id: str) -> list[Installation]:
    query = select(Installation).where(col(Installation.client_id) == client_id)
    return list(session.exec(query).all())
