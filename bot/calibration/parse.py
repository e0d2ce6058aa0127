"""``/review calibrate ...`` text -> typed values, and a deadline's moment. Pure functions.

/review calibrate <link> @ben @cy @dee [for @ana] [by friday | by 2026-12-10 | in 2 days | 2]
/review calibrate history            (or: agreement)
/review calibrate show 12
/review calibrate cancel 12
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calibration.errors import (
    BadDeadlineError,
    CalibrateTooLongError,
    GroupMentionError,
    ManyLinksError,
    NoLinkError,
    NotALinkError,
    ReviewerCountError,
    StrayWordsError,
)
from bot.calibration.ids import (
    DEFAULT_DAYS,
    MAX_DAYS,
    MAX_LINK,
    MAX_REVIEWERS,
    MAX_TEXT,
    MIN_REVIEWERS,
)
from bot.text import Token, is_number, plain, tokenize, whole_number

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DUE_HOUR = time(17, 0)  # a deadline given as a day ends at 17:00 in the lead's time zone
BARE_LINK = re.compile(r"^https?://\S+$")
DAYS = {"day", "days", "d"}


@dataclass(frozen=True)
class When:
    """A deadline as typed: ``days`` from now, or a day (``on``) or ``weekday`` (0 = Monday)."""

    days: int | None = None
    on: date | None = None
    weekday: int | None = None
    text: str = ""


@dataclass(frozen=True)
class OpenRound:
    link: str
    reviewer_ids: tuple[str, ...]
    agent_id: str | None = None
    when: When = When(days=DEFAULT_DAYS)


@dataclass(frozen=True)
class History:
    pass


@dataclass(frozen=True)
class ShowRound:
    round_id: int


@dataclass(frozen=True)
class CancelRound:
    round_id: int


@dataclass(frozen=True)
class CalibrateHelp:
    pass


Calibrate = OpenRound | History | ShowRound | CancelRound | CalibrateHelp
Item = Token  # an entity, or a "text" token holding one word


def parse_calibrate(text: str) -> Calibrate:
    """What ``/review calibrate`` was asked to do; a domain error naming what is wrong."""
    if len(text) > MAX_TEXT:
        raise CalibrateTooLongError(len(text))
    items = _items(text)
    first = items[0].raw.lower() if items and items[0].kind == "text" else ""
    if not items or first == "help":
        return CalibrateHelp()
    if first in {"history", "agreement"} and len(items) == 1:
        return History()
    if first in {"show", "cancel"}:
        number = whole_number(items[1].raw.lstrip("#"), max_digits=9) if len(items) == 2 else None
        if number is None:
            raise StrayWordsError(" ".join(i.raw for i in items))
        return ShowRound(number) if first == "show" else CancelRound(number)
    return _open_round(items)


def _items(text: str) -> list[Item]:
    items: list[Item] = []
    for tok in tokenize(text):
        if tok.kind == "text":
            items += [Token("text", w) for w in tok.raw.split()]
        else:
            items.append(tok)
    return items


def _open_round(items: list[Item]) -> OpenRound:
    links: list[str] = []
    people: list[str] = []
    agent: str | None = None
    when: When | None = None
    i = 0
    while i < len(items):
        item, word = items[i], items[i].raw.lower()
        i += 1
        if item.kind == "link" or (item.kind == "text" and BARE_LINK.match(plain(item.raw))):
            links.append(item.id if item.kind == "link" else plain(item.raw))
        elif item.kind == "special" and ":" in item.label:  # <mailto:...>, <ftp://...>
            raise NotALinkError(plain(item.label.split("|")[0]))
        elif item.kind == "user":
            people.append(item.id)
        elif item.kind == "group":
            raise GroupMentionError()
        elif word == "for" and i < len(items) and items[i].kind == "user" and agent is None:
            agent, i = items[i].id, i + 1
        elif when is None and (found := _when(items, i - 1)) is not None:
            when, i = found
        else:
            raise StrayWordsError(plain(item.raw) if item.kind == "text" else item.raw)
    if not links:
        raise NoLinkError(mention_first=bool(items) and items[0].kind == "user")
    if len(links) > 1:
        raise ManyLinksError()
    if len(links[0]) > MAX_LINK or any(c in links[0] for c in '<>|"'):
        raise NotALinkError(links[0])
    reviewers = tuple(dict.fromkeys(people))
    if not MIN_REVIEWERS <= len(reviewers) <= MAX_REVIEWERS:
        raise ReviewerCountError(len(reviewers))
    return OpenRound(links[0], reviewers, agent, when or When(days=DEFAULT_DAYS))


def _is_word(items: list[Item], at: int) -> str:
    return items[at].raw.lower() if at < len(items) and items[at].kind == "text" else ""


def _when(items: list[Item], at: int) -> tuple[When, int] | None:
    """A deadline starting at ``items[at]`` and where the words after it start; None when the
    word there does not start one. A word that starts one but cannot be read is an error."""
    word = _is_word(items, at)
    if word == "by":
        value = _is_word(items, at + 1)
        if not value:
            raise BadDeadlineError("by")
        return _by(value), at + 2
    if word == "in" or is_number(word):
        start = at + 1 if word == "in" else at
        count = whole_number(_is_word(items, start), max_digits=3)
        if count is None:
            raise BadDeadlineError(" ".join(i.raw for i in items[at : start + 1]))
        end = start + 1 + (_is_word(items, start + 1) in DAYS)
        if not 1 <= count <= MAX_DAYS:
            raise BadDeadlineError(f"{count} days", "far" if count > MAX_DAYS else "unreadable")
        return When(days=count, text=f"{count} days"), end
    return None


def _by(value: str) -> When:
    if value in WEEKDAYS:
        return When(weekday=WEEKDAYS.index(value), text=value)
    if value[:3] in {w[:3] for w in WEEKDAYS} and len(value) <= 4:  # "fri", "thur"
        return When(weekday=[w[:3] for w in WEEKDAYS].index(value[:3]), text=value)
    if value == "tomorrow":
        return When(days=1, text=value)
    try:
        return When(on=date.fromisoformat(value), text=value)
    except ValueError:
        raise BadDeadlineError(value) from None


def deadline_at(when: When, *, now: datetime, zone: ZoneInfo) -> datetime:
    """The moment a deadline falls: ``days`` from now, or 17:00 on the day in ``zone`` (a
    weekday: the next one after today). Past, or further than ``MAX_DAYS``: an error."""
    if when.days is not None and when.text != "tomorrow":
        return now + timedelta(days=when.days)
    today = now.astimezone(zone).date()
    if when.weekday is not None:
        day = today + timedelta(days=(when.weekday - today.weekday() - 1) % 7 + 1)
    elif when.on is not None:
        day = when.on
    else:
        day = today + timedelta(days=1)
    moment = datetime.combine(day, DUE_HOUR, zone).astimezone(now.tzinfo)
    if moment <= now:
        raise BadDeadlineError(when.text, "past")
    if moment > now + timedelta(days=MAX_DAYS):
        raise BadDeadlineError(when.text, "far")
    return moment
