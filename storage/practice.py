"""Queries for practice: rounds, the ratings asked for them, and people's weekday plans.

Every list is bounded: a person's rounds are a ``LIMIT`` read on ``ix_practice_round_person``
(newest first), a rater's ratings are keyed by ``(round_id, rater_id)``, and the scheduler reads
due plans from ``ix_practice_plan_due``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models.practice import PracticePlan, PracticeRating, PracticeRound, RoundStatus
from storage.upsert import insert_ignore

SEEN = 200  # the rounds read to know which scenarios a person has seen
WEEK = 100  # at most this many rounds of one person in a digest's week


def save(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


# Rounds ---------------------------------------------------------------------------------------


def insert_round(session: Session, values: dict[str, Any]) -> tuple[PracticeRound, bool]:
    """The round with ``values`` (keyed by ``request_key``) and whether it is new: a second
    delivery of the same command or plan slot finds the first one's row and writes nothing."""
    fresh = insert_ignore(session, PracticeRound, values, ["team_id", "request_key"])
    row = session.exec(
        select(PracticeRound).where(
            PracticeRound.team_id == values["team_id"],
            PracticeRound.request_key == values["request_key"],
        )
    ).one()
    return row, fresh


def get_round(session: Session, *, team_id: str, round_id: int) -> PracticeRound | None:
    row = session.get(PracticeRound, round_id)
    return row if row is not None and row.team_id == team_id else None


def lock_round(session: Session, *, team_id: str, round_id: int) -> PracticeRound | None:
    """The round, locked for the rest of the transaction (two clicks apply one at a time)."""
    stmt = (
        select(PracticeRound)
        .where(PracticeRound.id == round_id, PracticeRound.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def rounds_of(session: Session, *, team_id: str, user_id: str, limit: int) -> list[PracticeRound]:
    """A person's latest rounds, newest first."""
    return list(
        session.exec(
            select(PracticeRound)
            .where(PracticeRound.team_id == team_id, PracticeRound.user_id == user_id)
            .order_by(col(PracticeRound.created_at).desc(), col(PracticeRound.id).desc())
            .limit(limit)
        ).all()
    )


def seen_keys(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """The scenario keys of a person's latest ``SEEN`` rounds, oldest first."""
    rows = rounds_of(session, team_id=team_id, user_id=user_id, limit=SEEN)
    return [r.scenario_key for r in reversed(rows)]


def open_planned(session: Session, *, team_id: str, user_id: str) -> list[PracticeRound]:
    """A person's planned rounds still waiting for them (sent or answered, not assessed)."""
    return [
        r
        for r in rounds_of(session, team_id=team_id, user_id=user_id, limit=20)
        if r.planned and r.status in (RoundStatus.SENT, RoundStatus.ANSWERED)
    ]


def assessed_since(
    session: Session, *, team_id: str, user_id: str, since: datetime
) -> list[PracticeRound]:
    """A person's rounds assessed at or after ``since`` (a digest's week), at most ``WEEK``."""
    return list(
        session.exec(
            select(PracticeRound)
            .where(
                PracticeRound.team_id == team_id,
                PracticeRound.user_id == user_id,
                col(PracticeRound.assessed_at) >= since,
                PracticeRound.status == RoundStatus.ASSESSED,
            )
            .order_by(col(PracticeRound.assessed_at).desc())
            .limit(WEEK)
        ).all()
    )


# Ratings --------------------------------------------------------------------------------------


def add_ratings(session: Session, rows: Sequence[PracticeRating]) -> None:
    session.add_all(rows)
    session.flush()


def ratings_of(session: Session, round_id: int) -> list[PracticeRating]:
    return list(
        session.exec(
            select(PracticeRating)
            .where(PracticeRating.round_id == round_id)
            .order_by(col(PracticeRating.id))
        ).all()
    )


def rating_counts(session: Session, round_ids: Sequence[int]) -> dict[int, int]:
    """How many ratings came back for each round."""
    if not round_ids:
        return {}
    rows = session.exec(
        select(PracticeRating.round_id, func.count())
        .where(col(PracticeRating.round_id).in_(list(round_ids)), PracticeRating.status == "rated")
        .group_by(col(PracticeRating.round_id))
    ).all()
    return {int(r): int(n) for r, n in rows}


def lock_rating(
    session: Session, *, team_id: str, round_id: int, rater_id: str
) -> PracticeRating | None:
    stmt = (
        select(PracticeRating)
        .where(
            PracticeRating.team_id == team_id,
            PracticeRating.round_id == round_id,
            PracticeRating.rater_id == rater_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def rating_of(
    session: Session, *, team_id: str, round_id: int, rater_id: str
) -> PracticeRating | None:
    return session.exec(
        select(PracticeRating).where(
            PracticeRating.team_id == team_id,
            PracticeRating.round_id == round_id,
            PracticeRating.rater_id == rater_id,
        )
    ).first()


# Plans ----------------------------------------------------------------------------------------


def get_plan(session: Session, *, team_id: str, user_id: str) -> PracticePlan | None:
    return session.get(PracticePlan, (team_id, user_id))


def lock_plan(session: Session, *, team_id: str, user_id: str) -> PracticePlan | None:
    stmt = (
        select(PracticePlan)
        .where(PracticePlan.team_id == team_id, PracticePlan.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def due_plans(session: Session, at: datetime, limit: int) -> list[tuple[str, str]]:
    """(team_id, user_id) of active plans due at ``at``, oldest first."""
    rows = session.exec(
        select(PracticePlan.team_id, PracticePlan.user_id)
        .where(col(PracticePlan.active).is_(True), col(PracticePlan.next_at) <= at)
        .order_by(col(PracticePlan.next_at))
        .limit(limit)
    ).all()
    return [(t, u) for t, u in rows]


def lock_due_plan(
    session: Session, *, team_id: str, user_id: str, at: datetime
) -> PracticePlan | None:
    """The plan if it is still due, locked; skipped when another process holds it."""
    stmt = (
        select(PracticePlan)
        .where(
            PracticePlan.team_id == team_id,
            PracticePlan.user_id == user_id,
            col(PracticePlan.active).is_(True),
            col(PracticePlan.next_at) <= at,
        )
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def next_plan_due(session: Session) -> datetime | None:
    return session.exec(
        select(func.min(PracticePlan.next_at)).where(col(PracticePlan.active).is_(True))
    ).one()
