"""Training's errors and their words, in the words of ``/learned course``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.learning.ids import LEARNED_COMMAND, MAX_TITLE
from bot.text import escape

COURSE = f"{LEARNED_COMMAND} course"
EXAMPLE = f'`{COURSE} "De-escalation basics" #empathy on yesterday next: name the feeling first`'
SHOWN = 40  # at most this much of what was typed is repeated in an error
MAX_NEXT = 1000  # characters of what the person will try next (a goal's "what" holds as much)
MAX_AGE_DAYS = 5 * 366  # training older than five years is a typo, not a record


def _shown(typed: str) -> str:
    return escape(typed if len(typed) <= SHOWN else typed[:SHOWN] + "…")


@dataclass
class TitleError(BravoError):
    """No title, or one longer than ``MAX_TITLE`` (``length``)."""

    length: int = 0


@error_text.register
def _(err: TitleError) -> str:
    if err.length:
        return (
            f"A training's title holds at most {MAX_TITLE} characters (yours has "
            f"{err.length:,}). Keep the course's name; say what you'll try after `next:`."
        )
    return f"Say which training you took, in quotes: {EXAMPLE}."


@dataclass
class NextStepError(BravoError):
    """What the person will try next is longer than ``MAX_NEXT``."""

    length: int


@error_text.register
def _(err: NextStepError) -> str:
    return (
        f"What you'll try next holds at most {MAX_NEXT:,} characters (yours has "
        f"{err.length:,}). One thing to try is plenty."
    )


@dataclass
class CourseDateError(BravoError):
    """``on <date>`` that is no date, in the future, or too long ago."""

    typed: str
    why: str  # "unknown" | "future" | "old"


@error_text.register
def _(err: CourseDateError) -> str:
    if err.why == "future":
        return f"`{_shown(err.typed)}` is in the future: record a training once you have taken it."
    if err.why == "old":
        return f"`{_shown(err.typed)}` is more than five years ago; check the date."
    return (
        f"`{_shown(err.typed)}` isn't a date I know. Say `on 2026-03-14`, `on yesterday`, "
        "`on today` or `on monday`."
    )


@dataclass
class CourseSkillError(BravoError):
    """A ``#skill`` that is not one of the workspace's (or more than one)."""

    typed: str
    near: str | None
    skills: tuple[str, ...]


@error_text.register
def _(err: CourseSkillError) -> str:
    known = ", ".join(f"`#{s}`" for s in err.skills) or "none yet"
    if err.typed == "":
        return f"One skill per training, please. Skills: {known}."
    lead = f"There's no skill called `#{_shown(err.typed)}`."
    if err.near:
        return f"{lead} Did you mean `#{err.near}`? Skills: {known}."
    return f"{lead} Skills: {known}."


@dataclass
class TrainingNotFoundError(BravoError):
    """A training that is not the clicker's, or no longer exists."""


@error_text.register
def _(err: TrainingNotFoundError) -> str:
    return "That training isn't one of yours, or it no longer exists."


@dataclass
class AlreadyAGoalError(BravoError):
    """Make it a goal, on a training whose next step already is one."""


@error_text.register
def _(err: AlreadyAGoalError) -> str:
    return "That's already a goal: see it with `/goal list`."


@dataclass
class NoNextStepError(BravoError):
    """Make it a goal, on a training that says nothing to try next."""


@error_text.register
def _(err: NoNextStepError) -> str:
    return (
        "That training says nothing about what you'll try next, so there's no goal to make. "
        "Set one with `/goal`."
    )


@dataclass
class GoalNotMadeError(BravoError):
    """The goals room refused the goal made from the next step (its words)."""

    why: str


@error_text.register
def _(err: GoalNotMadeError) -> str:
    return f"I couldn't make that a goal: {err.why} Set it with `/goal` instead."


@dataclass
class TrainingNotSharedError(BravoError):
    """Someone asked for another person's training and may not see it. The same words for
    everyone refused (a coach when sharing is off, anyone else, an admin), so nobody learns
    whether there is training to see."""


@error_text.register
def _(err: TrainingNotSharedError) -> str:
    return (
        "You can't see that person's training. A coach sees it only once their coachee lets "
        "them, on the coachee's Bravo Home tab."
    )


@dataclass
class StrayWordsError(BravoError):
    """Words after a quoted title that are none of the options."""

    typed: str


@error_text.register
def _(err: StrayWordsError) -> str:
    return (
        f"I didn't understand `{_shown(err.typed)}`. Put the title in quotes, then a "
        f"`#skill`, `on <date>` and `next:` what you'll try, e.g. {EXAMPLE}."
    )


@dataclass
class LinkError(BravoError):
    """A link that is not an http(s) address, or too long."""


@error_text.register
def _(err: LinkError) -> str:
    return "Give a link starting with https:// (at most 1,000 characters), or leave it empty."


@dataclass
class ListWhoError(BravoError):
    """``list`` with something that is not an @mention of a person."""

    typed: str


@error_text.register
def _(err: ListWhoError) -> str:
    return (
        f"I couldn't tell who `{_shown(err.typed)}` is. Pick the person from Slack's @ list: "
        f"`{COURSE} list @name` (a coach sees a coachee's training once they share it)."
    )
