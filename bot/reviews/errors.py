"""Review errors and their words, in the words of ``/review``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import example
from bot.errors import BravoError, error_text
from bot.reviews.ids import REVIEW_COMMAND
from bot.text import escape

SHOWN = 40  # at most this much of what was typed is repeated in an error


def _shown(typed: str) -> str:
    return escape(typed if len(typed) <= SHOWN else typed[:SHOWN] + "…")


def _eg() -> str:
    return example(REVIEW_COMMAND)


@dataclass
class ReviewUsageError(BravoError):
    """``/review`` typed without a person, with several, or without a link."""

    missing: str  # "person" | "link" | "one_person"


@dataclass
class NotALinkError(BravoError):
    """What stands where the link goes is not an http(s) link."""

    typed: str
    why: str = "not_link"  # "not_link" | "person" | "too_long"


@dataclass
class ReviewPersonError(BravoError):
    user_id: str
    why: str  # "self" | "bot" | "deactivated" | "unknown"


@dataclass
class MayNotReviewError(BravoError):
    """The person is not one who may review this teammate."""

    agent_id: str


@dataclass
class ReviewNotFoundError(BravoError):
    """A review that does not exist, or whose button is not this person's to press (a forged
    or misdirected click learns nothing more)."""


@dataclass
class ReviewSettledError(BravoError):
    """A click that comes too late: the review is already past that step."""

    status: str


@dataclass
class ReviewsHiddenError(BravoError):
    """``/review list @someone`` by a person who may not see their reviews."""

    user_id: str


@dataclass
class ReasonError(BravoError):
    """The reason to discuss a review: empty or too long."""

    limit: int
    length: int = 0


@error_text.register
def _(err: ReviewUsageError) -> str:
    eg = _eg()
    if err.missing == "one_person":
        return f"Review one person's conversation at a time. For example: `{eg}`"
    if err.missing == "person":
        return f"Whose conversation? Mention one person, then the link. For example: `{eg}`"
    return f"Add the link to the ticket or call you are reviewing (https://…). For example: `{eg}`"


@error_text.register
def _(err: NotALinkError) -> str:
    eg = _eg()
    if err.why == "person":
        return f"That's a person, not a link: put the ticket's or call's link there. E.g. `{eg}`"
    if err.why == "too_long":
        return f"That link is too long (over 2,000 characters). For example: `{eg}`"
    return (
        f"“{_shown(err.typed)}” isn't a link I can use: it must start with https:// or "
        f"http://. For example: `{eg}`"
    )


@error_text.register
def _(err: ReviewPersonError) -> str:
    if err.why == "self":
        return "You can't review your own conversations: ask your coach or team lead."
    why = {
        "bot": "is a bot",
        "deactivated": "has left the workspace",
        "unknown": "isn't someone I can find",
    }.get(err.why, "can't be reviewed")
    return f"<@{err.user_id}> {why}, so their conversations can't be reviewed."


@error_text.register
def _(err: MayNotReviewError) -> str:
    return (
        f"Only <@{err.agent_id}>'s coaches, the leads of their team channels and admins can "
        "review their conversations. Nothing was opened."
    )


@error_text.register
def _(err: ReviewNotFoundError) -> str:
    return "I couldn't find that review, or that button isn't yours to press."


@error_text.register
def _(err: ReviewSettledError) -> str:
    return {
        "acknowledged": "You've already acknowledged this review.",
        "discussing": "This review is already being discussed.",
        "kept": "This review was discussed and its scores were kept.",
        "changed": "This review was discussed and its scores were changed.",
        "goal": "This review is already one of your goals (see `/goal list`).",
    }.get(err.status, "This review has moved on since that message.")


@error_text.register
def _(err: ReviewsHiddenError) -> str:
    return (
        "Reviews are private: you can see someone's reviews only if you coach them or lead "
        "one of their team channels."
    )


@error_text.register
def _(err: ReasonError) -> str:
    if err.length:
        return f"Please keep the reason under {err.limit} characters ({err.length} now)."
    return "What would you like to discuss? A sentence is enough."
