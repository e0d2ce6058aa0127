"""Queries for feedback, feedback requests and customer feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from storage.models.feedback import CustomerFeedback, Feedback, FeedbackRequest, RequestStatus
from storage.upsert import insert_ignore

# Feedback ------------------------------------------------------------------------------------


def add_feedback(session: Session, values: dict[str, Any]) -> Feedback | None:
    """Insert unless the giver already sent this very feedback (same fingerprint): None then."""
    if not insert_ignore(session, Feedback, values, ["team_id", "giver_id", "fingerprint"]):
        return None
    return session.exec(
        select(Feedback).where(
            Feedback.team_id == values["team_id"],
            Feedback.giver_id == values["giver_id"],
            Feedback.fingerprint == values["fingerprint"],
        )
    ).one()


def get_feedback(session: Session, *, team_id: str, feedback_id: int) -> Feedback | None:
    return session.exec(
        select(Feedback).where(Feedback.team_id == team_id, Feedback.id == feedback_id)
    ).first()


def received(
    session: Session, *, team_id: str, recipient_id: str, shared_only: bool = False
) -> list[Feedback]:
    stmt = select(Feedback).where(
        Feedback.team_id == team_id, Feedback.recipient_id == recipient_id
    )
    if shared_only:
        stmt = stmt.where(col(Feedback.shared_with_coach).is_(True))
    return list(session.exec(stmt.order_by(col(Feedback.created_at).desc(), col(Feedback.id))))


# Feedback requests -----------------------------------------------------------------------------


def add_request(session: Session, row: FeedbackRequest) -> FeedbackRequest:
    session.add(row)
    session.flush()
    return row


def get_request(session: Session, *, team_id: str, request_id: int) -> FeedbackRequest | None:
    return session.exec(
        select(FeedbackRequest).where(
            FeedbackRequest.team_id == team_id, FeedbackRequest.id == request_id
        )
    ).first()


def open_requests_between(
    session: Session, *, team_id: str, requester_id: str, giver_ids: Sequence[str]
) -> list[FeedbackRequest]:
    return list(
        session.exec(
            select(FeedbackRequest).where(
                FeedbackRequest.team_id == team_id,
                FeedbackRequest.requester_id == requester_id,
                col(FeedbackRequest.giver_id).in_(list(giver_ids)),
                FeedbackRequest.status == RequestStatus.OPEN,
            )
        ).all()
    )


def answer_request(session: Session, *, request_id: int, feedback_id: int, now: datetime) -> bool:
    """Mark an open request answered; False when it was answered or expired meanwhile."""
    result = session.execute(
        update(FeedbackRequest)
        .where(
            col(FeedbackRequest.id) == request_id, col(FeedbackRequest.status) == RequestStatus.OPEN
        )
        .values(status=RequestStatus.ANSWERED, answered_at=now, feedback_id=feedback_id)
    )
    return bool(getattr(result, "rowcount", 0))


def requests_to_remind(session: Session, at: datetime, limit: int) -> list[FeedbackRequest]:
    return list(
        session.exec(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.status == RequestStatus.OPEN,
                col(FeedbackRequest.reminded_at).is_(None),
            )
            .where(col(FeedbackRequest.remind_at) <= at, col(FeedbackRequest.expires_at) > at)
            .order_by(col(FeedbackRequest.remind_at), col(FeedbackRequest.id))
            .limit(limit)
        ).all()
    )


def requests_to_expire(session: Session, at: datetime, limit: int) -> list[FeedbackRequest]:
    return list(
        session.exec(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.status == RequestStatus.OPEN, col(FeedbackRequest.expires_at) <= at
            )
            .order_by(col(FeedbackRequest.expires_at), col(FeedbackRequest.id))
            .limit(limit)
        ).all()
    )


def mark_reminded(session: Session, request_id: int, now: datetime) -> bool:
    result = session.execute(
        update(FeedbackRequest)
        .where(col(FeedbackRequest.id) == request_id, col(FeedbackRequest.reminded_at).is_(None))
        .values(reminded_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def expire_request(session: Session, request_id: int) -> bool:
    result = session.execute(
        update(FeedbackRequest)
        .where(
            col(FeedbackRequest.id) == request_id, col(FeedbackRequest.status) == RequestStatus.OPEN
        )
        .values(status=RequestStatus.EXPIRED)
    )
    return bool(getattr(result, "rowcount", 0))


def next_request_due(session: Session) -> datetime | None:
    remind = session.exec(
        select(func.min(FeedbackRequest.remind_at)).where(
            FeedbackRequest.status == RequestStatus.OPEN, col(FeedbackRequest.reminded_at).is_(None)
        )
    ).one()
    expire = session.exec(
        select(func.min(FeedbackRequest.expires_at)).where(
            FeedbackRequest.status == RequestStatus.OPEN
        )
    ).one()
    times = [t for t in (remind, expire) if t is not None]
    return min(times) if times else None


# Customer feedback -----------------------------------------------------------------------------


def add_customer_feedback(session: Session, values: dict[str, Any]) -> CustomerFeedback | None:
    """Insert unless this message was already logged for this teammate: None then."""
    keys = ["team_id", "teammate_id", "source_ref"]
    if values.get("source_ref") is None:
        row = CustomerFeedback.model_validate(values)
        session.add(row)
        session.flush()
        return row
    if not insert_ignore(session, CustomerFeedback, values, keys):
        return None
    return session.exec(
        select(CustomerFeedback).where(
            CustomerFeedback.team_id == values["team_id"],
            CustomerFeedback.teammate_id == values["teammate_id"],
            CustomerFeedback.source_ref == values["source_ref"],
        )
    ).one()


def get_customer_feedback(
    session: Session, *, team_id: str, row_id: int
) -> CustomerFeedback | None:
    return session.exec(
        select(CustomerFeedback).where(
            CustomerFeedback.team_id == team_id, CustomerFeedback.id == row_id
        )
    ).first()


def customer_counts(
    session: Session, *, team_id: str, teammate_id: str
) -> dict[str, tuple[int, float]]:
    """kind -> (count, average rating) for one teammate."""
    rows = session.exec(
        select(CustomerFeedback.kind, func.count(), func.avg(CustomerFeedback.rating))
        .where(CustomerFeedback.team_id == team_id, CustomerFeedback.teammate_id == teammate_id)
        .group_by(col(CustomerFeedback.kind))
    ).all()
    return {kind: (int(n), float(avg or 0)) for kind, n, avg in rows}


def save(session: Session, row: Feedback | CustomerFeedback) -> None:
    session.add(row)
    session.flush()


# The Home tab: bounded reads of one person's own feedback and requests ------------------------


def latest_received(
    session: Session, *, team_id: str, recipient_id: str, limit: int
) -> list[Feedback]:
    """The latest feedback ``recipient_id`` received (ix_feedback_recipient)."""
    return list(
        session.exec(
            select(Feedback)
            .where(Feedback.team_id == team_id, Feedback.recipient_id == recipient_id)
            .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
            .limit(limit)
        ).all()
    )


def open_requests_to(
    session: Session, *, team_id: str, giver_id: str, limit: int
) -> list[FeedbackRequest]:
    """Requests waiting for ``giver_id`` to answer, the oldest first (open requests expire
    within days, so the open rows are few whatever the history)."""
    return list(
        session.exec(
            select(FeedbackRequest)
            .where(FeedbackRequest.status == RequestStatus.OPEN)
            .where(FeedbackRequest.team_id == team_id, FeedbackRequest.giver_id == giver_id)
            .order_by(col(FeedbackRequest.created_at), col(FeedbackRequest.id))
            .limit(limit)
        ).all()
    )


def open_requests_by(
    session: Session, *, team_id: str, requester_id: str, limit: int
) -> list[FeedbackRequest]:
    """``requester_id``'s own requests still open, the latest first."""
    return list(
        session.exec(
            select(FeedbackRequest)
            .where(FeedbackRequest.team_id == team_id)
            .where(FeedbackRequest.requester_id == requester_id)
            .where(FeedbackRequest.status == RequestStatus.OPEN)
            .order_by(col(FeedbackRequest.created_at).desc(), col(FeedbackRequest.id).desc())
            .limit(limit)
        ).all()
    )
