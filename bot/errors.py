"""Domain errors and their words.

Services raise errors with the facts; ``error_text`` (one ``singledispatch`` registry) turns each
into friendly words for an ephemeral reply or a modal field error. Every capability's
``errors.py`` defines its errors and registers their words beside them; these are the shared ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch
from typing import Any

from bot.commands import example, meant, who
from bot.text import escape


class BravoError(Exception):
    """Something the person can fix; shown to them, never logged as a crash."""


@dataclass
class NoRecipientError(BravoError):
    """A command that needs people was given none (or names that are not real mentions)."""

    command: str  # "/kudos", "/feedback"
    unresolved: tuple[str, ...] = ()  # "@name" words that were not real mentions
    sub: str | None = None  # the subcommand typed ("request"), if any


@dataclass
class TextTooLongError(BravoError):
    field: str
    limit: int
    length: int


@dataclass
class UnknownUserGroupError(BravoError):
    group_ids: tuple[str, ...]


@dataclass
class UnknownCommandError(BravoError):
    """A word the command (or its subcommand) does not know."""

    command: str  # "/goal"
    word: str  # what was typed instead of a subcommand (or of an option of ``sub``)
    sub: str | None = None


@dataclass
class OnePersonError(BravoError):
    """Several people given to a command that takes one."""

    command: str
    sub: str | None = None
    many: str | None = None  # the subcommand that does take several people, if there is one


@dataclass
class BadDateError(BravoError):
    text: str


@dataclass
class NotInstalledError(BravoError):
    """Bravo has no installation (no bot token) for this workspace."""

    team_id: str


SORRY = (
    "Sorry, something went wrong on my side and nothing was saved. Please try again in a minute."
)
BUSY = "I'm swamped right now and couldn't take that. Nothing was saved; please try again."


def echo(body: dict[str, Any]) -> str:
    """What the person typed, so a failure never loses it."""
    if body.get("command") and body.get("text"):
        return f"\nWhat you typed, to try again: `{body['command']} {body['text']}`"
    return ""


@singledispatch
def error_text(err: BravoError) -> str:
    return "Sorry, that didn't work."  # every error has its own words; this names no command


def _typed(command: str, *words: str | None) -> str:
    """What was typed, safe to show: never a live mention."""
    return escape(" ".join([command, *(w[:40] for w in words if w)]))


@error_text.register
def _(err: NoRecipientError) -> str:
    eg = example(err.command, err.sub)
    if err.unresolved:
        names = escape(", ".join("@" + n[:40] for n in err.unresolved))
        return (
            f"I couldn't tell who {names} is. Pick people from Slack's @-autocomplete so they "
            f"become real mentions, e.g. `{eg}`."
        )
    return (
        f"{who(err.command, err.sub)} `{_typed(err.command, err.sub)}` needs @mentions from "
        f"Slack's autocomplete, e.g. `{eg}`."
    )


@error_text.register
def _(err: TextTooLongError) -> str:
    return (
        f"That {err.field} is {err.length} characters; please keep it under {err.limit}. "
        "Nothing was saved or sent."
    )


@error_text.register
def _(err: UnknownUserGroupError) -> str:
    return "I couldn't find that user group. Mention people or an existing @group."


@error_text.register
def _(err: UnknownCommandError) -> str:
    typed = _typed(err.command, err.sub, err.word)
    guess = None if err.sub else meant(err.command, err.word)
    if guess:
        return f"I don't understand `{typed}`. Did you mean `{err.command} {guess}`?"
    return (
        f"I don't understand `{typed}`. Try `{err.command} help`, "
        f"e.g. `{example(err.command, err.sub)}`."
    )


@error_text.register
def _(err: OnePersonError) -> str:
    words = (
        f"`{_typed(err.command, err.sub)}` takes one person at a time, "
        f"e.g. `{example(err.command, err.sub)}`."
    )
    if err.many:
        words += f" For several people: `{example(err.command, err.many)}`."
    return words


@error_text.register
def _(err: BadDateError) -> str:
    return (
        f"I couldn't read `{err.text}` as a date. Use YYYY-MM-DD, "
        "e.g. `/goal away until 2026-12-24`."
    )


@error_text.register
def _(err: NotInstalledError) -> str:
    return (
        "Bravo isn't installed in this workspace (or its installation was removed), so nothing "
        "was done. An admin can add it again from the Add to Slack page."
    )
