"""The anonymous suggestion box. Slack-free in its rules, and author-free.

A suggestion row holds its text, its workspace, its channel and the (UTC) day it was made:
nothing about who made it. Abuse is limited by a per-person daily count kept in
``suggestion_quota`` under a keyed hash of (workspace, person, day); that table has no id, no
time and nothing in common with ``suggestion``, and its rows are deleted once their day is over.
The count is taken in the same transaction as the suggestion, so a failure leaves no used-up
count. The posting path never looks the author up and never logs.

A ``/suggest text`` is previewed first (only to its author) and posted when they press **Post
anonymously**: the buttons carry the draft (text, a random nonce, and a keyed tag of the author
that only checks the clicker wrote it); ``suggestion_draft`` records the nonce's outcome, so a
double click posts once, and holds no author.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from weakref import WeakKeyDictionary

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient
from sqlmodel import Session

from bot import admins
from bot.deps import Deps
from bot.events import once
from bot.settings import Settings
from bot.suggestions import messages, render
from bot.suggestions.errors import (
    BoxChannelError,
    DraftGoneError,
    DraftSettledError,
    HideReasonError,
    NoSuggestionBoxError,
    NotAdminError,
    NotYourDraftError,
    SuggestionLimitError,
    SuggestionNotFoundError,
)
from bot.suggestions.parse import DraftValue, draft_value, parse_draft_value
from bot.text import escape, said
from bot.users import UserDirectory, workspace_people
from storage import outbox as outbox_store
from storage import suggestions as store
from storage.models.suggestions import DraftOutcome, Suggestion, SuggestionBox, SuggestionDraft

DAILY_LIMIT = 3
BUTTON_VALUE_LIMIT = 2000  # Slack's limit on a button's value
MAX_HIDE_REASON = 500
DRAFT_DAYS = timedelta(days=1)  # a preview's buttons work the day it was shown and the next
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


def set_up(deps: Deps, client: WebClient, *, team_id: str, admin_id: str, channel_id: str) -> bool:
    """An admin makes ``channel_id`` the box: Bravo says so there first (proving it can post).
    False, and nothing announced, when it already is the box."""
    _check_admin(deps, client, team_id, admin_id)
    if not channel_id or channel_id.startswith("D"):
        raise BoxChannelError("dm")
    with deps.db.read() as session:
        current = store.box(session, team_id)
    if current is not None and current.channel_id == channel_id:
        return False
    try:
        client.chat_postMessage(**render.box_ready(channel_id))
    except SlackApiError as err:
        raise BoxChannelError("not_in_channel") from err
    with deps.db.write() as session:
        store.set_box(
            session, team_id=team_id, channel_id=channel_id, set_by=admin_id, now=deps.clock()
        )
    return True


def author_tag(secret: bytes, *, team_id: str, user_id: str) -> str:
    """Who may press a preview's buttons, as a keyed hash: the buttons never name the author."""
    message = f"draft\0{team_id}\0{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Preview:
    text: str  # safe mrkdwn
    value: str  # what its buttons carry


def preview(deps: Deps, *, team_id: str, user_id: str, text: str) -> Preview:
    """A ``/suggest text`` shown to its author before anything is posted or counted. The draft
    rides in the buttons; one too long for them waits in ``suggestion_draft`` (no author)."""
    with deps.db.read() as session:
        _box_of(session, team_id=team_id)
    tag = author_tag(quota_secret(deps.settings), team_id=team_id, user_id=user_id)
    day = deps.clock().astimezone(UTC).date()
    draft = DraftValue(secrets.token_hex(16), tag, day.isoformat(), text)
    value = draft_value(draft)
    if len(value) > BUTTON_VALUE_LIMIT:
        row = SuggestionDraft(nonce=draft.nonce, team_id=team_id, text=text, day=day)
        with deps.db.write() as session:
            store.add_draft(session, row)
        value = draft_value(DraftValue(draft.nonce, tag, draft.day, None))
    return Preview(text, value)


def post_draft(
    deps: Deps, *, team_id: str, user_id: str, value: str, key: str | None = None
) -> Suggestion:
    """**Post anonymously** pressed on a preview: posted once, by its author only. ``key``: the
    press's request key; the same press replayed does nothing (``Replayed``)."""
    draft = _own_draft(deps, team_id=team_id, user_id=user_id, value=value)
    return post(
        deps, team_id=team_id, user_id=user_id, text=draft.text or "", nonce=draft.nonce, key=key
    )


def cancel_draft(deps: Deps, *, team_id: str, user_id: str, value: str) -> None:
    """**Cancel** pressed on a preview: nothing is posted, then or later."""
    draft = _own_draft(deps, team_id=team_id, user_id=user_id, value=value)
    day = deps.clock().astimezone(UTC).date()
    with deps.db.write() as session:
        _settle(
            session, team_id=team_id, nonce=draft.nonce, day=day, outcome=DraftOutcome.CANCELLED
        )


def draft_to_edit(deps: Deps, *, team_id: str, user_id: str, value: str) -> DraftValue:
    """**Edit** pressed on a preview: the draft, still to be posted or cancelled."""
    draft = _own_draft(deps, team_id=team_id, user_id=user_id, value=value)
    with deps.db.read() as session:
        row = store.draft(session, team_id=team_id, nonce=draft.nonce)
    if row is not None and row.outcome != DraftOutcome.PENDING:
        raise DraftSettledError(row.outcome)
    return draft


