"""Domain errors for feedback and suggestions (the friendly words are in bot/render/feedback)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError


@dataclass
class SelfFeedbackError(BravoError):
    pass


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
class TooManyAskedError(BravoError):
    limit: int
    count: int


@dataclass
class AlreadyAskedError(BravoError):
    user_ids: tuple[str, ...]


@dataclass
class RequestClosedError(BravoError):
    status: str  # answered | expired | foreign


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
