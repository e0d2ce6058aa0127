"""Suggestion box errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from bot.text import said


@dataclass
class NoSuggestionBoxError(BravoError):
    pass


@dataclass
class SuggestionLimitError(BravoError):
    limit: int


@dataclass
class NotAdminError(BravoError):
    pass


@dataclass
class SuggestionNotFoundError(BravoError):
    pass


@dataclass
class BoxChannelError(BravoError):
    why: str  # "dm" | "not_in_channel"


@error_text.register
def _(err: NoSuggestionBoxError) -> str:
    return (
        "The suggestion box isn't set up yet. An admin can run `/suggest setup` in the "
        "channel where suggestions should go. Nothing was posted."
    )


@error_text.register
def _(err: SuggestionLimitError) -> str:
    return f"You've reached today's limit of {err.limit} suggestions. Please try again tomorrow."


@error_text.register
def _(err: NotAdminError) -> str:
    return "Only workspace admins (or Bravo admins) can do that."


@error_text.register
def _(err: SuggestionNotFoundError) -> str:
    return "I can't find that suggestion any more."


@error_text.register
def _(err: BoxChannelError) -> str:
    if err.why == "dm":
        return "Run `/suggest setup` in the channel (not a DM) where suggestions should go."
    return "I'm not in this channel yet: `/invite @Bravo` first, then `/suggest setup` again."


@dataclass
class NotASuggestionError(BravoError):
    """One bare word that looks like a command (``/suggest setpu``, ``/suggest list``)."""

    word: str
    meant: str | None  # the /suggest subcommand it is close to, if any


@dataclass
class DraftGoneError(BravoError):
    pass


@dataclass
class NotYourDraftError(BravoError):
    pass


@dataclass
class DraftSettledError(BravoError):
    outcome: str  # a DraftOutcome: "posted" | "cancelled"


@dataclass
class HideReasonError(BravoError):
    pass


@error_text.register
def _(err: NotASuggestionError) -> str:
    if err.meant:
        return (
            f"Did you mean `/suggest {err.meant}`? Nothing was posted. To suggest something, "
            "write it out: `/suggest more quiet hours on Fridays`."
        )
    return (
        f"`/suggest {said(err.word)}` is not a command, and one word is not much of a suggestion: "
        "nothing was posted. Write it out (`/suggest more quiet hours on Fridays`), or see "
        "`/suggest help`."
    )


@error_text.register
def _(err: DraftGoneError) -> str:
    return "That preview has expired. Nothing was posted: type `/suggest your idea` again."


@error_text.register
def _(err: NotYourDraftError) -> str:
    return (
        "Only the person who wrote this suggestion can post, edit or cancel it. Nothing was posted."
    )


@error_text.register
def _(err: DraftSettledError) -> str:
    if err.outcome == "posted":
        return "That suggestion is already posted (once)."
    return "You cancelled that suggestion: nothing was posted."


@error_text.register
def _(err: HideReasonError) -> str:
    return "Say why it is hidden (only admins see the reason)."
