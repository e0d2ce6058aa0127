"""Customer praise and complaints, logged against a teammate from any message. Slack-free.

The teammate sees what was logged about them (by DM) and, with their coaches, its count and
average rating in ``/feedback inbox``. Praise becomes kudos only through the kudos service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.errors import TextTooLongError
from bot.feedback import ids
from bot.feedback.errors import (
    BadRatingError,
    DuplicateCustomerFeedbackError,
    FeedbackNotFoundError,
    MissingFieldError,
    NotPraiseError,
    SelfCustomerFeedbackError,
)
from bot.feedback.rules import check_person
from bot.users import Person
from storage import coaching
from storage import feedback as store
from storage.models.feedback import CustomerFeedback, CustomerKind, CustomerSource

KINDS: dict[str, str] = {CustomerKind.PRAISE: "Praise", CustomerKind.COMPLAINT: "Complaint"}
SOURCES: dict[str, str] = {
    CustomerSource.EMAIL: "Email",
    CustomerSource.CHAT: "Chat",
    CustomerSource.PHONE: "Phone",
    CustomerSource.SURVEY: "Survey",
    CustomerSource.REVIEW: "Review",
}
MAX_TEXT = ids.LIMITS[ids.CF_TEXT]


@dataclass(frozen=True)
class CustomerDraft:
    teammate_id: str
    kind: str
    rating: int | None
    source: str
    text: str
    source_ref: str | None = None


def check_customer_draft(draft: CustomerDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.teammate_id:
        errors[ids.CF_TEAMMATE] = "Who is this about?"
    if draft.kind not in KINDS:
        errors[ids.CF_KIND] = "Praise or complaint?"
    if draft.rating is None or not 1 <= draft.rating <= 5:
        errors[ids.CF_RATING] = "Pick a rating from 1 to 5."
    if draft.source not in SOURCES:
        errors[ids.CF_SOURCE] = "Where did it come from?"
    if not draft.text.strip():
        errors[ids.CF_TEXT] = "What did the customer say?"
    elif len(draft.text) > MAX_TEXT:
        errors[ids.CF_TEXT] = f"Please keep this under {MAX_TEXT} characters."
    return errors


def log_customer_feedback(
    session: Session,
    *,
    team_id: str,
    logger: Person,
    teammate: Person,
    draft: CustomerDraft,
    now: datetime,
) -> CustomerFeedback:
    if errors := check_customer_draft(draft):
        block = next(iter(errors))
        if block == ids.CF_RATING:
            raise BadRatingError()
        if block == ids.CF_TEXT and draft.text.strip():
            raise TextTooLongError("customer feedback", MAX_TEXT, len(draft.text))
        raise MissingFieldError(block)
    if teammate.user_id == logger.user_id:
        raise SelfCustomerFeedbackError()
    check_person(logger, teammate)
    row = store.add_customer_feedback(
        session,
        {
            "team_id": team_id,
            "logged_by": logger.user_id,
            "teammate_id": teammate.user_id,
            "kind": draft.kind,
            "rating": draft.rating,
            "source": draft.source,
            "text": draft.text.strip(),
            "source_ref": draft.source_ref,
            "created_at": now,
        },
    )
    if row is None:
        raise DuplicateCustomerFeedbackError(teammate.user_id)
    return row


def praise_to_recognise(
    session: Session, *, team_id: str, row_id: int, actor_id: str
) -> CustomerFeedback:
    """The praise its logger may turn into kudos (the kudos service then checks its rules);
    praise that came by webhook (``origin``: nobody logged it) is for the teammate's active
    coaches to recognise."""
    row = store.get_customer_feedback(session, team_id=team_id, row_id=row_id)
    if row is None or not (
        row.logged_by == actor_id
        or (
            row.origin is not None
            and actor_id
            in coaching.coaches_of(session, team_id=team_id, coachee_id=row.teammate_id)
        )
    ):
        raise FeedbackNotFoundError()
    if row.kind != CustomerKind.PRAISE:
        raise NotPraiseError()
    return row


def link_kudos(session: Session, *, team_id: str, row_id: int, batch_id: str) -> None:
    row = store.get_customer_feedback(session, team_id=team_id, row_id=row_id)
    if row is not None and row.kudos_batch_id is None:
        row.kudos_batch_id = batch_id
        store.save(session, row)