def _own_draft(deps: Deps, *, team_id: str, user_id: str, value: str) -> DraftValue:
    """The draft a button carries, with its text, when the clicker is its author."""
    draft = parse_draft_value(value)
    tag = author_tag(quota_secret(deps.settings), team_id=team_id, user_id=user_id)
    if not hmac.compare_digest(draft.author, tag):
        raise NotYourDraftError()
    if draft.day < (deps.clock().astimezone(UTC).date() - DRAFT_DAYS).isoformat():
        raise DraftGoneError()  # its outcome may be forgotten: it must not post twice
    if draft.text is not None:
        return draft
    with deps.db.read() as session:
        row = store.draft(session, team_id=team_id, nonce=draft.nonce)
    if row is None:
        raise DraftGoneError()
    if row.outcome != DraftOutcome.PENDING:
        raise DraftSettledError(row.outcome)
    return DraftValue(draft.nonce, draft.author, draft.day, row.text)


def post(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    text: str,
    nonce: str | None = None,
    key: str | None = None,
) -> Suggestion:
    """Post with no trace of the author, in one transaction: the draft settled (once), the
    count against the author's daily limit, the suggestion and its post. Any failure undoes
    all of it, so nothing is counted that was not posted."""
    day = deps.clock().astimezone(UTC).date()
    quota = quota_key(quota_secret(deps.settings), team_id=team_id, user_id=user_id, day=day)
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        _box_of(session, team_id=team_id)
        if nonce:
            _settle(session, team_id=team_id, nonce=nonce, day=day, outcome=DraftOutcome.POSTED)
        count_one(session, key=quota, day=day)
        row = _submit(session, team_id=team_id, text=said(text), day=day)
        [queued] = deps.outbox.enqueue(session, team_id, [messages.post(row)], deps.clock())
        row.outbox_id = queued.id
        session.add(row)
    deps.deliverer.kick()
    return row


def to_mark_done(
    deps: Deps, client: WebClient, *, team_id: str, admin_id: str, suggestion_id: int
) -> Suggestion:
    """The suggestion an admin's "Mark done" (or "Hide") opens the form for."""
    _check_admin(deps, client, team_id, admin_id)
    with deps.db.read() as session:
        row = store.get_suggestion(session, team_id=team_id, suggestion_id=suggestion_id)
    if row is None or row.hidden_at is not None:
        raise SuggestionNotFoundError()
    return row


def mark_done(
    deps: Deps, client: WebClient, *, team_id: str, admin_id: str, suggestion_id: int, note: str
) -> Suggestion:
    """An admin marks a suggestion done (idempotent): a reply in its thread, its post edited."""
    _check_admin(deps, client, team_id, admin_id)
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


def hide(
    deps: Deps, client: WebClient, *, team_id: str, admin_id: str, suggestion_id: int, reason: str
) -> Suggestion:
    """An admin hides a suggestion (once): its post deleted from the channel, gone from "you
    said, we did"; the row keeps who hid it, when and why, for admins."""
    _check_admin(deps, client, team_id, admin_id)
    if not reason.strip():
        raise HideReasonError()
    with deps.db.write() as session:
        row = store.get_suggestion(session, team_id=team_id, suggestion_id=suggestion_id)
        if row is None:
            raise SuggestionNotFoundError()
        why = escape(reason.strip()[:MAX_HIDE_REASON])
        hidden = store.hide(
            session, suggestion_id=suggestion_id, by=admin_id, reason=why, at=deps.clock()
        )
        if hidden and row.outbox_id is not None:
            deps.outbox.enqueue(session, team_id, [messages.hide(row)], deps.clock())
        session.refresh(row)
    deps.deliverer.kick()
    return row


def forget_counts(deps: Deps, *, today: date) -> int:
    """Delete the per-person counts of days that are over."""
    with deps.db.write() as session:
        return forget_old_quota(session, today=today)


# In the caller's transaction -------------------------------------------------------------------


def box_channel(session: Session, *, team_id: str) -> str | None:
    """The suggestion box's channel (None: not set up), in the caller's transaction."""
    row = store.box(session, team_id)
    return row.channel_id if row is not None else None


def move_box(
    deps: Deps, session: Session, *, team_id: str, channel_id: str, set_by: str, now: datetime
) -> None:
    """An admin's settings move the box to ``channel_id`` (already checked: Bravo is a member),
    in the caller's transaction; the channel is told, through the outbox."""
    store.set_box(session, team_id=team_id, channel_id=channel_id, set_by=set_by, now=now)
    deps.outbox.enqueue(session, team_id, [messages.box_ready(channel_id)], now)


def _check_admin(deps: Deps, client: WebClient, team_id: str, user_id: str) -> None:
    if not admins.is_admin(client, deps.config(team_id), user_id):
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
    if row is None or row.hidden_at is not None:
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
    """Yesterday's counts (how many), and the outcomes of drafts whose buttons have expired."""
    store.forget_drafts(session, today - DRAFT_DAYS)
    return store.forget_quota(session, today)


def _settle(
    session: Session, *, team_id: str, nonce: str, day: date, outcome: DraftOutcome
) -> None:
    if not store.decide_draft(session, team_id=team_id, nonce=nonce, day=day, outcome=outcome):
        row = store.draft(session, team_id=team_id, nonce=nonce)
        raise DraftSettledError(row.outcome if row else DraftOutcome.POSTED)
