"""Parsing ``/suggest`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import TextTooLongError
from bot.text import escape, plain, safe_mrkdwn, tokenize, visible_length

MAX_SUGGESTION = 1500


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


SuggestCommand = OpenSuggestModal | Suggest | SetupBox | SuggestHelp


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


def suggestion_id(value: str) -> int:
    """The suggestion a button or form names (0, found nowhere, when it names none)."""
    return int(value) if value.isdigit() else 0
