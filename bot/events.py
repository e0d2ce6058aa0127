"""Requests done once: a retried event delivery (same ``event_id``), or a request a worker
replays after its work was done (``once``, with ``bot.payload.request_key``), must have one
effect. The keys are forgotten once nothing can send them again (the ``forget_events`` job)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.deps import Deps
from bot.work import Replayed
from storage import kudos as ledger

log = logging.getLogger(__name__)

KEEP_EVENT_IDS = timedelta(hours=24)  # Slack retries for ~5 minutes; keep well past an hour


def first_delivery(*, session: Session, team_id: str, event_id: str | None, now: datetime) -> bool:
    """Record the event in the caller's transaction; False when it was already handled."""
    if not event_id:
        return True
    return ledger.claim_event(session, team_id=team_id, event_id=event_id, now=now)


def once(*, session: Session, team_id: str, key: str | None, now: datetime) -> None:
    """First thing in a use case's write transaction: record the request's key
    (``bot.payload.request_key``), or raise ``Replayed`` when it was recorded before, so a
    request replayed after its work was done does nothing (its transaction rolls back)."""
    if not first_delivery(session=session, team_id=team_id, event_id=key, now=now):
        raise Replayed(key)


def forget_old_events(*, session: Session, now: datetime) -> int:
    return ledger.forget_events_before(session, now - KEEP_EVENT_IDS)


def forget_events(deps: Deps, at: datetime) -> Counter[str]:
    """The hourly job: forget handled event ids older than ``KEEP_EVENT_IDS``."""
    with deps.db.write() as session:
        removed = forget_old_events(session=session, now=at)
    if removed:
        log.info("forgot %d handled event ids", removed)
    return Counter({"forgotten": removed})
