"""Calibration errors and their words (in the words of ``/review calibrate``)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.calibration.ids import MAX_DAYS, MAX_REVIEWERS, MAX_TEXT, MIN_REVIEWERS
from bot.errors import BravoError, error_text
from bot.text import escape

EXAMPLE = "/review calibrate https://help.example.com/tickets/4521 @ben @cy @dee by friday"
_PERSON = {
    "bot": "is a bot",
    "deactivated": "has left the workspace",
    "unknown": "isn't someone I can find",
}


def _typed(text: str) -> str:
    """A word someone typed, safe to show: short, escaped, never a live mention."""
    return escape(text[:40].replace("@", "@\u200b"))


@dataclass
class NotLeadError(BravoError):
    """Only a team lead (or an admin) opens rounds and sees agreement over time."""


@dataclass
class CalibrateTooLongError(BravoError):
    length: int


@dataclass
class NoLinkError(BravoError):
    mention_first: bool = False  # a mention where the link should be


@dataclass
class ManyLinksError(BravoError):
    pass


@dataclass
class NotALinkError(BravoError):
    text: str


@dataclass
class ReviewerCountError(BravoError):
    count: int


@dataclass
class GroupMentionError(BravoError):
    pass


@dataclass
class ReviewerPersonError(BravoError):
    user_id: str
    why: str  # "bot" | "deactivated" | "unknown"
    agent: bool = False  # named with ``for``: whose conversation it is


@dataclass
class AgentReviewsError(BravoError):
    """The person whose conversation it is was also invited to score it."""


@dataclass
class BadDeadlineError(BravoError):
    text: str
    why: str = "unreadable"  # "unreadable" | "past" | "far"


@dataclass
class StrayWordsError(BravoError):
    words: str


@dataclass
class NoSkillsError(BravoError):
    pass


@dataclass
class RoundNotFoundError(BravoError):
    """Not there, or not one the person opened or was invited to: the two are not told apart."""


@dataclass
class NotRoundLeadError(BravoError):
    """Only the lead who opened a round records its agreed score (or cancels it)."""

    action: str = "records its agreed score"


@dataclass
class AlreadyScoredError(BravoError):
    pass


@dataclass
class RoundClosedError(BravoError):
    """Scores are in: the round was revealed (or cancelled)."""

    status: str = "revealed"


@dataclass
class NotRevealedError(BravoError):
    pass


@dataclass
class AlreadyAgreedError(BravoError):
    pass


@error_text.register
def _(err: NotLeadError) -> str:
    return (
        "Only team leads and admins run calibration rounds: a team channel's creator, or "
        "someone an admin named with `/bravo lead @someone`. Nothing was sent."
    )


@error_text.register
def _(err: CalibrateTooLongError) -> str:
    return (
        f"That is {err.length} characters; `/review calibrate` takes a link, 2 to "
        f"{MAX_REVIEWERS} people and a deadline, under {MAX_TEXT} characters. Nothing was sent."
    )


@error_text.register
def _(err: NoLinkError) -> str:
    first = (
        "The link to the conversation comes first, then the reviewers. "
        if err.mention_first
        else ""
    )
    return (
        f"{first}`/review calibrate` needs a link to the ticket or call (starting with "
        f"https://), e.g. `{EXAMPLE}`. Nothing was sent."
    )


@error_text.register
def _(err: ManyLinksError) -> str:
    return f"A round calibrates one conversation: give one link, e.g. `{EXAMPLE}`."


@error_text.register
def _(err: NotALinkError) -> str:
    return (
        f"`{_typed(err.text)}` isn't a web link. Paste the ticket's or call's address "
        f"(https://...), e.g. `{EXAMPLE}`."
    )


@error_text.register
def _(err: ReviewerCountError) -> str:
    return (
        f"A round needs {MIN_REVIEWERS} to {MAX_REVIEWERS} reviewers (you may include "
        f"yourself); you named {err.count}. Nothing was sent."
    )


@error_text.register
def _(err: GroupMentionError) -> str:
    return "Name the reviewers one by one (@ben @cy), not a user group. Nothing was sent."


@error_text.register
def _(err: ReviewerPersonError) -> str:
    why = _PERSON.get(err.why, "can't review")
    if err.agent:
        return (
            f"<@{err.user_id}> {why}: name the teammate whose conversation it is. Nothing was sent."
        )
    return f"<@{err.user_id}> {why}, so can't score a round. Nothing was sent."


@error_text.register
def _(err: AgentReviewsError) -> str:
    return (
        "The person whose conversation it is can't score it in a calibration round. "
        "Nothing was sent."
    )


@error_text.register
def _(err: BadDeadlineError) -> str:
    if err.why == "past":
        return f"`by {_typed(err.text)}` is already past. Pick a day after today."
    if err.why == "far":
        return f"A round stays open at most {MAX_DAYS} days; `{_typed(err.text)}` is further."
    return (
        f"I couldn't read `{_typed(err.text)}` as a deadline. Try `by friday`, "
        "`by 2026-12-10`, `in 2 days` or just `2` (days)."
    )


@error_text.register
def _(err: StrayWordsError) -> str:
    return (
        f"I don't understand `{_typed(err.words)}` there. Give a link, the reviewers, and "
        f"optionally `for @agent` and `by <when>`, e.g. `{EXAMPLE}`."
    )


@error_text.register
def _(err: NoSkillsError) -> str:
    return "This workspace has no skills to score yet; an admin can set them in `/bravo settings`."


@error_text.register
def _(err: RoundNotFoundError) -> str:
    return "I can't find that calibration round among the ones you opened or were invited to."


@error_text.register
def _(err: NotRoundLeadError) -> str:
    return f"Only the lead who opened this round {err.action}."


@error_text.register
def _(err: AlreadyScoredError) -> str:
    return "You've scored this round already; you'll see everyone's scores at the reveal."


@error_text.register
def _(err: RoundClosedError) -> str:
    if err.status == "cancelled":
        return "This round was cancelled by the lead who opened it, so it takes no more scores."
    return f"This round is closed: its scores were {err.status}, so it takes no more."


@error_text.register
def _(err: NotRevealedError) -> str:
    return "The scores aren't revealed yet: the agreed score comes after the reveal."


@error_text.register
def _(err: AlreadyAgreedError) -> str:
    return "The agreed score of this round is recorded already."
