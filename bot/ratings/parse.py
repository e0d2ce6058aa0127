"""What a webhook request says, checked: its signature headers and its JSON body; and the words
of ``/bravo ratings``. Pure functions."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from bot.ratings import ids

SLACK_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
URL_RE = re.compile(r"^https?://[^\s<>|]+$", re.IGNORECASE)
CSAT = {"good": 5, "bad": 1}
FIELDS = {"agent_slack_id", "agent_email", "rating", "comment", "source", "ticket_url"}


class Problem(Exception):
    """Why a request is refused: its HTTP status, a short error code and words for the sender."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


@dataclass(frozen=True)
class Rating:
    agent_slack_id: str | None
    agent_email: str | None  # lower case
    rating: int  # 1..5; CSAT "good" is 5 and "bad" 1
    comment: str
    source: str
    ticket_url: str | None

    def dedupe_key(self, signature: str) -> str:
        """The same ticket from the same source is one rating; without a ticket there is no
        way to tell two ratings apart, so each signed request counts (a replay is refused)."""
        if self.ticket_url:
            base = f"ticket\0{self.source.lower()}\0{self.ticket_url}"
        else:
            base = f"request\0{signature}"
        return hashlib.sha256(base.encode()).hexdigest()


# Signature -------------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``v0=`` + hex HMAC-SHA256(secret, ``v0:{timestamp}:{raw body}``), as Slack signs."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def check_headers(timestamp: str, signature: str, now: float) -> None:
    if not timestamp or not signature:
        raise Problem(401, "missing_signature", "X-Bravo-Timestamp and X-Bravo-Signature needed.")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Problem(401, "bad_timestamp", "X-Bravo-Timestamp must be Unix seconds.")
    if abs(now - int(timestamp)) > ids.SIGNATURE_MAX_AGE:
        raise Problem(401, "stale_timestamp", "X-Bravo-Timestamp is more than 5 minutes away.")


def signed(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def signature_hash(signature: str) -> str:
    return hashlib.sha256(signature.encode("utf-8", "replace")).hexdigest()


# Body ------------------------------------------------------------------------------------------


def parse_body(body: bytes) -> Rating:
    """The rating in a JSON body, or ``Problem`` (400 or 422) saying what is wrong."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Problem(400, "invalid_json", "The body must be a JSON object.") from None
    if not isinstance(data, dict):
        raise Problem(400, "invalid_json", "The body must be a JSON object.")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise _field(f"unknown field {unknown[0][:40]!r}")
    slack_id, email = _agent(data)
    comment = _text(data, "comment", ids.MAX_COMMENT) or ""
    source = (_text(data, "source", ids.MAX_SOURCE) or "").strip()
    if not source:
        raise _field("source is required (the tool that sent the rating, like 'zendesk')")
    return Rating(
        agent_slack_id=slack_id,
        agent_email=email,
        rating=_rating(data.get("rating")),
        comment=comment.strip(),
        source=source,
        ticket_url=_url(data),
    )


def _field(detail: str) -> Problem:
    return Problem(422, "invalid_field", detail)


def _text(data: dict[str, Any], name: str, limit: int) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _field(f"{name} must be a string")
    if "\0" in value:
        raise _field(f"{name} must not contain NUL characters")
    if len(value) > limit:
        raise _field(f"{name} is longer than {limit} characters")
    return value


def _agent(data: dict[str, Any]) -> tuple[str | None, str | None]:
    slack_id = (_text(data, "agent_slack_id", 32) or "").strip() or None
    email = (_text(data, "agent_email", ids.MAX_EMAIL) or "").strip().lower() or None
    if slack_id is None and email is None:
        raise _field("agent_slack_id or agent_email is required")
    if slack_id is not None and not SLACK_ID_RE.match(slack_id):
        raise _field("agent_slack_id must be a Slack user id like U0123ABCD")
    if email is not None and not EMAIL_RE.match(email):
        raise _field("agent_email must be an email address")
    return slack_id, email


def _rating(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() in CSAT:
        return CSAT[value.strip().lower()]
    wrong = _field('rating must be a whole number from 1 to 5, or "good" or "bad"')
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong
    if not (isinstance(value, int) or math.isfinite(value)) or value not in range(1, 6):
        raise wrong
    return int(value)


def _url(data: dict[str, Any]) -> str | None:
    url = (_text(data, "ticket_url", ids.MAX_URL) or "").strip()
    if not url:
        return None
    if not URL_RE.match(url):
        raise _field("ticket_url must be an http(s) link")
    return url


# ``/bravo ratings`` ----------------------------------------------------------------------------


def parse_words(words: tuple[str, ...]) -> str | None:
    """ "hook" (no words) or "unmatched"; None for anything else."""
    said = [w.lower() for w in words]
    if not said:
        return "hook"
    if said in (["unmatched"], ["unmatch"], ["waiting"]):
        return "unmatched"
    return None


def rating_id(value: object) -> int | None:
    """A button value or block id suffix that is a rating's id."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None
