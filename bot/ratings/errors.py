"""Errors of ``/bravo ratings`` and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text


@dataclass
class RatingsAdminOnlyError(BravoError):
    pass


@dataclass
class RatingsNeedKeyError(BravoError):
    """No BRAVO_ENCRYPTION_KEY: the hook's secret is never stored in the clear."""


@dataclass
class RatingsWordsError(BravoError):
    words: str


@dataclass
class RatingGoneError(BravoError):
    """The rating was matched or dismissed already (by another admin, or a second click)."""


@dataclass
class RatingNotPersonError(BravoError):
    """Matched to a bot or a deactivated account."""

    user_id: str


@error_text.register
def _(err: RatingsAdminOnlyError) -> str:
    return (
        "Only admins can see and change the customer-rating webhook (`/bravo ratings`). "
        "Ask one of your Slack admins or Bravo admins."
    )


@error_text.register
def _(err: RatingsNeedKeyError) -> str:
    return (
        "The customer-rating webhook needs `BRAVO_ENCRYPTION_KEY`: its secret is stored "
        "encrypted, never in the clear. Whoever runs Bravo can make a key with "
        "`python -m bot keys new`, set it and restart Bravo."
    )


@error_text.register
def _(err: RatingsWordsError) -> str:
    return (
        "`/bravo ratings` shows the customer-rating webhook; `/bravo ratings unmatched` lists "
        "the ratings waiting to be matched to someone."
    )


@error_text.register
def _(err: RatingGoneError) -> str:
    return "That rating was already matched or dismissed."


@error_text.register
def _(err: RatingNotPersonError) -> str:
    return f"<@{err.user_id}> is a bot or has left the workspace: pick a teammate."
