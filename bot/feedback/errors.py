"""Feedback errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from storage.models.feedback import RequestStatus

_PERSON = {
    "bot": "is a bot",
    "deactivated": "has left the workspace",
    "unknown": "isn't someone I can find",
}


@dataclass
class SelfFeedbackError(BravoError):
    pass


@dataclass
class NoFeedbackRecipientError(BravoError):
    """The feedback form was sent without picking whom it is for."""


@dataclass
class FeedbackPersonError(BravoError):
    user_id: str
    why: str  # "bot" | "deactivated" | "unknown"


@dataclass
class MissingFieldError(BravoError):
    field: str  # block id of the empty field


@dataclass
class DuplicateFeedbackError(BravoError):
    """The same giver already sent this very feedback (a double submit)."""


@dataclass
class FeedbackNotFoundError(BravoError):
    """Not there, or not visible to the person asking: the two are not told apart."""


@dataclass
class NotRecipientError(BravoError):
    action: str  # "thank" | "goal" | "share" | "acted_on"


@dataclass
class NoCoachError(BravoError):
    pass


@dataclass
class ReadByCoachAlreadyError(BravoError):
    """Share pressed on feedback the recipient's coach wrote: they have it already."""

    coach_id: str


@dataclass
class TooManyAskedError(BravoError):
    limit: int
    count: int


@dataclass
class AlreadyAskedError(BravoError):
    user_ids: tuple[str, ...]


@dataclass
class RequestClosedError(BravoError):
    status: str  # a RequestStatus (answered, expired), or "foreign": sent to someone else


@dataclass
class FeedbackNotSharedError(BravoError):
    owner_id: str


@dataclass
class BadRatingError(BravoError):
    pass


@dataclass
class DuplicateCustomerFeedbackError(BravoError):
    user_id: str


@dataclass
class NotPraiseError(BravoError):
    pass


@dataclass
class SelfCustomerFeedbackError(BravoError):
    """Customer feedback logged about oneself: it is for recognising a teammate."""


@dataclass
class PraiseAlreadyKudosError(BravoError):
    """This customer praise was turned into kudos before."""


@error_text.register
def _(err: SelfFeedbackError) -> str:
    return "Feedback is for someone else. For yourself, try setting a goal with `/goal`."


@error_text.register
def _(err: NoFeedbackRecipientError) -> str:
    return "Who is this feedback for?"


@error_text.register
def _(err: FeedbackPersonError) -> str:
    return (
        f"<@{err.user_id}> {_PERSON.get(err.why, 'is not available')}, so they can't get feedback."
    )


@error_text.register
def _(err: MissingFieldError) -> str:
    return "Please fill in every required field. Nothing was sent."


@error_text.register
def _(err: DuplicateFeedbackError) -> str:
    return "You already sent exactly this feedback to this person. Nothing was sent twice."


@error_text.register
def _(err: FeedbackNotFoundError) -> str:
    return "I can't find that feedback, or it isn't yours to see."


@error_text.register
def _(err: NotRecipientError) -> str:
    return "Only the person who received this feedback can do that."


@error_text.register
def _(err: NoCoachError) -> str:
    return "You don't have a coach yet. Someone can offer with `/coach @you`."


@error_text.register
def _(err: ReadByCoachAlreadyError) -> str:
    return f"Your coach <@{err.coach_id}> wrote this feedback, so they have it already."


@error_text.register
def _(err: TooManyAskedError) -> str:
    return (
        f"That's {err.count} people; ask at most {err.limit} at once, so each request gets "
        "real attention. Nothing was sent."
    )


@error_text.register
def _(err: AlreadyAskedError) -> str:
    names = ", ".join(f"<@{u}>" for u in err.user_ids)
    return f"You already have an open request with {names}. Nothing was sent."


@error_text.register
def _(err: RequestClosedError) -> str:
    closed: dict[str, str] = {
        RequestStatus.ANSWERED: "You already answered this request. Thank you!",
        RequestStatus.EXPIRED: "This request has closed (requests stay open for a week).",
    }
    return closed.get(err.status, "This request was sent to someone else.")


@error_text.register
def _(err: FeedbackNotSharedError) -> str:
    return (
        f"<@{err.owner_id}>'s feedback is private. Coaches see what their coachees share with them."
    )


@error_text.register
def _(err: BadRatingError) -> str:
    return "Pick a rating from 1 to 5."


@error_text.register
def _(err: DuplicateCustomerFeedbackError) -> str:
    return f"This message was already logged for <@{err.user_id}>."


@error_text.register
def _(err: NotPraiseError) -> str:
    return "Only praise can be turned into kudos."


@error_text.register
def _(err: SelfCustomerFeedbackError) -> str:
    return (
        "That's about you, so it isn't logged: customer feedback is logged for a teammate. "
        "Proud of it? Share it with your coach, or ask a teammate to log it."
    )


@error_text.register
def _(err: PraiseAlreadyKudosError) -> str:
    return "This praise was already turned into kudos."
