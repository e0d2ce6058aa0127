"""The anonymous suggestion box. Slack-free, and author-free.

A suggestion row holds its text, its workspace, its channel and the (UTC) day it was made:
nothing about who made it. Abuse is limited by a per-person daily count kept in
``suggestion_quota`` under a keyed hash of (workspace, person, day); that table has no id, no
time and nothing in common with ``suggestion``, is written in a transaction of its own, and
its rows are deleted once their day is over. Callers must not write anything else about the
author in the same moment (no profile lookup, no log line with the text).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.settings import Settings
from bot.suggestions.errors import (
    NoSuggestionBoxError,
    SuggestionLimitError,
    SuggestionNotFoundError,
)
from storage import feedback as store
from storage.models import Suggestion, SuggestionBox

DAILY_LIMIT = 3
SMALL_WORKSPACE = 5  # fewer people than this: anonymity is weak, warn before posting
MAX_DONE_NOTE = 1000


def quota_secret(settings: Settings) -> bytes:
    """The key of the quota hash: from Bravo's own secrets, never stored in the database."""
    seed = settings.slack_signing_secret or settings.slack_bot_token or ""
    return hashlib.sha256(b"bravo-suggestion-quota\0" + seed.encode()).digest()


def quota_key(secret: bytes, *, team_id: str, user_id: str, day: date) -> str:
    message = f"{team_id}\0{user_id}\0{day.isoformat()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def setup_box(
    session: Session, *, team_id: str, channel_id: str, admin_id: str, now: datetime
) -> None:
    """Admins only: the caller checks ``bot.admins.is_admin`` first."""
    store.set_box(session, team_id, channel_id, admin_id, now)


def box_of(session: Session, *, team_id: str) -> SuggestionBox:
    row = store.box(session, team_id)
    if row is None:
        raise NoSuggestionBoxError()
    return row


def count_one(session: Session, *, key: str, day: date, limit: int = DAILY_LIMIT) -> None:
    """Count a suggestion against the person's daily limit (run in its own transaction)."""
    if not store.take_quota(session, key, day, limit):
        raise SuggestionLimitError(limit)


def submit(session: Session, *, team_id: str, text: str, day: date) -> Suggestion:
    """Record a suggestion for the workspace's box. ``text`` is safe mrkdwn; no author."""
    target = box_of(session, team_id=team_id)
    return store.add_suggestion(
        session,
        Suggestion(team_id=team_id, text=text, day=day, channel_id=target.channel_id),
    )


def mark_done(
    session: Session, *, team_id: str, suggestion_id: int, note: str, day: date
) -> Suggestion:
    """Admins only (the caller checks). Idempotent for a suggestion already done."""
    row = store.get_suggestion(session, team_id, suggestion_id)
    if row is None:
        raise SuggestionNotFoundError()
    if store.mark_done(session, suggestion_id, note.strip()[:MAX_DONE_NOTE], day):
        session.refresh(row)
    return row


@dataclass(frozen=True)
class DoneSuggestion:
    """For the weekly shout-out's "you said, we did": both texts are safe mrkdwn."""

    id: int
    suggestion: str
    what_we_did: str
    done_on: date


def done_between(
    session: Session, *, team_id: str, since: date, until: date
) -> list[DoneSuggestion]:
    """Suggestions marked done on ``since`` <= day < ``until`` (oldest first)."""
    return [
        DoneSuggestion(r.id or 0, r.text, r.done_note, r.done_on or since)
        for r in store.done_between(session, team_id, since, until)
    ]


def forget_old_quota(session: Session, *, today: date) -> int:
    return store.forget_quota(session, today)
