"""Goal and check-in errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.goals import ids
from storage.models.goals import PromptStatus


@dataclass
class GoalNotFoundError(BravoError):
    """The goal was deleted, archived, or belongs to another workspace."""


@dataclass
class NotYourGoalError(BravoError):
    pass


@dataclass
class GoalClosedError(BravoError):
    status: str  # completed | archived


@dataclass
class PromptClosedError(BravoError):
    status: str  # answered | missed | closed


@dataclass
class InvalidPauseError(BravoError):
    why: str  # "past" | "too_far"


@dataclass
class OutOfDateError(BravoError):
    """A button or menu whose value this release cannot read (an old or a forged message)."""

    what: str  # "button" | "menu"


@dataclass
class FieldMissingError(BravoError):
    """A modal's field left empty or holding no valid choice."""

    block: str  # the block id of the field (ids.NOTE_PROGRESS...)


@dataclass
class AwayInThePastError(BravoError):
    """``/goal away until`` a day already gone."""

    day: str  # YYYY-MM-DD


@error_text.register
def _(err: AwayInThePastError) -> str:
    return (
        f"`{err.day}` is in the past. Pick today or a later date, "
        "e.g. `/goal away until 2026-12-24`."
    )


@error_text.register
def _(err: GoalNotFoundError) -> str:
    return "I can't find that goal any more; it may have been archived. See `/goal list`."


@error_text.register
def _(err: NotYourGoalError) -> str:
    return "That goal isn't yours, so you can't change it or check in on it."


@error_text.register
def _(err: GoalClosedError) -> str:
    return f"That goal is already {err.status}; nothing to do. See `/goal list`."


@error_text.register
def _(err: PromptClosedError) -> str:
    if err.status == PromptStatus.ANSWERED:
        return "You already answered this check-in. Thanks!"
    if err.status == PromptStatus.MISSED:
        return (
            "This check-in has closed; the next one will come on schedule. "
            "You can check in any time from `/goal list`."
        )
    return "This check-in is closed: the goal was completed or archived."


@error_text.register
def _(err: InvalidPauseError) -> str:
    if err.why == "past":
        return "Pick today or a later date to pause until."
    return "Pauses can last up to a year; archive the goal if it no longer matters."


@error_text.register
def _(err: OutOfDateError) -> str:
    return f"That {err.what} is out of date. Try `/goal list`."


def too_long(limit: int, length: int) -> str:
    return f"Please keep this under {limit} characters (now {length})."


@dataclass
class FieldTooLongError(BravoError):
    """A modal's text longer than the field takes (``ids.LIMITS``); nothing is saved."""

    block: str
    limit: int
    length: int


@error_text.register
def _(err: FieldTooLongError) -> str:
    return too_long(err.limit, err.length)


@error_text.register
def _(err: FieldMissingError) -> str:
    return {
        ids.NOTE_PROGRESS: "A line on where you stand.",
        ids.NOTE_STATUS: "Pick how it is going.",
        ids.PAUSE_UNTIL: "Pick a date.",
    }[err.block]
