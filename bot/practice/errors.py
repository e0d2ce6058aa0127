"""Practice errors and their words, in the words of ``/practice``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.practice.ids import PRACTICE_COMMAND
from bot.text import escape

SHOWN = 40  # at most this much of what was typed is repeated in an error


def _shown(typed: str) -> str:
    return escape(typed if len(typed) <= SHOWN else typed[:SHOWN] + "…")


@dataclass
class UnknownSkillError(BravoError):
    """``/practice <word>`` where the word is no skill of the workspace."""

    typed: str
    near: str | None
    skills: tuple[str, ...]


@error_text.register
def _(err: UnknownSkillError) -> str:
    known = ", ".join(f"`{s}`" for s in err.skills) or "none yet"
    if err.near:
        lead = f"There's no skill called `{_shown(err.typed)}`. Did you mean `{err.near}`?"
        return f"{lead} Try `{PRACTICE_COMMAND} {err.near}`. Skills: {known}."
    return (
        f"There's no skill called `{_shown(err.typed)}`. Skills you can practise: {known}. "
        f"For example `{PRACTICE_COMMAND} {err.skills[0] if err.skills else 'empathy'}`."
    )


@dataclass
class NoScenarioError(BravoError):
    """The workspace has no scenario for the skill (or none at all)."""

    skill: str | None


@error_text.register
def _(err: NoScenarioError) -> str:
    which = f"for `{err.skill}` " if err.skill else ""
    return (
        f"There's no practice scenario {which}in this workspace yet. An admin can add some "
        f"with `{PRACTICE_COMMAND} scenarios`."
    )


@dataclass
class PlanTimeError(BravoError):
    """``/practice every weekday <time>`` with a time that is not one (or none)."""

    typed: str


@error_text.register
def _(err: PlanTimeError) -> str:
    what = f"`{_shown(err.typed)}` isn't a time of day" if err.typed else "Say at what time"
    return (
        f"{what}: use 24-hour HH:MM, for example `{PRACTICE_COMMAND} every weekday 09:00` "
        f"(or `{PRACTICE_COMMAND} every weekday 09:00 empathy`). Nothing was changed."
    )


@dataclass
class PlanGapError(BravoError):
    """The time does not exist on some day in the person's zone (clocks skip it)."""

    hhmm: str
    zone: str
    day: str  # the first day it does not exist, ISO


@error_text.register
def _(err: PlanGapError) -> str:
    return (
        f"{err.hhmm} doesn't exist on {err.day} in your time zone ({escape(err.zone)}): the "
        "clocks skip it when daylight saving starts. Pick a time outside that hour, for example "
        f"`{PRACTICE_COMMAND} every weekday 09:00`. Nothing was changed."
    )


@dataclass
class PlanUsageError(BravoError):
    """``/practice every ...`` said some other way."""

    typed: str


@error_text.register
def _(err: PlanUsageError) -> str:
    return (
        f"I can send you a scenario every weekday: `{PRACTICE_COMMAND} every weekday 09:00` "
        f"(your time zone), optionally with a skill. I couldn't read `{_shown(err.typed)}`. "
        "Nothing was changed."
    )


@dataclass
class NoPlanError(BravoError):
    """``/practice stop`` with no plan running."""


@error_text.register
def _(err: NoPlanError) -> str:
    return (
        "You have no daily practice to stop. Start one with "
        f"`{PRACTICE_COMMAND} every weekday 09:00`."
    )


@dataclass
class RoundNotFoundError(BravoError):
    """A round that does not exist, or is not this person's: a forged or misdirected click
    learns nothing more."""


@error_text.register
def _(err: RoundNotFoundError) -> str:
    return "I couldn't find that practice round for you. Nothing was saved."


@dataclass
class RoundDoneError(BravoError):
    """Too late for this step: the round was already assessed or skipped."""

    status: str


@error_text.register
def _(err: RoundDoneError) -> str:
    if err.status == "dropped":
        return (
            "That scenario was skipped or replaced by a newer one, so nothing was saved. "
            f"Ask for another with `{PRACTICE_COMMAND}`."
        )
    return "You've already finished that practice round; nothing more was saved."


@dataclass
class ReplyError(BravoError):
    """An empty reply, or one over the limit."""

    limit: int
    length: int = 0


@error_text.register
def _(err: ReplyError) -> str:
    if not err.length:
        return "Write the reply you would send the customer; it can't be empty."
    return f"That's {err.length:,} characters; keep the reply under {err.limit:,}."


@dataclass
class NoteError(BravoError):
    limit: int
    length: int


@error_text.register
def _(err: NoteError) -> str:
    return f"That note is {err.length:,} characters; keep it under {err.limit:,}."


@dataclass
class RaterError(BravoError):
    """Someone who cannot be asked to rate: oneself, a bot, someone gone, too many."""

    why: str  # "self" | "bot" | "deactivated" | "unknown" | "many"
    user_id: str = ""
    limit: int = 0


@error_text.register
def _(err: RaterError) -> str:
    who = f"<@{err.user_id}>"
    return {
        "self": "Ask someone else to rate it: your own view is the self-assessment above.",
        "bot": f"{who} is a bot; ask a teammate or your coach.",
        "deactivated": f"{who} has left the workspace; ask someone else.",
        "unknown": f"{who} isn't someone I can find in this workspace.",
        "many": f"Ask at most {err.limit} people to rate one reply.",
    }.get(err.why, "Pick someone else to rate it.")


@dataclass
class ChecksError(BravoError):
    """A checklist answer that is not one of the round's items."""


@error_text.register
def _(err: ChecksError) -> str:
    return "Those checklist items don't match this scenario; please open it again."


@dataclass
class NotAskedError(BravoError):
    """A rating by someone the round's owner did not ask."""


@error_text.register
def _(err: NotAskedError) -> str:
    return (
        "Only the people who were asked to rate a practice reply can rate it, and you "
        "weren't asked for this one. Nothing was saved."
    )


@dataclass
class AlreadyRatedError(BravoError):
    status: str  # "rated" | "declined"


@error_text.register
def _(err: AlreadyRatedError) -> str:
    if err.status == "declined":
        return "You said you'd pass on rating this one; nothing more was saved."
    return "You've already rated this practice reply; nothing more was saved."
