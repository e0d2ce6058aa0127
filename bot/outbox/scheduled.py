"""Scheduled messages are sent once: each is queued with a delivery record (a unique key: what,
for whom, which due time) in the caller's transaction, so a job run twice, after a restart or by
a second process, queues nothing the second time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from bot.outbox.envelope import OutMessage
from bot.outbox.outbox import Outbox
from storage import outbox as sends
from storage.models import OutboxRow


def send_once(
    session: Session,
    outbox: Outbox,
    message: OutMessage | Callable[[], OutMessage],
    *,
    key: str,
    team_id: str,
    kind: str,
    target: str,
    due_at: datetime,
    at: datetime,
) -> OutboxRow | None:
    """Write the delivery record ``key``, then queue the message and link the two; None when the
    record exists (sent, or being sent). ``message`` may be a function, so a costly message
    (a digest) is only built when it is really to be sent."""
    if not sends.record_send(
        session, key=key, team_id=team_id, kind=kind, user_id=target, due_at=due_at, now=at
    ):
        return None
    built = message() if callable(message) else message
    rows = outbox.enqueue(session, team_id, [built], at)
    row = rows[0] if rows else None
    sends.link_send(session, key, row.id if row else None)
    return row
