"""Coaching errors and their words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BravoError, error_text
from storage.models.coaching import PairingStatus


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
class NoPairingError(BravoError):
    """``/coach end @someone`` with no coaching between the two of them to end."""

    other_id: str


@dataclass
class NotShared(BravoError):
    """Someone asked to see goals that were not shared with them."""

    owner_id: str


@error_text.register
def _(err: CoachSelfError) -> str:
    return "You can't coach yourself, though reflecting on your own goals is a great habit."


@error_text.register
def _(err: CoachPersonError) -> str:
    why = {
        "bot": "is a bot",
        "deactivated": "has left the workspace",
        "unknown": "isn't someone I can find",
    }[err.why]
    return f"<@{err.user_id}> {why}, so they can't be coached."


@error_text.register
def _(err: PairingExistsError) -> str:
    if err.status == PairingStatus.ACTIVE:
        return f"<@{err.coach_id}> already coaches <@{err.coachee_id}>. See `/coach list`."
    if err.status == PairingStatus.PENDING:
        return f"<@{err.coachee_id}> hasn't answered the request yet. See `/coach list`."
    return "That request was already answered."


@error_text.register
def _(err: PairingNotFoundError) -> str:
    return "That coaching request or pairing no longer exists, or it isn't yours."


@error_text.register
def _(err: NoPairingError) -> str:
    return (
        f"There's no coaching between you and <@{err.other_id}> to end, and no offer waiting. "
        "See `/coach list`."
    )


@error_text.register
def _(err: NotShared) -> str:
    return (
        f"<@{err.owner_id}> hasn't shared goals with you. Coaches see the goals their coachees "
        "share with them: try `/coach @name`."
    )
