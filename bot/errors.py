"""Domain errors and their words.

Services raise errors with the facts; ``error_text`` (one ``singledispatch`` registry) turns each
into friendly words for an ephemeral reply or a modal field error. Every capability's
``errors.py`` defines its errors and registers their words beside them; these are the shared ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch
from typing import Any


class BravoError(Exception):
    """Something the person can fix; shown to them, never logged as a crash."""


@dataclass
class NoRecipientError(BravoError):
    unresolved: tuple[str, ...] = ()  # "@name" words that were not real mentions


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
    word: str


@dataclass
class BadDateError(BravoError):
    text: str


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
    return "Sorry, that didn't work. Try `/kudos help`."


@error_text.register
def _(err: NoRecipientError) -> str:
    if err.unresolved:
        names = ", ".join("@" + n for n in err.unresolved)
        return (
            f"I couldn't tell who {names} is. Pick people from Slack's @-autocomplete so they "
            "become real mentions, e.g. `/kudos @ana for calming an angry caller`."
        )
    return "Who gets the kudos? Start with one or more @mentions: `/kudos @ana for ...`"


@error_text.register
def _(err: TextTooLongError) -> str:
    return (
        f"That {err.field} is {err.length} characters; please keep it under {err.limit}. "
        "Nothing was sent."
    )


@error_text.register
def _(err: UnknownUserGroupError) -> str:
    return "I couldn't find that user group. Mention people or an existing @group."


@error_text.register
def _(err: UnknownCommandError) -> str:
    return f"I don't understand `{err.word}`. Try `/kudos help`."


@error_text.register
def _(err: BadDateError) -> str:
    return (
        f"I couldn't read `{err.text}` as a date. Use YYYY-MM-DD, "
        "e.g. `/goal away until 2026-12-24`."
    )
