"""Who has opened Bravo's Home tab, and whose home needs publishing again (``HomeViewer``).

Functions taking two ids take them by keyword."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from storage.models import HomeViewer
from storage.upsert import insert_ignore


def record_opened(session: Session, *, team_id: str, user_id: str, now: datetime) -> None:
    """Remember that a person opened their home (their home is kept fresh from now on)."""
    values = {"team_id": team_id, "user_id": user_id, "opened_at": now, "published_hash": ""}
    if not insert_ignore(session, HomeViewer, values, ["team_id", "user_id"]):
        session.execute(
            update(HomeViewer)
            .where(col(HomeViewer.team_id) == team_id, col(HomeViewer.user_id) == user_id)
            .values(opened_at=now)
        )


def viewers_among(session: Session, *, team_id: str, user_ids: Iterable[str]) -> list[str]:
    """Those of ``user_ids`` who have opened their home (a primary-key read)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return []
    return list(
        session.exec(
            select(HomeViewer.user_id).where(
                HomeViewer.team_id == team_id, col(HomeViewer.user_id).in_(wanted)
            )
        ).all()
    )


def mark_dirty(session: Session, *, team_id: str, user_ids: Iterable[str], now: datetime) -> int:
    """Something in these people's homes changed: only rows that exist (people who opened their
    home) are marked. Returns how many were."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return 0
    result = session.execute(
        update(HomeViewer)
        .where(col(HomeViewer.team_id) == team_id, col(HomeViewer.user_id).in_(wanted))
        .values(dirty_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def due(session: Session, *, settled: datetime, gap: datetime, limit: int) -> list[HomeViewer]:
    """Dirty homes whose last change is older than ``settled`` and whose last publish is older
    than ``gap`` (the oldest change first)."""
    return list(
        session.exec(
            select(HomeViewer)
            .where(col(HomeViewer.dirty_at).is_not(None), col(HomeViewer.dirty_at) <= settled)
            .where(col(HomeViewer.published_at).is_(None) | (col(HomeViewer.published_at) <= gap))
            .order_by(col(HomeViewer.dirty_at))
            .limit(limit)
        ).all()
    )


def next_dirty(session: Session) -> datetime | None:
    """The oldest mark still waiting."""
    return session.exec(
        select(func.min(HomeViewer.dirty_at)).where(col(HomeViewer.dirty_at).is_not(None))
    ).one()


def published(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    view_hash: str,
    now: datetime,
    dirty_at: datetime | None,
) -> None:
    """The home was published (or found unchanged) as it stood at ``dirty_at``: the mark is
    cleared unless a newer change came in meanwhile."""
    where = [col(HomeViewer.team_id) == team_id, col(HomeViewer.user_id) == user_id]
    session.execute(
        update(HomeViewer).where(*where).values(published_at=now, published_hash=view_hash)
    )
    clear = update(HomeViewer).where(*where)
    clear = clear.where(
        col(HomeViewer.dirty_at).is_(None)
        if dirty_at is None
        else col(HomeViewer.dirty_at) <= dirty_at
    )
    session.execute(clear.values(dirty_at=None))


def viewer(session: Session, *, team_id: str, user_id: str) -> HomeViewer | None:
    return session.get(HomeViewer, (team_id, user_id))
