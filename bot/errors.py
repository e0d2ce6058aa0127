"""Domain errors. Services raise these with the facts; the Slack edge turns them into words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class BravoError(Exception):
    """Something the person can fix; shown to them, never logged as a crash."""


@dataclass
class NoRecipientError(BravoError):
    unresolved: tuple[str, ...] = ()  # "@name" words that were not real mentions


@dataclass
class MissingReasonError(BravoError):
    pass


@dataclass
class TextTooLongError(BravoError):
    field: str
    limit: int
    length: int


@dataclass
class TooManyRecipientsError(BravoError):
    limit: int
    count: int


@dataclass
class UnknownValueError(BravoError):
    unknown: tuple[str, ...]
    allowed: tuple[str, ...]


@dataclass
class SelfKudosError(BravoError):
    pass


@dataclass
class BotRecipientError(BravoError):
    user_ids: tuple[str, ...]


@dataclass
class InactiveRecipientError(BravoError):
    user_ids: tuple[str, ...]


@dataclass
class UnknownUserError(BravoError):
    user_ids: tuple[str, ...]


@dataclass
class UnknownUserGroupError(BravoError):
    group_ids: tuple[str, ...]


@dataclass
class AllowanceExceededError(BravoError):
    allowance: int
    used: int
    requested: int
    resets_at: datetime  # the giver's next local midnight

    @property
    def remaining(self) -> int:
        return max(0, self.allowance - self.used)


@dataclass
class RecipientCapError(BravoError):
    recipient_id: str
    cap: int


@dataclass
class DuplicateKudosError(BravoError):
    """The giver already recognised these people for this very message."""

    user_ids: tuple[str, ...]


@dataclass
class UndoNotAllowedError(BravoError):
    why: str  # "expired" | "not_giver" | "already_undone" | "not_found"


@dataclass
class UnknownCommandError(BravoError):
    word: str


# Goals, check-ins and coaching -----------------------------------------------------------------


@dataclass
class GoalNotFoundError(BravoError):
    """The goal was deleted, archived, or belongs to another workspace."""


@dataclass
class NotYourGoalError(BravoError):
    pass


@dataclass
class GoalClosedError(BravoError):
    status: str  # completed | archived


@dataclass
class PromptClosedError(BravoError):
    status: str  # answered | missed | closed


@dataclass
class InvalidPauseError(BravoError):
    why: str  # "past" | "too_far"


@dataclass
class CoachSelfError(BravoError):
    pass


@dataclass
class CoachPersonError(BravoError):
    user_id: str
    why: str  # "bot" | "deactivated" | "unknown"


@dataclass
class PairingExistsError(BravoError):
    status: str  # pending | active
    coach_id: str
    coachee_id: str


@dataclass
class PairingNotFoundError(BravoError):
    pass


@dataclass
class NotShared(BravoError):
    """Someone asked to see goals that were not shared with them."""

    owner_id: str


@dataclass
class BadDateError(BravoError):
    text: str
