"""The work queue in the database (queue mode): the web process adds, ``bravo worker`` claims.

A claim takes the oldest items nobody holds, or whose holder's claim is older than
``stale_before`` (that worker died mid-item), with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: two
workers claiming at once never take the same item, and neither waits for the other."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, func, or_, select

from storage.db import Database
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


_APPEND_ROW = "(%s, %s, %s, 0, false)"


class Appender:
    """``put`` for the web process's group commit, as cheap in round trips as it can be.

    On PostgreSQL each batch is one multi-row INSERT on a connection of its own in autocommit: one
    round trip, durable when it returns, with no pool checkout, ping, BEGIN or COMMIT around it.
    Each round trip costs a wait for the GIL among the web process's busy threads, so four of
    them (ping, BEGIN, INSERT, COMMIT) were most of an ack's wait under load. A failed statement
    closes the connection and is tried once more on a new one (the server restarted); should the
    first have been written after all, the worker's replay keys do the request once. On SQLite,
    ``put`` in a write transaction, as everywhere else."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._conn: Any = None
        self._lock = threading.Lock()

    def __call__(self, items: list[tuple[str, dict[str, Any]]], *, now: datetime) -> None:
        if not items:
            return
        if self._db.dialect != "postgresql":
            with self._db.write() as session:
                put(session, items, now=now)
            return
        params: list[Any] = []
        for team, body in items:
            params += (team[:32], json.dumps(body), now)
        sql = (
            "INSERT INTO work_item (team_id, body, created_at, attempts, failed) VALUES "
            + ", ".join([_APPEND_ROW] * len(items))
        )
        with self._lock:
            try:
                self._execute(sql, params)
            except Exception:
                self._close()
                self._execute(sql, params)

    def _execute(self, sql: str, params: list[Any]) -> None:
        if self._conn is None or self._conn.closed:
            raw = self._db.engine.raw_connection()
            conn = raw.driver_connection
            raw.detach()  # this connection is the appender's alone, outside the pool
            self._conn = conn
            self._conn.rollback()  # the pool's ping may have left a transaction open
            self._conn.autocommit = True
        try:
            with self._conn.cursor() as cur:
                cur.execute(sql, params)
        except Exception:
            self._close()
            raise

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            conn.close()

    def close(self) -> None:
        with self._lock:
            self._close()


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
