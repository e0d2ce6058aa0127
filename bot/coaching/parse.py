"""Parsing ``/coach`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coaching.ids import COACH_COMMAND
from bot.errors import NoRecipientError, OnePersonError, UnknownCommandError
from bot.text import tokenize, whole_number


@dataclass(frozen=True)
class AskToCoach:
    user_id: str


@dataclass(frozen=True)
class ListCoaching:
    pass


@dataclass(frozen=True)
class EndCoaching:
    """``/coach end @ana``: end the coaching between the caller and Ana, whoever coaches."""

    user_id: str


@dataclass(frozen=True)
class CoachHelp:
    pass


CoachCommand = AskToCoach | ListCoaching | EndCoaching | CoachHelp


def parse_coach_command(text: str) -> CoachCommand:
    words = text.strip().split()
    if not words or words[0].lower() in {"help", "?"}:
        return CoachHelp()
    if words[0].lower() in {"list", "ls"}:
        return ListCoaching()
    if words[0].lower() == "end":
        return EndCoaching(_one_person(words[1:], "end"))
    return AskToCoach(_one_person(words, None))


def _one_person(words: list[str], sub: str | None) -> str:
    """The one person mentioned in ``words``, and nothing else."""
    tokens = [t for t in tokenize(" ".join(words)) if t.kind != "text" or t.raw.strip()]
    users = [t.id for t in tokens if t.kind == "user"]
    if len(set(users)) > 1:
        raise OnePersonError(COACH_COMMAND, sub)
    if users and all(t.kind == "user" for t in tokens):
        return users[0]
    if not users and (not words or words[0].startswith("@")):
        raise NoRecipientError(COACH_COMMAND, tuple(w.lstrip("@")[:40] for w in words[:1]), sub)
    other = next((t.raw.split()[0] for t in tokens if t.kind == "text"), words[0])
    raise UnknownCommandError(COACH_COMMAND, other[:40], sub)


def number(text: str) -> int | None:
    """A pairing id carried by a button, if it is one."""
    return whole_number(text)
