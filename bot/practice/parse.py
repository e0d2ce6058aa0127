"""``/practice`` text and practice payloads -> typed values. Pure: skills are checked by the
use cases, which know the workspace's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.cadence import parse_hhmm
from bot.payload import UnreadableError, an_id, meta, text_at
from bot.practice import ids
from bot.practice.errors import PlanTimeError, PlanUsageError
from bot.text import whole_number


@dataclass(frozen=True)
class Practise:
    """``/practice`` or ``/practice <skill>``: a scenario now."""

    skill: str | None


@dataclass(frozen=True)
class Plan:
    """``/practice every weekday 09:00 [skill]``."""

    minute: int
    skill: str | None


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class History:
    pass


@dataclass(frozen=True)
class PracticeHelp:
    pass


@dataclass(frozen=True)
class Scenarios:
    """``/practice scenarios ...``: the admins' library, handled elsewhere."""

    words: tuple[str, ...]


Asked = Practise | Plan | Stop | History | PracticeHelp | Scenarios
WORDS: dict[str, Asked] = {"stop": Stop(), "history": History(), "help": PracticeHelp()}
WEEKDAY_WORDS = ("weekday", "weekdays")


def parse_practice_command(text: str) -> Asked:
    words = tuple(text.split())
    if not words:
        return Practise(None)
    first = words[0].lower()
    if first == "scenarios":
        return Scenarios(words[1:])
    if first in WORDS and len(words) == 1:
        return WORDS[first]
    if first == "every":
        return _plan(text, words[1:])
    if first in WEEKDAY_WORDS:
        raise PlanUsageError(text)
    # Several words are no skill (skills are one word): the use case says which ones there are.
    return Practise(" ".join(words).lower().lstrip("#"))


def _plan(text: str, rest: tuple[str, ...]) -> Plan:
    """``every weekday [at] HH:MM [skill]``."""
    if not rest or rest[0].lower() not in WEEKDAY_WORDS:
        raise PlanUsageError(text)
    rest = rest[1:]
    if rest and rest[0].lower() == "at":
        rest = rest[1:]
    if not rest:
        raise PlanTimeError("")
    minute = parse_hhmm(rest[0])
    if minute is None:
        raise PlanTimeError(rest[0])
    if len(rest) > 2:
        raise PlanUsageError(text)
    return Plan(minute, rest[1].lower().lstrip("#") if len(rest) == 2 else None)


# Payloads --------------------------------------------------------------------------------------


def round_id_of(action: dict[str, Any]) -> int:
    """The round a button names (its value): a positive id, else ``UnreadableError``."""
    found = whole_number(action.get("value"))
    if found is None or found <= 0:
        raise UnreadableError("a button")
    return an_id(found) or 0


def round_meta(round_id: int) -> str:
    return json.dumps({"round": round_id})


def round_of_view(view: dict[str, Any]) -> int:
    found = an_id(meta(view).get("round"))
    if found is None:
        raise UnreadableError("the form's data")
    return found


def reply_of(view: dict[str, Any]) -> str:
    return text_at(view, ids.REPLY_BLOCK, ids.INPUT).strip()


def note_of(view: dict[str, Any]) -> str:
    return text_at(view, ids.NOTE_BLOCK, ids.INPUT).strip()


def checks_of(view: dict[str, Any]) -> tuple[int, ...]:
    """The ticked checklist items, by index (values Bravo wrote: "0", "1"...)."""
    element = (((view.get("state") or {}).get("values") or {}).get(ids.CHECKS_BLOCK) or {}).get(
        ids.INPUT
    ) or {}
    chosen = element.get("selected_options") or []
    if not isinstance(chosen, list):
        raise UnreadableError("a field", ids.CHECKS_BLOCK)
    found: set[int] = set()
    for option in chosen:
        raw = option.get("value") if isinstance(option, dict) else None
        value = whole_number(raw, max_digits=2)
        if value is None:
            raise UnreadableError("a field", ids.CHECKS_BLOCK)
        found.add(value)
    return tuple(sorted(found))


def raters_of(view: dict[str, Any]) -> tuple[str, ...]:
    element = (((view.get("state") or {}).get("values") or {}).get(ids.RATERS_BLOCK) or {}).get(
        ids.INPUT
    ) or {}
    users = element.get("selected_users") or []
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise UnreadableError("a field", ids.RATERS_BLOCK)
    return tuple(dict.fromkeys(users))
