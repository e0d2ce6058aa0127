"""Events API bookkeeping: a retried delivery (same ``event_id``) must have one effect; the ids
are forgotten once Slack can no longer retry them (the ``forget_events`` job)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.deps import Deps
from storage import kudos as ledger

log = logging.getLogger(__name__)

KEEP_EVENT_IDS = timedelta(hours=24)  # Slack retries for ~5 minutes; keep well past an hour


def first_delivery(*, session: Session, team_id: str, event_id: str | None, now: datetime) -> bool:
    """Record the event in the caller's transaction; False when it was already handled."""
    if not event_id:
        return True
    return ledger.claim_event(session, team_id=team_id, event_id=event_id, now=now)


def forget_old_events(*, session: Session, now: datetime) -> int:
    return ledger.forget_events_before(session, now - KEEP_EVENT_IDS)


def forget_events(deps: Deps, at: datetime) -> Counter[str]:
    """The hourly job: forget handled event ids older than ``KEEP_EVENT_IDS``."""
    with deps.db.write() as session:
        removed = forget_old_events(session=session, now=at)
    if removed:
        log.info("forgot %d handled event ids", removed)
    return Counter({"forgotten": removed})
