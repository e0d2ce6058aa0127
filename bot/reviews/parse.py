"""``/review`` text, its modals' metadata and button values -> typed values. Pure: no Slack,
no database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.errors import UnknownCommandError
from bot.payload import an_id, meta
from bot.reviews.errors import NotALinkError, ReviewUsageError
from bot.reviews.ids import MAX_LINK, REASON_BLOCK, REVIEW_COMMAND
from bot.text import Token, plain, tokenize, whole_number

INPUT = "input"


@dataclass(frozen=True)
class ReviewSomeone:
    """``/review @ana <link>``: open the scorecard for one of Ana's conversations."""

    agent_id: str
    link: str


@dataclass(frozen=True)
class ListReviews:
    """``/review list [@someone]``."""

    user_id: str | None = None


@dataclass(frozen=True)
class ReviewHelp:
    pass


ReviewCommand = ReviewSomeone | ListReviews | ReviewHelp


def parse_review_command(text: str) -> ReviewCommand:
    """What ``/review`` was asked (``calibrate`` is handed on before this is called)."""
    words = text.split()
    first = words[0].lower() if words else ""
    if not words or first in {"help", "?"}:
        return ReviewHelp()
    if first in {"list", "ls"}:
        return _list(words[1:])
    return _review(text)


def _meaningful(text: str) -> list[Token]:
    tokens: list[Token] = []
    for tok in tokenize(text):
        if tok.kind != "text":
            tokens.append(tok)
            continue
        tokens.extend(Token("text", word) for word in tok.raw.split())
    return tokens


def _list(words: list[str]) -> ListReviews:
    tokens = _meaningful(" ".join(words))
    if not tokens:
        return ListReviews()
    if len(tokens) == 1 and tokens[0].kind == "user":
        return ListReviews(tokens[0].id)
    raise UnknownCommandError(REVIEW_COMMAND, tokens[0].raw[:40], sub="list")


def _review(text: str) -> ReviewSomeone:
    tokens = _meaningful(text)
    agent = next((t for t in tokens if t.kind == "user"), None)
    if agent is None:
        raise ReviewUsageError("person")
    rest = [t for t in tokens if t is not agent]
    if not rest:
        raise ReviewUsageError("link")
    if len(rest) > 1:
        if any(t.kind == "user" for t in rest):
            raise ReviewUsageError("one_person")
        raise NotALinkError(" ".join(t.raw for t in rest)[:80])
    return ReviewSomeone(agent.id, read_link(rest[0]))


def read_link(tok: Token) -> str:
    """The http(s) URL a token is: Slack's ``<https://…>`` or ``<https://…|label>``, or the
    URL typed plainly. Anything else (a person, ``javascript:``, an address without a host,
    a paste longer than any link) raises ``NotALinkError``."""
    if tok.kind == "user":
        raise NotALinkError(tok.raw, "person")
    raw = tok.id if tok.kind == "link" else plain(tok.raw)
    if len(raw) > MAX_LINK:
        raise NotALinkError(raw[:80], "too_long")
    if tok.kind not in {"link", "text"}:
        raise NotALinkError(plain(tok.label or tok.raw)[:80])
    url = plain(raw)
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise NotALinkError(url[:80]) from err
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise NotALinkError(url[:80])
    if any(ch.isspace() or ch in "<>|\"'`" for ch in url):
        raise NotALinkError(url[:80])
    return url


# Modals and buttons ----------------------------------------------------------------------------


def review_meta(*, agent_id: str, link: str) -> str:
    return json.dumps({"agent": agent_id, "link": link}, separators=(",", ":"))


def id_meta(review_id: int) -> str:
    return json.dumps({"review": review_id}, separators=(",", ":"))


def discuss_meta(review_id: int, channel: object, ts: object) -> str:
    """The reason modal's metadata: the review, and the agent's DM it was opened from (to
    redraw it), when the click came from a DM."""
    found: dict[str, Any] = {"review": review_id}
    if isinstance(channel, str) and channel.startswith("D") and isinstance(ts, str) and ts:
        found |= {"channel": channel, "ts": ts}
    return json.dumps(found, separators=(",", ":"))


def dm_of(view: dict[str, Any]) -> tuple[str, str] | None:
    """The agent's DM a reason modal was opened from: a DM channel and a message ts only."""
    found = meta(view)
    channel, ts = found.get("channel"), found.get("ts")
    if isinstance(channel, str) and channel.startswith("D") and isinstance(ts, str) and ts:
        return channel[:32], ts[:32]
    return None


@dataclass(frozen=True)
class NewReview:
    """The scorecard modal as Bravo opened it: whose conversation, which link."""

    agent_id: str
    link: str


def new_review(view: dict[str, Any]) -> NewReview:
    """The agent and link Bravo put in the scorecard's metadata (checked again, as typed)."""
    found = meta(view)
    agent, link = found.get("agent"), found.get("link")
    if not isinstance(agent, str) or not isinstance(link, str) or not agent:
        raise NotALinkError(str(link)[:80])
    return NewReview(agent, read_link(Token("text", link)))


def review_id_of(view: dict[str, Any]) -> int:
    """The review a modal (reason, changed scores, goal) is about; 0 when it names none."""
    return an_id(meta(view).get("review")) or 0


def button_id(action: dict[str, Any]) -> int:
    """The review id a button carries (0, found nowhere, when it carries none)."""
    return whole_number(action.get("value")) or 0


def reason_of(view: dict[str, Any]) -> str:
    values = ((view.get("state") or {}).get("values") or {}).get(REASON_BLOCK) or {}
    value = (values.get(INPUT) or {}).get("value")
    return value.strip() if isinstance(value, str) else ""
