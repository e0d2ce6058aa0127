"""Queries for installations and OAuth states (``storage.models.install``). Rows hold tokens
sealed by the caller: nothing here sees a token in plaintext."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Installation, OAuthState, OrgWorkspace
from storage.upsert import insert_ignore


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
    install by its enterprise. A workspace with no install of its own is served by its
    organisation's org-wide install: the enterprise the request names, else the one the
    workspace was seen in (``org_workspace``)."""
    query = select(Installation).where(col(Installation.client_id) == client_id)
    if not is_enterprise_install and team_id:
        own = query.where(col(Installation.team_id) == team_id)
        if enterprise_id:
            own = own.where(col(Installation.enterprise_id).in_([enterprise_id, ""]))
        found = session.exec(own.order_by(col(Installation.installed_at).desc()).limit(1)).first()
        if found is not None:
            return found
    enterprise_id = enterprise_id or (org_of(session, team_id=team_id) if team_id else None)
    if not enterprise_id:
        return None
    query = query.where(
        col(Installation.enterprise_id) == enterprise_id, col(Installation.team_id) == ""
    )
    return session.exec(query.order_by(col(Installation.installed_at).desc()).limit(1)).first()


def org_of(session: Session, *, team_id: str) -> str | None:
    """The organisation a workspace was seen in, if any."""
    row = session.get(OrgWorkspace, team_id)
    return None if row is None else row.enterprise_id


def note_org_workspace(
    session: Session, *, enterprise_id: str, team_id: str, now: datetime
) -> bool:
    """Record that ``team_id`` is a workspace of ``enterprise_id``; True when it was new (or
    had moved organisation)."""
    values = {"team_id": team_id, "enterprise_id": enterprise_id, "seen_at": now}
    if insert_ignore(session, OrgWorkspace, values, ["team_id"]):
        return True  # two requests at once: one inserts, the other finds it
    row = session.get(OrgWorkspace, team_id)
    if row is None or row.enterprise_id == enterprise_id:
        return False
    row.enterprise_id, row.seen_at = enterprise_id, now
    session.add(row)
    return True


def org_teams(session: Session, *, enterprise_id: str) -> list[str]:
    """The workspaces of an organisation seen so far."""
    query = select(OrgWorkspace.team_id).where(col(OrgWorkspace.enterprise_id) == enterprise_id)
    return sorted(session.exec(query).all())


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
