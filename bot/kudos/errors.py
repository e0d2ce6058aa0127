"""Kudos errors and their words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.blocks import mentions
from bot.errors import BravoError, error_text
from bot.kudos.ids import UndoRefusal

PICK_SOMEONE = "Pick at least one person."  # the form sent without anyone in it


@dataclass
class MissingReasonError(BravoError):
    pass


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
    why: UndoRefusal


@error_text.register
def _(err: MissingReasonError) -> str:
    return (
        "Kudos need a reason, so people know what to keep doing: "
        "`/kudos @ana for calming an angry caller #empathy`"
    )


@error_text.register
def _(err: TooManyRecipientsError) -> str:
    return f"That's {err.count} people; kudos can go to at most {err.limit} at once."


@error_text.register
def _(err: UnknownValueError) -> str:
    unknown = ", ".join("#" + v for v in err.unknown)
    allowed = " ".join("`#" + v + "`" for v in err.allowed)
    return f"I don't know the value {unknown}. Choose from: {allowed}"


@error_text.register
def _(err: SelfKudosError) -> str:
    return (
        "Nice try! Kudos are for recognising others, so you can't give them to yourself. "
        "Your allowance is untouched."
    )


@error_text.register
def _(err: BotRecipientError) -> str:
    return f"{mentions(list(err.user_ids))} is a bot; kudos are for people."


@error_text.register
def _(err: InactiveRecipientError) -> str:
    return f"{mentions(list(err.user_ids))} is no longer active in this workspace."


@error_text.register
def _(err: UnknownUserError) -> str:
    return f"I couldn't find {mentions(list(err.user_ids))} in this workspace."


@error_text.register
def _(err: AllowanceExceededError) -> str:
    if err.remaining == 0:
        return (
            f"You've given all {err.allowance} of today's kudos. Your allowance refills at "
            "midnight your time. Nothing was sent."
        )
    return (
        f"That would be {err.requested} kudos, but you have {err.remaining} of "
        f"{err.allowance} left today. Nothing was sent; try fewer people."
    )


@error_text.register
def _(err: RecipientCapError) -> str:
    return (
        f"You've already given <@{err.recipient_id}> {err.cap} kudos today, the most one "
        "person can get from you in a day. Spread the love!"
    )


@error_text.register
def _(err: DuplicateKudosError) -> str:
    return f"You already gave {mentions(list(err.user_ids))} kudos for this message."


@error_text.register
def _(err: UndoNotAllowedError) -> str:
    return {
        UndoRefusal.EXPIRED: (
            "Too late to undo: kudos can be withdrawn only in the first 10 minutes."
        ),
        UndoRefusal.NOT_GIVER: "Only the person who gave a kudos can undo it.",
        UndoRefusal.ALREADY_UNDONE: "That kudos was already withdrawn.",
    }.get(err.why, "I couldn't find that kudos any more.")


@dataclass
class HistoryNotYoursError(BravoError):
    """A kudos history page button pressed by someone other than who opened it."""


@error_text.register
def _(err: HistoryNotYoursError) -> str:
    return (
        "Someone else opened this kudos history, so only they can turn its pages; "
        "I left it as it is. `/kudos history` shows yours."
    )


@dataclass
class HistoryButtonError(BravoError):
    """A kudos history button whose value Bravo did not write (forged, or from an older
    Bravo)."""


@error_text.register
def _(err: HistoryButtonError) -> str:
    return (
        "I couldn't read that kudos history button, so nothing changed. It may come from an "
        "older message: `/kudos history` opens your history again."
    )
