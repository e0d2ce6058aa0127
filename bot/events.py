"""Events API bookkeeping: a retried delivery (same ``event_id``) must have one effect."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from storage import kudos as ledger

KEEP_EVENT_IDS = timedelta(hours=24)  # Slack retries for ~5 minutes; keep well past an hour


def first_delivery(*, session: Session, team_id: str, event_id: str | None, now: datetime) -> bool:
    """Record the event in the caller's transaction; False when it was already handled."""
    if not event_id:
        return True
    return ledger.claim_event(session, team_id, event_id, now)


def forget_old_events(*, session: Session, now: datetime) -> int:
    return ledger.forget_events_before(session, now - KEEP_EVENT_IDS)
