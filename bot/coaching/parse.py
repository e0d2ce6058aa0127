"""Parsing ``/coach`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NoRecipientError, UnknownCommandError
from bot.text import tokenize


@dataclass(frozen=True)
class AskToCoach:
    user_id: str


@dataclass(frozen=True)
class ListCoaching:
    pass


@dataclass(frozen=True)
class CoachHelp:
    pass


CoachCommand = AskToCoach | ListCoaching | CoachHelp


def parse_coach_command(text: str) -> CoachCommand:
    words = text.strip().split()
    if not words or words[0].lower() in {"help", "?"}:
        return CoachHelp()
    if words[0].lower() in {"list", "ls"}:
        return ListCoaching()
    users = [t.id for t in tokenize(text) if t.kind == "user"]
    if len(users) == 1 and len(words) == 1:
        return AskToCoach(users[0])
    if len(users) > 1:
        raise UnknownCommandError("one person at a time")
    if not users and words[0].startswith("@"):
        raise NoRecipientError((words[0].lstrip("@")[:40],))
    raise UnknownCommandError(words[0][:40])


def number(text: str) -> int | None:
    """A pairing id carried by a button, if it is one."""
    return int(text) if text.isdigit() and len(text) <= 12 else None
