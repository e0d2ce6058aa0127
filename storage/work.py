"""The work queue in the database (queue mode): the web process adds, ``bravo worker`` claims.

A claim takes the oldest items nobody holds, or whose holder's claim is older than
``stale_before`` (that worker died mid-item), with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: two
workers claiming at once never take the same item, and neither waits for the other."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, func, or_, select

from storage.models import WorkItem


def put(session: Session, items: list[tuple[str, dict[str, Any]]], *, now: datetime) -> None:
    """``add`` for the web process: (team_id, body) items in one plain INSERT (no ids read
    back, no ORM objects), as many requests a second record them on their way to the ack."""
    rows = [
        {"team_id": team[:32], "body": json.dumps(body), "created_at": now, "attempts": 0}
        for team, body in items
    ]
    if rows:
        session.execute(insert(WorkItem), rows)


def claim(
    session: Session, *, worker: str, now: datetime, stale_before: datetime, limit: int = 1
) -> list[WorkItem]:
    """Take up to ``limit`` items for ``worker``, oldest first."""
    free = or_(col(WorkItem.claimed_at).is_(None), col(WorkItem.claimed_at) < stale_before)
    stmt = (
        select(WorkItem)
        .where(col(WorkItem.done_at).is_(None), free)
        .order_by(col(WorkItem.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    items = list(session.exec(stmt).all())
    for item in items:
        item.claimed_by, item.claimed_at = worker[:128], now
        item.attempts += 1
        session.add(item)
    session.flush()
    return items


def finish(
    session: Session, item_id: int, *, worker: str, now: datetime, failed: bool = False
) -> bool:
    """Mark an item done, if ``worker`` still holds it (False: its claim lapsed and another
    took it)."""
    item = session.get(WorkItem, item_id, with_for_update=True)
    if item is None or item.done_at is not None or item.claimed_by != worker[:128]:
        return False
    item.done_at, item.failed = now, failed
    session.add(item)
    return True


def purge_done(session: Session, *, before: datetime) -> int:
    """Delete the items done before ``before``: a request's body (what people typed) is kept
    only as long as its work needs it."""
    stmt = delete(WorkItem).where(col(WorkItem.done_at) < before)
    return int(getattr(session.execute(stmt), "rowcount", 0) or 0)


def waiting(session: Session) -> int:
    """Items not done yet (claimed or not)."""
    stmt = select(func.count()).select_from(WorkItem).where(col(WorkItem.done_at).is_(None))
    return int(session.exec(stmt).one())


def body_of(item: WorkItem) -> dict[str, Any]:
    data = json.loads(item.body)
    return data if isinstance(data, dict) else {}
