"""Parsing ``/suggest`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.commands import REGISTRY, near_miss
from bot.errors import TextTooLongError
from bot.suggestions.errors import DraftGoneError, NotASuggestionError
from bot.text import escape, is_number, plain, safe_mrkdwn, tokenize, visible_length

MAX_SUGGESTION = 1500
SUBCOMMANDS = ("setup", "help")
NONCE_RE = re.compile(r"[0-9a-f]{32}")  # secrets.token_hex(16)


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
    if len(stripped.split()) == 1:
        _not_a_command(stripped)
    return Suggest(suggestion_text(stripped, escaped=True))


def _other_commands() -> set[str]:
    """Subcommands of Bravo's other commands (``list``, ``stats``...): typed after /suggest by
    mistake far more often than meant as a one-word suggestion."""
    words = {c.usage.split()[1] for c in REGISTRY if len(c.usage.split()) > 1}
    return {w for w in words if w.isalpha()} - {"more"} | {"optin", "hide"}


def _not_a_command(word: str) -> None:
    """Refuse one bare word that is, or is close to, a command."""
    typed = word.lower()
    if meant := near_miss(typed, SUBCOMMANDS):
        raise NotASuggestionError(word[:40], meant)
    others = _other_commands()
    if typed in others or near_miss(typed, others):
        raise NotASuggestionError(word[:40], None)


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
    return int(value) if is_number(value) else 0


@dataclass(frozen=True)
class DraftValue:
    """What a preview's buttons carry: the draft's nonce, its author's tag and (when it fits)
    its text; a long draft's text waits in ``suggestion_draft``."""

    nonce: str
    author: str
    day: str  # ISO date of the preview: an old preview's buttons expire
    text: str | None


def draft_value(draft: DraftValue) -> str:
    values: dict[str, Any] = {"n": draft.nonce, "a": draft.author, "d": draft.day}
    if draft.text is not None:
        values["t"] = draft.text
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def parse_draft_value(value: str) -> DraftValue:
    try:
        found = json.loads(value)
    except ValueError:
        raise DraftGoneError() from None
    if not isinstance(found, dict) or not all(isinstance(found.get(k), str) for k in "nad"):
        raise DraftGoneError()
    if not NONCE_RE.fullmatch(found["n"]):
        raise DraftGoneError()
    text = found.get("t")
    return DraftValue(found["n"], found["a"], found["d"], text if isinstance(text, str) else None)


def draft_nonce(meta: dict[str, Any]) -> str | None:
    """The draft a form opened by **Edit** settles when it is posted."""
    nonce = meta.get("draft")
    return nonce if isinstance(nonce, str) and NONCE_RE.fullmatch(nonce) else None
