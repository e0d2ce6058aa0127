"""Queries for one-on-ones: the series, their meetings and action items. Every query is
bounded (a limit, or one row by a unique key) and served by an index of migration 0015.

Functions taking two or more ids take them by keyword: a coach and a coachee must never be
swapped unnoticed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models.feedback import CustomerFeedback, Feedback
from storage.models.goals import CheckIn, CheckInPrompt, PromptStatus
from storage.models.kudos import Kudos, KudosRevocation
from storage.models.oneonones import ActionItem, Meeting, OneOnOne
from storage.models.reviews import Review


def save(session: Session, row: OneOnOne | Meeting | ActionItem) -> None:
    session.add(row)
    session.flush()


def series(session: Session, *, team_id: str, coach_id: str, coachee_id: str) -> OneOnOne | None:
    return session.exec(
        select(OneOnOne).where(
            OneOnOne.team_id == team_id,
            OneOnOne.coach_id == coach_id,
            OneOnOne.coachee_id == coachee_id,
        )
    ).first()


def get_series(session: Session, *, team_id: str, series_id: int) -> OneOnOne | None:
    return session.exec(
        select(OneOnOne).where(OneOnOne.team_id == team_id, OneOnOne.id == series_id)
    ).first()


def active_of(session: Session, *, team_id: str, user_id: str, limit: int) -> list[OneOnOne]:
    """Active series where ``user_id`` is coach or coachee, soonest first."""
    return list(
        session.exec(
            select(OneOnOne)
            .where(OneOnOne.team_id == team_id, col(OneOnOne.active).is_(True))
            .where((col(OneOnOne.coach_id) == user_id) | (col(OneOnOne.coachee_id) == user_id))
            .order_by(col(OneOnOne.next_at), col(OneOnOne.id))
            .limit(limit)
        ).all()
    )


def due(session: Session, *, before: datetime, now: datetime, limit: int) -> list[OneOnOne]:
    """Active series whose next meeting is at or before ``before`` and not yet prepped, or
    already past ``now`` (ix_one_on_one_due)."""
    return list(
        session.exec(
            select(OneOnOne)
            .where(col(OneOnOne.active).is_(True), col(OneOnOne.next_at) <= before)
            .where(
                col(OneOnOne.prepped_for).is_(None)
                | (col(OneOnOne.prepped_for) < col(OneOnOne.next_at))
                | (col(OneOnOne.next_at) <= now)
            )
            .order_by(col(OneOnOne.next_at), col(OneOnOne.id))
            .limit(limit)
        ).all()
    )


def next_at(session: Session) -> datetime | None:
    """The soonest next meeting of any active series."""
    return session.exec(
        select(OneOnOne.next_at)
        .where(col(OneOnOne.active).is_(True), col(OneOnOne.next_at).is_not(None))
        .order_by(col(OneOnOne.next_at))
        .limit(1)
    ).first()


def meeting_at(session: Session, *, team_id: str, series_id: int, at: datetime) -> Meeting | None:
    return session.exec(
        select(Meeting).where(
            Meeting.team_id == team_id, Meeting.series_id == series_id, Meeting.at == at
        )
    ).first()


def get_meeting(session: Session, *, team_id: str, meeting_id: int) -> Meeting | None:
    return session.exec(
        select(Meeting).where(Meeting.team_id == team_id, Meeting.id == meeting_id)
    ).first()


def latest_noted(session: Session, *, team_id: str, series_id: int) -> Meeting | None:
    """The latest meeting of a series that has notes (scans a bounded number of meetings)."""
    rows = session.exec(
        select(Meeting)
        .where(Meeting.team_id == team_id, Meeting.series_id == series_id)
        .where(col(Meeting.noted_at).is_not(None))
        .order_by(col(Meeting.at).desc())
        .limit(1)
    ).all()
    return rows[0] if rows else None


def items_in(
    session: Session, *, team_id: str, series_id: int, states: tuple[str, ...], limit: int
) -> list[ActionItem]:
    """Action items of a series in ``states``, oldest first (ix_action_item_series)."""
    return list(
        session.exec(
            select(ActionItem)
            .where(ActionItem.team_id == team_id, ActionItem.series_id == series_id)
            .where(col(ActionItem.state).in_(states))
            .order_by(col(ActionItem.id))
            .limit(limit)
        ).all()
    )


def get_item(
    session: Session, *, team_id: str, item_id: int, lock: bool = False
) -> ActionItem | None:
    query = select(ActionItem).where(ActionItem.team_id == team_id, ActionItem.id == item_id)
    return session.exec(query.with_for_update() if lock else query).first()


def lock_series(session: Session, *, team_id: str, series_id: int) -> OneOnOne | None:
    """The series, locked for the rest of the transaction on PostgreSQL (a job's once)."""
    return session.exec(
        select(OneOnOne)
        .where(OneOnOne.team_id == team_id, OneOnOne.id == series_id)
        .with_for_update()
    ).first()


# What a prep note reads of the other rooms: each query bounded by a date and a limit, and served
# by an index (named beside it), so five years of history cost what five weeks do.


def checkins_since(
    session: Session, *, goal_ids: list[int], since: datetime, limit: int
) -> list[CheckIn]:
    """The latest check-ins of some goals since ``since`` (ix_checkin_goal_created)."""
    if not goal_ids:
        return []
    return list(
        session.exec(
            select(CheckIn)
            .where(col(CheckIn.goal_id).in_(goal_ids), col(CheckIn.created_at) >= since)
            .order_by(col(CheckIn.created_at).desc(), col(CheckIn.id).desc())
            .limit(limit)
        ).all()
    )


def missed_prompts(
    session: Session, *, goal_ids: list[int], since: datetime, limit: int
) -> list[CheckInPrompt]:
    """Check-in prompts of some goals missed since ``since`` (unique goal_id, due_at)."""
    if not goal_ids:
        return []
    return list(
        session.exec(
            select(CheckInPrompt)
            .where(col(CheckInPrompt.goal_id).in_(goal_ids))
            .where(CheckInPrompt.status == PromptStatus.MISSED)
            .where(col(CheckInPrompt.due_at) >= since)
            .limit(limit)
        ).all()
    )


def kudos_values_since(
    session: Session, *, team_id: str, user_id: str, since: datetime, limit: int
) -> list[tuple[str, datetime]]:
    """(values, when) of the kudos ``user_id`` received since ``since``, newest first, not
    withdrawn (ix_kudos_team_recipient_created)."""
    withdrawn = select(KudosRevocation.kudos_id)
    rows = session.exec(
        select(Kudos.values, Kudos.created_at)
        .where(Kudos.team_id == team_id, Kudos.recipient_id == user_id)
        .where(col(Kudos.created_at) >= since, col(Kudos.id).not_in(withdrawn))
        .order_by(col(Kudos.created_at).desc())
        .limit(limit)
    ).all()
    return [(v, at) for v, at in rows]


def shared_feedback_since(
    session: Session, *, team_id: str, user_id: str, since: datetime, limit: int
) -> list[Feedback]:
    """Feedback ``user_id`` received and shared with coaches (ix_feedback_recipient)."""
    return list(
        session.exec(
            select(Feedback)
            .where(Feedback.team_id == team_id, Feedback.recipient_id == user_id)
            .where(col(Feedback.created_at) >= since, col(Feedback.shared_with_coach).is_(True))
            .order_by(col(Feedback.created_at).desc(), col(Feedback.id).desc())
            .limit(limit)
        ).all()
    )


def customer_since(
    session: Session, *, team_id: str, user_id: str, since: datetime, limit: int
) -> list[CustomerFeedback]:
    """What customers said about ``user_id`` (ix_customer_feedback_teammate)."""
    return list(
        session.exec(
            select(CustomerFeedback)
            .where(CustomerFeedback.team_id == team_id, CustomerFeedback.teammate_id == user_id)
            .where(col(CustomerFeedback.created_at) >= since)
            .order_by(col(CustomerFeedback.created_at).desc(), col(CustomerFeedback.id).desc())
            .limit(limit)
        ).all()
    )


def reviews_since(
    session: Session, *, team_id: str, user_id: str, since: datetime, limit: int
) -> list[Review]:
    """Reviews of ``user_id`` (ix_review_agent)."""
    return list(
        session.exec(
            select(Review)
            .where(Review.team_id == team_id, Review.agent_id == user_id)
            .where(col(Review.created_at) >= since)
            .order_by(col(Review.created_at).desc(), col(Review.id).desc())
            .limit(limit)
        ).all()
    )
