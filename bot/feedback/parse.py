"""Parsing ``/feedback`` text and the feedback forms into typed requests. Pure: no Slack, no
database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot import payload
from bot.errors import NoRecipientError, OnePersonError, TextTooLongError, UnknownCommandError
from bot.feedback import ids
from bot.feedback.customer import CustomerDraft
from bot.feedback.errors import TooManyAskedError
from bot.feedback.rules import FeedbackDraft
from bot.text import Token, safe_mrkdwn, tokenize, visible_length, whole_number
from storage.models.feedback import FeedbackVisibility

MAX_ASKED = 10
MAX_TOPIC = 300
COMMAND = ids.FEEDBACK_COMMAND
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


FeedbackCommand = OpenFeedbackModal | RequestFeedback | ShowInbox | FeedbackHelp


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
            raise OnePersonError(COMMAND, many="request")
        return OpenFeedbackModal(users[0])
    if not users and (missing := _unresolved(tokens)):
        raise NoRecipientError(COMMAND, missing)
    raise UnknownCommandError(COMMAND, words[0][:40])


def _request(tokens: list[Token]) -> RequestFeedback:
    users = _users(tokens)
    if not users:
        raise NoRecipientError(COMMAND, _unresolved(tokens), sub="request")
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


# The forms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackForm:
    """A submitted feedback form."""

    team_id: str
    giver_id: str
    recipient_id: str  # "" when nobody was picked; a request names its own
    draft: FeedbackDraft
    request_id: int | None = None  # the request it answers
    nudged: bool = False  # the giver has seen the nudge and sent it again


def number(text: Any) -> int | None:
    """An id or a rating from a button's value or a form's choice."""
    return whole_number(text)


def form_meta(view: dict[str, Any]) -> dict[str, Any]:
    return payload.meta(view)


def _input(view: dict[str, Any], block: str, key: str) -> Any:
    """A submitted form's value: ``key`` ("value", "selected_user"...) of one input."""
    values = ((view.get("state") or {}).get("values") or {}).get(block) or {}
    return (values.get(ids.INPUT) or {}).get(key)


def _choice(view: dict[str, Any], block: str) -> str:
    return str((_input(view, block, "selected_option") or {}).get("value") or "")


def _source_ref(meta: dict[str, Any]) -> str | None:
    """The message a customer's feedback was logged from (the shortcut), as "channel:ts"."""
    channel, ts = payload.meta_text(meta, "msg_channel"), payload.meta_text(meta, "msg_ts")
    return f"{channel}:{ts}" if ts else None


def feedback_form(body: dict[str, Any], view: dict[str, Any]) -> FeedbackForm:
    meta = form_meta(view)
    draft = FeedbackDraft(
        situation=_input(view, ids.SITUATION, "value") or "",
        behaviour=_input(view, ids.BEHAVIOUR, "value") or "",
        impact=_input(view, ids.IMPACT, "value") or "",
        suggestion=_input(view, ids.SUGGESTION, "value") or "",
        skill=_choice(view, ids.SKILL),
        share_with_coach=_choice(view, ids.VISIBILITY) == FeedbackVisibility.COACH,
    )
    return FeedbackForm(
        team_id=body["team"]["id"],
        giver_id=body["user"]["id"],
        recipient_id=str(_input(view, ids.RECIPIENT, "selected_user") or ""),
        draft=draft,
        request_id=payload.an_id(meta.get("request")),
        nudged=bool(meta.get("nudged")),
    )


def customer_draft(view: dict[str, Any]) -> CustomerDraft:
    """The customer feedback form; the message it was logged from rides in its metadata."""
    meta = form_meta(view)
    return CustomerDraft(
        teammate_id=str(_input(view, ids.CF_TEAMMATE, "selected_user") or ""),
        kind=_choice(view, ids.CF_KIND),
        rating=number(_choice(view, ids.CF_RATING)),
        source=_choice(view, ids.CF_SOURCE),
        text=_input(view, ids.CF_TEXT, "value") or "",
        source_ref=_source_ref(meta),
    )
