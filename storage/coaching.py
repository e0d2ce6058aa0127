"""Queries for coaching pairings: who coaches whom, and the requests between them.

Functions taking two or more ids take them by keyword: a coach and a coachee must never be
swapped unnoticed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models.coaching import CoachPairing, PairingStatus
from storage.models.users import SlackUser


def save(session: Session, row: CoachPairing) -> None:
    session.add(row)
    session.flush()


def pairing(
    session: Session, *, team_id: str, coach_id: str, coachee_id: str
) -> CoachPairing | None:
    return session.exec(
        select(CoachPairing).where(
            CoachPairing.team_id == team_id,
            CoachPairing.coach_id == coach_id,
            CoachPairing.coachee_id == coachee_id,
        )
    ).first()


def get_pairing(session: Session, *, team_id: str, pairing_id: int) -> CoachPairing | None:
    return session.exec(
        select(CoachPairing).where(CoachPairing.team_id == team_id, CoachPairing.id == pairing_id)
    ).first()


def pairings_of(session: Session, *, team_id: str, user_id: str) -> list[CoachPairing]:
    """Every pairing where ``user_id`` is coach or coachee (any status)."""
    return list(
        session.exec(
            select(CoachPairing)
            .where(CoachPairing.team_id == team_id)
            .where(
                (col(CoachPairing.coach_id) == user_id) | (col(CoachPairing.coachee_id) == user_id)
            )
            .order_by(col(CoachPairing.id))
        ).all()
    )


def coaches_of(session: Session, *, team_id: str, coachee_id: str) -> list[str]:
    """Who actively coaches ``coachee_id``."""
    return list(
        session.exec(
            select(CoachPairing.coach_id).where(
                CoachPairing.team_id == team_id,
                CoachPairing.coachee_id == coachee_id,
                CoachPairing.status == PairingStatus.ACTIVE,
            )
        ).all()
    )


def coachees_of(session: Session, *, team_id: str, coach_id: str) -> list[str]:
    """Whom ``coach_id`` actively coaches."""
    return list(
        session.exec(
            select(CoachPairing.coachee_id).where(
                CoachPairing.team_id == team_id,
                CoachPairing.coach_id == coach_id,
                CoachPairing.status == PairingStatus.ACTIVE,
            )
        ).all()
    )


def active_coaches(session: Session) -> list[tuple[str, str]]:
    """(team_id, coach_id) for everyone coaching someone, in every workspace."""
    rows = session.exec(
        select(CoachPairing.team_id, CoachPairing.coach_id)
        .where(CoachPairing.status == PairingStatus.ACTIVE)
        .distinct()
        .order_by(col(CoachPairing.team_id), col(CoachPairing.coach_id))
    ).all()
    return [(t, c) for t, c in rows]


def stale_coaches(session: Session, before: datetime, limit: int) -> list[tuple[str, str]]:
    """Active coaches whose cached Slack profile is missing or older than ``before``."""
    rows = session.exec(
        select(CoachPairing.team_id, CoachPairing.coach_id)
        .outerjoin(
            SlackUser,
            (col(SlackUser.team_id) == CoachPairing.team_id)
            & (col(SlackUser.user_id) == CoachPairing.coach_id),
        )
        .where(col(CoachPairing.status) == PairingStatus.ACTIVE)
        .where(col(SlackUser.fetched_at).is_(None) | (col(SlackUser.fetched_at) < before))
        .distinct()
        .limit(limit)
    ).all()
    return [(t, u) for t, u in rows]


def live_pairings_of(
    session: Session, *, team_id: str, user_id: str, limit: int
) -> list[CoachPairing]:
    """Pairings where ``user_id`` is coach or coachee that are active or waiting for an answer."""
    return list(
        session.exec(
            select(CoachPairing)
            .where(CoachPairing.team_id == team_id)
            .where(
                (col(CoachPairing.coach_id) == user_id) | (col(CoachPairing.coachee_id) == user_id)
            )
            .where(col(CoachPairing.status).in_([PairingStatus.ACTIVE, PairingStatus.PENDING]))
            .order_by(col(CoachPairing.id))
            .limit(limit)
        ).all()
    )
