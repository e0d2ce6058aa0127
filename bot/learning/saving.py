"""**Save as a lesson**: someone's message becomes a lesson credited to its author, private to
the author and the saver until the author posts it. The author is told by DM (Edit, Remove,
Post). A message saved before is one lesson: a second saver gets it saved for them instead.

Refused with nothing saved: a bot's message (or one with no person), an empty one, one in a
conversation Bravo is not part of (Slack says ``channel_not_found``/``not_in_channel``, or that
Bravo is no member), one from another workspace (a shared channel's)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.events import once
from bot.learning import ids, messages
from bot.learning.errors import CannotSaveError
from bot.learning.parse import FormMeta, Message, Submitted
from bot.learning.service import Channels, check_fields, check_skill, redraw_post, team_channels
from bot.text import plain, said, tokenize, trim
from storage import learning as store
from storage.models.learning import Lesson, LessonHelp, LessonOrigin

NAMED = 10  # people mentioned in a message looked up for their names (the rest read @someone)


@dataclass(frozen=True)
class Prefill:
    """The form for a message: its text (mention-safe, trimmed), who it is credited to."""

    meta: FormMeta
    learned: str
    trimmed: bool
    channels: Channels


def prefill(deps: Deps, *, user_id: str, msg: Message) -> Prefill:
    """Check the message can be a lesson; its text for the form."""
    if msg.message_team and msg.message_team != msg.team_id:
        raise CannotSaveError("workspace")
    if msg.is_bot or not msg.author:
        raise CannotSaveError("bot")
    if not msg.text.strip():
        raise CannotSaveError("empty")
    named = [t.id for t in tokenize(msg.text) if t.kind == "user"][:NAMED]
    people = deps.directory.people(
        team_id=msg.team_id, user_ids=[msg.author, *named], now=deps.clock()
    )
    author = people.get(msg.author)
    if author is not None and author.is_bot:
        raise CannotSaveError("bot")
    if not _readable(deps, msg.team_id, msg.channel):
        raise CannotSaveError("unreadable")
    names = {p.user_id: p.name for p in people.values() if p.name}
    text = plain(said(msg.text, names)).strip()
    if not text:
        raise CannotSaveError("empty")
    learned = trim(text, ids.MAX_LEARNED)
    meta = FormMeta(channel=msg.channel, ts=msg.ts, author=msg.author)
    # The Post choice is the author's alone: the saver's form offers none.
    return Prefill(meta, learned, learned != text, Channels())


def _readable(deps: Deps, team_id: str, channel: str) -> bool:
    if not channel:
        return False
    try:
        info = deps.channels.info(deps.client_for(team_id), team_id, channel)
    except SlackApiError:
        return False  # channel_not_found (a private channel or a DM without Bravo), and the like
    if info.get("is_im") or info.get("is_mpim"):
        return True  # Slack described it to Bravo: Bravo is in it
    return bool(info.get("is_member"))


@dataclass(frozen=True)
class SavedMessage:
    lesson: Lesson
    fresh: bool  # False: the message was a lesson already; saved for this person too


def save(
    deps: Deps, *, team_id: str, user_id: str, meta: FormMeta, got: Submitted, key: str | None
) -> SavedMessage:
    """The shortcut's form submitted: the lesson credited to the message's author."""
    assert meta.channel and meta.ts and meta.author
    skill = check_skill(deps, team_id, [got.skill] if got.skill else [])
    link = check_fields(got.learned, got.what_happened, got.link)
    author_channels = team_channels(deps, team_id, meta.author)
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        values = {
            "team_id": team_id,
            "author_id": meta.author,
            "added_by": user_id,
            "learned": got.learned,
            "what_happened": got.what_happened,
            "skill": skill,
            "link": link,
            "origin": LessonOrigin.SHORTCUT,
            "visibility": "private",
            "source_channel": meta.channel,
            "source_ts": meta.ts,
            "helped_count": 0,
            "request_key": key,
            "created_at": now,
            "updated_at": now,
        }
        fresh = store.insert_lesson(session, values)
        row = store.by_message(session, team_id=team_id, channel=meta.channel, ts=meta.ts)
        assert row is not None
        if fresh and row.author_id != user_id:
            told = messages.author_told(row, user_id, author_channels.ids, author_channels.names)
            deps.outbox.enqueue(session, team_id, [told], now)
        elif not fresh and user_id not in (row.author_id, row.added_by):
            help_row = LessonHelp(
                lesson_id=row.id or 0, user_id=user_id, team_id=team_id, created_at=now
            )
            if store.add_help(session, help_row):
                session.refresh(row)
                redraw_post(deps, session, row, now)
    deps.deliverer.kick()
    return SavedMessage(row, fresh)
