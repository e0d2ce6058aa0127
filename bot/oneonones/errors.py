"""One-on-one errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.cadence import WEEKDAYS
from bot.errors import BravoError, error_text
from bot.text import said, trim


@dataclass
class OneOnOneUsage(BravoError):
    """``/coach 1on1`` typed in a shape it does not take."""

    typed: str  # the (trimmed, mention-free) word that did not fit, or ""


@dataclass
class BadWeekday(BravoError):
    typed: str


@dataclass
class BadTime(BravoError):
    typed: str


@dataclass
class TimeMissing(BravoError):
    """The local time does not exist on the next meeting's day (a daylight-saving gap)."""

    weekday: int
    minute: int
    day: str  # ISO date of that day
    zone: str


@dataclass
class OneOnOneSelf(BravoError):
    pass


@dataclass
class NotAPerson(BravoError):
    user_id: str
    why: str  # "bot" | "deactivated" | "unknown"


@dataclass
class NotYourCoachee(BravoError):
    """No active coaching pairing where the caller coaches ``user_id``."""

    user_id: str
    for_prep: bool = False  # asked for a prep note, not to set a one-on-one


@dataclass
class NoOneOnOne(BravoError):
    """No one-on-one between the caller and ``user_id`` (either way round)."""

    user_id: str


@dataclass
class MeetingGone(BravoError):
    """A button or modal about a meeting or action item that is not the presser's."""


@dataclass
class ItemAnswered(BravoError):
    state: str


@dataclass
class TooLong(BravoError):
    what: str
    limit: int


@dataclass
class NothingWritten(BravoError):
    what: str


USAGE = (
    "Try `/coach 1on1 @ana every tuesday 14:00` (or `every other tuesday 14:00`), "
    "`/coach 1on1 @ana move thursday 10:30`, `/coach 1on1 @ana cancel`, "
    "`/coach 1on1 @ana notes` or `/coach 1on1 list`."
)


def shown(typed: str) -> str:
    """A word someone typed, short and with no live mention."""
    return said(trim(typed, 40))


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@error_text.register
def _(err: OneOnOneUsage) -> str:
    if err.typed:
        return f"I didn't understand “{shown(err.typed)}” in `/coach 1on1`. {USAGE}"
    return f"`/coach 1on1` needs a bit more. {USAGE}"


@error_text.register
def _(err: BadWeekday) -> str:
    return (
        f"“{shown(err.typed)}” isn't a day of the week. Use one of "
        f"{', '.join(d.lower() for d in WEEKDAYS)}; nothing was saved."
    )


@error_text.register
def _(err: BadTime) -> str:
    return (
        f"“{shown(err.typed)}” isn't a time I can use: write it as HH:MM on a 24-hour clock, "
        "like 09:30 or 14:00. Nothing was saved."
    )


@error_text.register
def _(err: TimeMissing) -> str:
    return (
        f"{hhmm(err.minute)} doesn't exist on {WEEKDAYS[err.weekday]} {err.day} in {err.zone}: "
        "the clocks change then. Pick another time; nothing was saved."
    )


@error_text.register
def _(err: OneOnOneSelf) -> str:
    return "A one-on-one takes two people: pick someone you coach."


@error_text.register
def _(err: NotAPerson) -> str:
    why = {
        "bot": "is a bot",
        "deactivated": "has left the workspace",
        "unknown": "isn't someone I can find in this workspace",
    }.get(err.why, "can't meet")
    return f"<@{err.user_id}> {why}, so there's no one-on-one to set. Nothing was saved."


@error_text.register
def _(err: NotYourCoachee) -> str:
    if err.for_prep:
        return (
            f"Only <@{err.user_id}>'s coaches get a prep note for their one-on-ones, and you "
            f"don't coach <@{err.user_id}>. Nothing was sent."
        )
    return (
        f"You can set one-on-ones only with someone you coach, and you don't coach "
        f"<@{err.user_id}> (they accept a `/coach @name` offer first). Nothing was saved."
    )


@error_text.register
def _(err: NoOneOnOne) -> str:
    return (
        f"There's no one-on-one between you and <@{err.user_id}>. See `/coach 1on1 list`; "
        "nothing was changed."
    )


@error_text.register
def _(err: MeetingGone) -> str:
    return "That one-on-one no longer exists, or it isn't yours."


@error_text.register
def _(err: ItemAnswered) -> str:
    return f"That action item was already answered ({err.state}); nothing changed."


@error_text.register
def _(err: TooLong) -> str:
    return f"The {err.what} can be at most {err.limit} characters: please shorten it."


@error_text.register
def _(err: NothingWritten) -> str:
    return f"The {err.what} is empty: write something first."


@dataclass
class MeetingPast(BravoError):
    """Topics for a meeting that already happened."""


@dataclass
class TooManyTopics(BravoError):
    limit: int


@error_text.register
def _(err: MeetingPast) -> str:
    return "That one-on-one has already happened; add topics to the next one when it comes."


@error_text.register
def _(err: TooManyTopics) -> str:
    return f"This one-on-one already has {err.limit} topics: talk those through first."
