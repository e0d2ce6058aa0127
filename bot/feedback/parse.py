"""Parsing ``/feedback`` and ``/suggest`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import NoRecipientError, TextTooLongError, UnknownCommandError
from bot.feedback.errors import TooManyAskedError
from bot.text import Token, escape, plain, safe_mrkdwn, tokenize, visible_length

MAX_ASKED = 10
MAX_TOPIC = 300
MAX_SUGGESTION = 1500
UNRESOLVED_RE = re.compile(r"(?:^|\s)@([\w.\-]+)")


@dataclass(frozen=True)
class OpenFeedbackModal:
    user_id: str | None = None


@dataclass(frozen=True)
class RequestFeedback:
    user_ids: tuple[str, ...]
    topic: str  # mrkdwn, safe to post ("" when none)


@dataclass(frozen=True)
class ShowInbox:
    owner_id: str | None = None  # None: my own


@dataclass(frozen=True)
class FeedbackHelp:
    pass


@dataclass(frozen=True)
class OpenSuggestModal:
    pass


@dataclass(frozen=True)
class Suggest:
    text: str  # mrkdwn, safe to post


@dataclass(frozen=True)
class SetupBox:
    pass


@dataclass(frozen=True)
class SuggestHelp:
    pass


FeedbackCommand = OpenFeedbackModal | RequestFeedback | ShowInbox | FeedbackHelp
SuggestCommand = OpenSuggestModal | Suggest | SetupBox | SuggestHelp


def _users(tokens: list[Token]) -> list[str]:
    return list(dict.fromkeys(t.id for t in tokens if t.kind == "user"))


def _unresolved(tokens: list[Token]) -> tuple[str, ...]:
    words = " ".join(t.raw for t in tokens if t.kind == "text")
    return tuple(m.group(1)[:40] for m in UNRESOLVED_RE.finditer(words))


def parse_feedback_command(text: str) -> FeedbackCommand:
    words = text.strip().split()
    if not words:
        return OpenFeedbackModal()
    verb = words[0].lower()
    tokens = tokenize(text.strip())
    if verb in {"help", "?"}:
        return FeedbackHelp()
    if verb == "inbox":
        users = _users(tokens)
        return ShowInbox(users[0] if users else None)
    if verb in {"request", "ask"}:
        return _request(tokenize(text.strip()[len(words[0]) :]))
    users = _users(tokens)
    if users and all(t.kind == "user" or not t.raw.strip() for t in tokens):
        if len(users) > 1:
            raise UnknownCommandError("one person at a time (or `/feedback request @a @b`)")
        return OpenFeedbackModal(users[0])
    if not users and (missing := _unresolved(tokens)):
        raise NoRecipientError(missing)
    raise UnknownCommandError(words[0][:40])


def _request(tokens: list[Token]) -> RequestFeedback:
    users = _users(tokens)
    if not users:
        raise NoRecipientError(_unresolved(tokens))
    if len(users) > MAX_ASKED:
        raise TooManyAskedError(MAX_ASKED, len(users))
    rest = [t for t in tokens if t.kind != "user"]
    if visible_length(rest) > MAX_TOPIC:
        raise TextTooLongError("topic", MAX_TOPIC, visible_length(rest))
    return RequestFeedback(tuple(users), _topic(safe_mrkdwn(rest)))


def _topic(text: str) -> str:
    """Drop the brackets and joining word around a topic: "[about the Q3 calls]"."""
    text = re.sub(r"^\s*[\[(]\s*", "", text.strip())
    text = re.sub(r"\s*[\])]\s*$", "", text)
    return re.sub(r"^(?:about|on|re:?)\s+", "", text, flags=re.I).strip()


def parse_suggest_command(text: str) -> SuggestCommand:
    stripped = text.strip()
    if not stripped:
        return OpenSuggestModal()
    if stripped.lower() in {"help", "?"}:
        return SuggestHelp()
    if stripped.lower() == "setup":
        return SetupBox()
    return Suggest(suggestion_text(stripped, escaped=True))


def suggestion_text(text: str, *, escaped: bool) -> str:
    """A suggestion as safe mrkdwn: from a slash command (Slack escaped it; mentions are
    entities) or from the modal (plain text)."""
    if not escaped:
        text = escape(text)
    tokens = tokenize(text.strip())
    length = visible_length(tokens) if escaped else len(plain(text))
    if length > MAX_SUGGESTION:
        raise TextTooLongError("suggestion", MAX_SUGGESTION, length)
    return safe_mrkdwn(tokens).strip()
