"""The anonymous suggestion box. Slack-free in its rules, and author-free.

A suggestion row holds its text, its workspace, its channel and the (UTC) day it was made:
nothing about who made it. Abuse is limited by a per-person daily count kept in
``suggestion_quota`` under a keyed hash of (workspace, person, day); that table has no id, no
time and nothing in common with ``suggestion``, is written in a transaction of its own, and
its rows are deleted once their day is over. The posting path (``post``) never looks the
author up, never logs, and writes the count before and apart from the suggestion.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, date
from weakref import WeakKeyDictionary

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient
from sqlmodel import Session

from bot import admins
from bot.deps import Deps
from bot.settings import Settings
from bot.suggestions import messages, render
from bot.suggestions.errors import (
    BoxChannelError,
    NoSuggestionBoxError,
    NotAdminError,
    SuggestionLimitError,
    SuggestionNotFoundError,
)
from bot.text import escape
from bot.users import UserDirectory, workspace_people
from storage import outbox as outbox_store
from storage import suggestions as store
from storage.models.suggestions import Suggestion, SuggestionBox

DAILY_LIMIT = 3
SMALL_WORKSPACE = 5  # fewer people than this: anonymity is weak, warn before posting
MAX_DONE_NOTE = 1000
PEOPLE_TTL = 3600.0  # seconds a workspace's head count is trusted

# users.list pages through the whole workspace, too slow to repeat on every /suggest: each
# running app (one directory each) keeps its head counts, team -> (monotonic time, count).
_head_counts: WeakKeyDictionary[UserDirectory, dict[str, tuple[float, int]]] = WeakKeyDictionary()


def quota_secret(settings: Settings) -> bytes:
    """The key of the quota hash: from Bravo's own secrets, never stored in the database."""
    seed = settings.slack_signing_secret or settings.slack_bot_token or ""
    return hashlib.sha256(b"bravo-suggestion-quota\0" + seed.encode()).digest()


def quota_key(secret: bytes, *, team_id: str, user_id: str, day: date) -> str:
    message = f"{team_id}\0{user_id}\0{day.isoformat()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


# Use cases -------------------------------------------------------------------------------------


def small_workspace(deps: Deps, client: WebClient, *, team_id: str) -> int | None:
    """The head count when anonymity is weak (fewer than five people), else None."""
    try:
        n = _people(deps, client, team_id)
    except SlackApiError:
        return None
    return n if n < SMALL_WORKSPACE else None


def _people(deps: Deps, client: WebClient, team_id: str) -> int:
    """Active humans in the workspace (users.list, cached for an hour)."""
    counts = _head_counts.setdefault(deps.directory, {})
    cached = counts.get(team_id)
    if cached and time.monotonic() - cached[0] < PEOPLE_TTL:
        return cached[1]
    count = sum(not (p.is_bot or p.deleted) for page in workspace_people(client) for p in page)
    counts[team_id] = (time.monotonic(), count)
    return count


def set_up(deps: Deps, client: WebClient, *, team_id: str, admin_id: str, channel_id: str) -> None:
    """An admin makes ``channel_id`` the box: Bravo says so there first (proving it can post)."""
    _check_admin(deps, client, admin_id)
    if not channel_id or channel_id.startswith("D"):
        raise BoxChannelError("dm")
    try:
        client.chat_postMessage(**render.box_ready(channel_id))
    except SlackApiError as err:
        raise BoxChannelError("not_in_channel") from err
    with deps.db.write() as session:
        store.set_box(
            session, team_id=team_id, channel_id=channel_id, set_by=admin_id, now=deps.clock()
        )


def post(deps: Deps, *, team_id: str, user_id: str, text: str) -> Suggestion:
    """Count one against the author's daily limit and post with no trace of them. The count is
    in the suggestion's own transaction, so a suggestion that is not stored uses up nothing."""
    day = deps.clock().astimezone(UTC).date()
    with deps.db.read() as session:
        _box_of(session, team_id=team_id)
    key = quota_key(quota_secret(deps.settings), team_id=team_id, user_id=user_id, day=day)
    with deps.db.write() as session:
        count_one(session, key=key, day=day)
        row = _submit(session, team_id=team_id, text=text, day=day)
        [queued] = deps.outbox.enqueue(session, team_id, [messages.post(row)], deps.clock())
        row.outbox_id = queued.id
        session.add(row)
    deps.deliverer.kick()
    return row


def to_mark_done(
    deps: Deps, client: WebClient, *, team_id: str, admin_id: str, suggestion_id: int
) -> Suggestion:
    """The suggestion an admin's "Mark done" opens the form for."""
    _check_admin(deps, client, admin_id)
    with deps.db.read() as session:
        row = store.get_suggestion(session, team_id=team_id, suggestion_id=suggestion_id)
    if row is None:
        raise SuggestionNotFoundError()
    return row


def mark_done(
    deps: Deps, client: WebClient, *, team_id: str, admin_id: str, suggestion_id: int, note: str
) -> Suggestion:
    """An admin marks a suggestion done (idempotent): a reply in its thread, its post edited."""
    _check_admin(deps, client, admin_id)
    with deps.db.write() as session:
        row = _mark_done(
            session,
            team_id=team_id,
            suggestion_id=suggestion_id,
            note=escape(note),
            day=deps.clock().astimezone(UTC).date(),
        )
        sent = outbox_store.get(session, row.outbox_id) if row.outbox_id else None
        channel = (sent.result_channel if sent else None) or row.channel_id
        thread_ts = sent.result_ts if sent else None
        done = messages.done(row, team_id=team_id, channel=channel, thread_ts=thread_ts)
        deps.outbox.enqueue(session, team_id, done, deps.clock())
    deps.deliverer.kick()
    return row


def forget_counts(deps: Deps, *, today: date) -> int:
    """Delete the per-person counts of days that are over."""
    with deps.db.write() as session:
        return forget_old_quota(session, today=today)


# In the caller's transaction -------------------------------------------------------------------


def _check_admin(deps: Deps, client: WebClient, user_id: str) -> None:
    if not admins.is_admin(client, deps.settings, user_id):
        raise NotAdminError()


def _box_of(session: Session, *, team_id: str) -> SuggestionBox:
    row = store.box(session, team_id)
    if row is None:
        raise NoSuggestionBoxError()
    return row


def count_one(session: Session, *, key: str, day: date, limit: int = DAILY_LIMIT) -> None:
    """Count a suggestion against the person's daily limit (in the suggestion's transaction)."""
    if not store.take_quota(session, key, day, limit):
        raise SuggestionLimitError(limit)


def _submit(session: Session, *, team_id: str, text: str, day: date) -> Suggestion:
    """Record a suggestion for the workspace's box. ``text`` is safe mrkdwn; no author."""
    target = _box_of(session, team_id=team_id)
    return store.add_suggestion(
        session,
        Suggestion(team_id=team_id, text=text, day=day, channel_id=target.channel_id),
    )


def _mark_done(
    session: Session, *, team_id: str, suggestion_id: int, note: str, day: date
) -> Suggestion:
    row = store.get_suggestion(session, team_id=team_id, suggestion_id=suggestion_id)
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
