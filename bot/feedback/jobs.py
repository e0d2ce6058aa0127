"""Scheduled work for feedback requests, as of a given time.

A reminder or an expiry notice is written with a delivery record (a unique key) in the same
transaction as its outbox row, so a job run twice, or by two processes at once, sends once.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot.deps import Deps
from bot.feedback import messages
from bot.outbox.scheduled import send_once
from storage import feedback as store
from storage.models.feedback import FeedbackKind, RequestStatus

log = logging.getLogger(__name__)
BATCH = 500


def run_feedback_requests(deps: Deps, at: datetime) -> Counter[str]:
    """One reminder for each request unanswered two working days on; expire week-old ones."""
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        expiring = [(r.team_id, r.id or 0) for r in store.requests_to_expire(session, at, BATCH)]
        waiting = [(r.team_id, r.id or 0) for r in store.requests_to_remind(session, at, BATCH)]
    for team_id, request_id in expiring:
        counts[_expire_one(deps, team_id=team_id, request_id=request_id, at=at)] += 1
    for team_id, request_id in waiting:
        counts[_remind_one(deps, team_id=team_id, request_id=request_id, at=at)] += 1
    deps.deliverer.kick()
    return counts


def _remind_one(deps: Deps, *, team_id: str, request_id: int, at: datetime) -> str:
    with deps.db.write() as session:
        row = store.get_request(session, team_id=team_id, request_id=request_id)
        if (
            row is None
            or row.status != RequestStatus.OPEN
            or not store.mark_reminded(session, request_id, at)
        ):
            return "taken"
        key = f"fbreminder:{team_id}:{request_id}"
        if not send_once(
            session,
            deps.outbox,
            messages.reminder(row, key),
            key=key,
            team_id=team_id,
            kind=FeedbackKind.REMINDER_SENT,
            target=row.giver_id,
            due_at=row.remind_at or at,
            at=at,
        ):
            return "taken"
        return "reminded"


def _expire_one(deps: Deps, *, team_id: str, request_id: int, at: datetime) -> str:
    with deps.db.write() as session:
        row = store.get_request(session, team_id=team_id, request_id=request_id)
        if row is None or not store.expire_request(session, request_id):
            return "taken"
        key = f"fbexpired:{team_id}:{request_id}"
        if not send_once(
            session,
            deps.outbox,
            messages.expired_note(row, key),
            key=key,
            team_id=team_id,
            kind=FeedbackKind.EXPIRY_SENT,
            target=row.requester_id,
            due_at=row.expires_at,
            at=at,
        ):
            return "taken"
        if row.outbox_id is not None:  # the asked person's DM loses its button
            deps.outbox.enqueue(session, team_id, [messages.expired_edit(row)], at)
        return "expired"


def next_feedback_request(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_request_due(session)
