"""Parsing ``/bravo`` text into typed requests. Pure: no Slack, no database.

The ``celebrate`` words are celebrations' own: they come back as ``Celebrate`` for the edge to
hand to ``bot.celebrations.parse`` (a capability reads another's parse only through the edge)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cadence import WEEKDAYS, parse_hhmm
from bot.errors import UnknownCommandError
from bot.shoutouts.errors import (
    BadTimeError,
    LeadMentionError,
    UnknownTimeZoneError,
    UnknownWeekdayError,
)
from bot.shoutouts.ids import COMMAND
from bot.text import is_number, tokenize

DAY_NAMES = {name.lower(): i for i, name in enumerate(WEEKDAYS)} | {
    name[:3].lower(): i for i, name in enumerate(WEEKDAYS)
}


@dataclass(frozen=True)
class ShoutoutsOn:
    weekday: int | None = None  # None: the workspace's default day (``/bravo settings``)
    minute: int | None = None  # None: the workspace's default time
    tz: str | None = None  # None: the time zone of the person turning it on


@dataclass(frozen=True)
class ShoutoutsOff:
    pass


@dataclass(frozen=True)
class ShoutoutsPreview:
    pass


@dataclass(frozen=True)
class ShoutoutsList:
    pass


@dataclass(frozen=True)
class NameLead:
    user_id: str


@dataclass(frozen=True)
class Fairness:
    on: bool


@dataclass(frozen=True)
class BravoHelp:
    pass


@dataclass(frozen=True)
class Celebrate:
    """``/bravo celebrate ...`` (or ``celebrations``): the words after it, for celebrations."""

    words: tuple[str, ...]

    def not_understood(self) -> UnknownCommandError:
        return UnknownCommandError(COMMAND, " ".join(self.words), sub="celebrate")


@dataclass(frozen=True)
class Elsewhere:
    """``/bravo settings|export|forget|ratings ...``: words another room answers (the
    workspace's settings, a person's data, the customer-rating webhook); the edge hands them on."""

    verb: str  # "settings", "export", "forget" or "ratings"
    words: tuple[str, ...]


ELSEWHERE = {
    "settings": "settings",
    "setting": "settings",
    "export": "export",
    "forget": "forget",
    "ratings": "ratings",
    "rating": "ratings",
}


BravoCommand = (
    ShoutoutsOn
    | ShoutoutsOff
    | ShoutoutsPreview
    | ShoutoutsList
    | NameLead
    | Fairness
    | BravoHelp
    | Celebrate
    | Elsewhere
)


def parse_bravo_command(text: str) -> BravoCommand:
    words = text.strip().split()
    if not words or words[0].lower() in {"help", "?"}:
        return BravoHelp()
    verb, rest = words[0].lower(), words[1:]
    low = [w.lower() for w in rest]
    if verb in {"shoutouts", "shoutout", "shout-outs"}:
        if low[:1] == ["on"]:
            return parse_schedule(rest[1:])
        if low == ["off"]:
            return ShoutoutsOff()
        if low == ["preview"]:
            return ShoutoutsPreview()
        if low in (["list"], ["week"]):
            return ShoutoutsList()
    elif verb in {"celebrate", "celebrations"}:
        return Celebrate(tuple(rest))
    elif verb in ELSEWHERE:
        return Elsewhere(ELSEWHERE[verb], tuple(rest))
    elif verb == "lead":
        users = [t.id for t in tokenize(" ".join(rest)) if t.kind == "user"]
        if len(users) != 1:
            raise LeadMentionError()
        return NameLead(users[0])
    elif verb == "fairness":
        if low in (["on"], ["off"]):
            return Fairness(low == ["on"])
        raise UnknownCommandError(COMMAND, " ".join(rest), sub="fairness")
    else:
        raise UnknownCommandError(COMMAND, words[0])
    raise UnknownCommandError(COMMAND, " ".join(rest), sub="shoutouts")


def parse_schedule(words: list[str]) -> ShoutoutsOn:
    """``[weekday] [HH:MM] [time zone]``, in any order; each word must be one of them."""
    weekday: int | None = None
    minute: int | None = None
    tz: str | None = None
    for word in words:
        low = word.lower().rstrip(",")
        if low in DAY_NAMES:
            weekday = DAY_NAMES[low]
        elif re.fullmatch(r"[0-9]{1,2}[:.h][0-9]{1,2}|[0-9]{1,2}(am|pm)?|[0-9:.]+", low):
            minute = _time(low, word)
        elif "/" in word or word.upper() in {"UTC", "GMT"}:
            tz = _zone(word)
        elif low.isalpha() and len(low) <= 12:
            raise UnknownWeekdayError(word[:40])
        else:
            raise UnknownTimeZoneError(word[:60])
    return ShoutoutsOn(weekday, minute, tz)


def _time(low: str, word: str) -> int:
    """``16:00``, ``16.00``, ``16h00``, ``16``, ``4pm``, ``9:30am``."""
    half = 0
    if low.endswith(("am", "pm")):
        half, low = (12 if low.endswith("pm") else 0), low[:-2]
    if is_number(low):
        low += ":00"
    parsed = parse_hhmm(low.replace(".", ":").replace("h", ":"))
    if parsed is None or ((half or word.lower().endswith("am")) and not 60 <= parsed < 13 * 60):
        raise BadTimeError(word[:40])
    if word.lower().endswith(("am", "pm")):
        parsed = parsed % (12 * 60) + half * 60
    return parsed


def _zone(word: str) -> str:
    name = "UTC" if word.upper() in {"UTC", "GMT"} else word
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(word[:60]) from None
    return name
