"""Suggestion box errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text


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
