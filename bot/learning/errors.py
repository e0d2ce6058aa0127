"""Lesson errors and their words, in the words of ``/learned``. Nothing was saved when one is
raised: each says so, and what to do instead."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.learning import ids
from bot.text import escape

SHOWN = 40  # at most this much of what was typed is repeated in an error
CMD = ids.LEARNED_COMMAND


def _shown(typed: str) -> str:
    return escape(typed if len(typed) <= SHOWN else typed[:SHOWN] + "…")


@dataclass
class EmptyLessonError(BravoError):
    """Nothing learned was said (only a skill or a link, or nothing at all)."""


@error_text.register
def _(err: EmptyLessonError) -> str:
    return (
        "Say what you learned, for example "
        f"`{CMD} Offer the refund before they ask #empathy`, or type `{CMD}` for the form. "
        "Nothing was saved."
    )


@dataclass
class TooLongError(BravoError):
    """A field over its limit (``what``: "lesson", "story" or "link")."""

    what: str
    length: int
    limit: int


@error_text.register
def _(err: TooLongError) -> str:
    return (
        f"That {err.what} is {err.length:,} characters; a lesson keeps at most {err.limit:,}. "
        "Keep the one thing you learned (the rest can go in a link). Nothing was saved."
    )


@dataclass
class BadLinkError(BravoError):
    typed: str


@error_text.register
def _(err: BadLinkError) -> str:
    return (
        f"`{_shown(err.typed)}` isn't a link Bravo keeps: use one starting with https:// "
        "(or http://). Nothing was saved."
    )


@dataclass
class UnknownSkillError(BravoError):
    """A ``#skill`` that is none of the workspace's skills (or several of them)."""

    typed: str
    near: str | None
    skills: tuple[str, ...]
    several: bool = False


@error_text.register
def _(err: UnknownSkillError) -> str:
    known = ", ".join(f"`#{s}`" for s in err.skills) or "none yet"
    if err.several:
        named = _shown(err.typed)
        return f"A lesson has one skill; you named {named}. Skills: {known}. Nothing was saved."
    lead = f"There's no skill called `#{_shown(err.typed)}`."
    if err.near:
        lead += f" Did you mean `#{err.near}`?"
    return f"{lead} Skills: {known}. Nothing was saved."


@dataclass
class MistypedError(BravoError):
    """A short text that looks like a subcommand mistyped (``/learned serach refund``)."""

    text: str
    meant: str


@error_text.register
def _(err: MistypedError) -> str:
    rest = err.text.split(None, 1)[1] if len(err.text.split(None, 1)) > 1 else ""
    tried = f"{CMD} {err.meant}" + (f" {_shown(rest)}" if rest and err.meant == "search" else "")
    return (
        f"Did you mean `{tried}`? Nothing was saved. If it is a lesson, say "
        f"`{CMD} share {_shown(err.text)}`."
    )


@dataclass
class LessonNotFoundError(BravoError):
    """A lesson that does not exist, or that this person may not do this to: a forged or
    misdirected click learns nothing more."""


@error_text.register
def _(err: LessonNotFoundError) -> str:
    return (
        "I couldn't find that lesson, or it isn't yours to change. It may have been removed. "
        f"Your lessons: `{CMD} mine`."
    )


@dataclass
class OwnLessonError(BravoError):
    """This helped me, pressed by the lesson's author."""


@error_text.register
def _(err: OwnLessonError) -> str:
    return "That's your own lesson: it can't help you the way it helps others. Nothing changed."


@dataclass
class NotTeamChannelError(BravoError):
    """Post to a channel that is none of the author's team channels (any more)."""


@error_text.register
def _(err: NotTeamChannelError) -> str:
    return (
        "You can post a lesson only to your team channel (a channel with weekly shout-outs "
        "you are a member of). Nothing was posted."
    )


@dataclass
class CannotSaveError(BravoError):
    """Save as a lesson on a message Bravo won't make a lesson of (``why``)."""

    why: str  # "bot" | "empty" | "unreadable" | "workspace"


SAVE_WHY = {
    "bot": "it was written by an app or a bot, and a lesson is credited to a person",
    "empty": "it has no text to learn from",
    "unreadable": "it is in a conversation Bravo isn't part of (invite Bravo to the channel first)",
    "workspace": "it comes from another workspace",
}


@error_text.register
def _(err: CannotSaveError) -> str:
    why = SAVE_WHY.get(err.why, err.why)
    return f"I can't save that message as a lesson: {why}. Nothing was saved."
