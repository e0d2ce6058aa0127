"""Queries for one-on-ones: the series, their meetings and action items. Every query is
bounded (a limit, or one row by a unique key) and served by an index of migration 0015.

Functions taking two or more ids take them by keyword: a coach and a coachee must never be
swapped unnoticed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models.oneonones import ActionItem, Meeting, OneOnOne


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


def due(session: Session, *, before: datetime, limit: int) -> list[OneOnOne]:
    """Active series whose next meeting is at or before ``before`` (ix_one_on_one_due)."""
    return list(
        session.exec(
            select(OneOnOne)
            .where(col(OneOnOne.active).is_(True), col(OneOnOne.next_at) <= before)
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


def get_item(session: Session, *, team_id: str, item_id: int) -> ActionItem | None:
    return session.exec(
        select(ActionItem).where(ActionItem.team_id == team_id, ActionItem.id == item_id)
    ).first()


def lock_series(session: Session, *, team_id: str, series_id: int) -> OneOnOne | None:
    """The series, locked for the rest of the transaction on PostgreSQL (a job's once)."""
    return session.exec(
        select(OneOnOne)
        .where(OneOnOne.team_id == team_id, OneOnOne.id == series_id)
        .with_for_update()
    ).first()
