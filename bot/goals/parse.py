"""Parsing ``/goal`` and ``/coach`` text into typed requests. Pure: no Slack, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.errors import BadDateError, NoRecipientError, UnknownCommandError
from bot.text import tokenize


@dataclass(frozen=True)
class OpenGoalModal:
    pass


@dataclass(frozen=True)
class ListGoals:
    owner_id: str | None = None  # None: my own


@dataclass(frozen=True)
class SetAway:
    until: date | None  # None: back now


@dataclass(frozen=True)
class GoalHelp:
    pass


@dataclass(frozen=True)
class AskToCoach:
    user_id: str


@dataclass(frozen=True)
class ListCoaching:
    pass


@dataclass(frozen=True)
class CoachHelp:
    pass


GoalCommand = OpenGoalModal | ListGoals | SetAway | GoalHelp
CoachCommand = AskToCoach | ListCoaching | CoachHelp


def _users(text: str) -> list[str]:
    return [t.id for t in tokenize(text) if t.kind == "user"]


def parse_goal_command(text: str) -> GoalCommand:
    words = text.strip().split()
    if not words:
        return OpenGoalModal()
    verb = words[0].lower()
    if verb in {"help", "?"}:
        return GoalHelp()
    if verb in {"list", "ls"}:
        users = _users(text)
        return ListGoals(users[0] if users else None)
    if verb == "back":
        return SetAway(None)
    if verb == "away":
        rest = [w for w in words[1:] if w.lower() != "until"]
        if len(rest) == 1 and rest[0].lower() in {"off", "none"}:
            return SetAway(None)
        if len(rest) != 1:
            raise BadDateError(" ".join(words[1:]) or "")
        try:
            return SetAway(date.fromisoformat(rest[0]))
        except ValueError:
            raise BadDateError(rest[0]) from None
    raise UnknownCommandError(words[0][:40])


def parse_coach_command(text: str) -> CoachCommand:
    words = text.strip().split()
    if not words or words[0].lower() in {"help", "?"}:
        return CoachHelp()
    if words[0].lower() in {"list", "ls"}:
        return ListCoaching()
    users = _users(text)
    if len(users) == 1 and len(words) == 1:
        return AskToCoach(users[0])
    if len(users) > 1:
        raise UnknownCommandError("one person at a time")
    if not users and words[0].startswith("@"):
        raise NoRecipientError((words[0].lstrip("@")[:40],))
    raise UnknownCommandError(words[0][:40])
