"""Goal and check-in errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text


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
    return {
        "answered": "You already answered this check-in. Thanks!",
        "missed": "This check-in has closed; the next one will come on schedule. "
        "You can check in any time from `/goal list`.",
    }.get(err.status, "This check-in is closed: the goal was completed or archived.")


@error_text.register
def _(err: InvalidPauseError) -> str:
    if err.why == "past":
        return "Pick today or a later date to pause until."
    return "Pauses can last up to a year; archive the goal if it no longer matters."
