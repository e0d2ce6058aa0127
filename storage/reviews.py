"""Queries for quality reviews: a review and its scores, who is around an agent (their active
coaches, the leads of their team channels), a person's latest reviews and their per-skill
averages, and a person's reviews for their export and erasure.

Every list is bounded: the latest reviews are a ``LIMIT`` read on ``ix_review_agent`` or
``ix_review_reviewer``; averages read ``ix_review_score_agent`` over a time range.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, delete, or_, select

from storage.models import CoachPairing, ShoutoutChannel, ShoutoutMember, TeamLead
from storage.models.coaching import PairingStatus
from storage.models.reviews import Review, ReviewScore, ReviewStatus
from storage.upsert import insert_ignore

# One review ------------------------------------------------------------------------------------


def insert_review(session: Session, values: dict[str, Any]) -> tuple[Review, bool]:
    """The review with ``values`` (keyed by ``request_key``) and whether it is new: a second
    delivery of the same submission finds the first one's row and writes nothing."""
    fresh = insert_ignore(session, Review, values, ["team_id", "request_key"])
    row = session.exec(
        select(Review).where(
            Review.team_id == values["team_id"], Review.request_key == values["request_key"]
        )
    ).one()
    return row, fresh


def get_review(session: Session, *, team_id: str, review_id: int) -> Review | None:
    row = session.get(Review, review_id)
    return row if row is not None and row.team_id == team_id else None


def lock_review(session: Session, *, team_id: str, review_id: int) -> Review | None:
    """The review, locked for the rest of the transaction (two clicks apply one at a time)."""
    stmt = (
        select(Review)
        .where(Review.id == review_id, Review.team_id == team_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(stmt).first()


def save(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def scores_of(session: Session, review_id: int) -> list[ReviewScore]:
    return list(
        session.exec(
            select(ReviewScore)
            .where(ReviewScore.review_id == review_id)
            .order_by(col(ReviewScore.id))
        ).all()
    )


def replace_scores(session: Session, review: Review, scores: Sequence[ReviewScore]) -> None:
    assert review.id is not None
    session.execute(delete(ReviewScore).where(col(ReviewScore.review_id) == review.id))
    session.add_all(list(scores))
    session.flush()


# Who is around an agent ------------------------------------------------------------------------


def coaches_of(session: Session, *, team_id: str, agent_id: str) -> set[str]:
    return set(
        session.exec(
            select(CoachPairing.coach_id).where(
                CoachPairing.team_id == team_id,
                CoachPairing.coachee_id == agent_id,
                CoachPairing.status == PairingStatus.ACTIVE,
            )
        ).all()
    )


def team_leads_of(session: Session, *, team_id: str, agent_id: str) -> list[str]:
    """The leads of the enabled team channels ``agent_id`` is a member of: the people named
    lead there, then each channel's creator (in that order, each once)."""
    mine = (
        select(ShoutoutMember.channel_id)
        .join(
            ShoutoutChannel,
            (col(ShoutoutChannel.team_id) == col(ShoutoutMember.team_id))
            & (col(ShoutoutChannel.channel_id) == col(ShoutoutMember.channel_id)),
        )
        .where(ShoutoutMember.team_id == team_id, ShoutoutMember.user_id == agent_id)
        .where(col(ShoutoutChannel.enabled).is_(True))
    )
    named = session.exec(
        select(TeamLead.user_id)
        .where(TeamLead.team_id == team_id, col(TeamLead.channel_id).in_(mine))
        .order_by(col(TeamLead.channel_id), col(TeamLead.user_id))
    ).all()
    creators = session.exec(
        select(ShoutoutChannel.creator_id)
        .where(ShoutoutChannel.team_id == team_id, col(ShoutoutChannel.channel_id).in_(mine))
        .order_by(col(ShoutoutChannel.channel_id))
    ).all()
    leads = [u for u in [*named, *creators] if u and u != agent_id]
    return list(dict.fromkeys(leads))


# A person's reviews ----------------------------------------------------------------------------


def received(session: Session, *, team_id: str, agent_id: str, limit: int) -> list[Review]:
    return list(
        session.exec(
            select(Review)
            .where(Review.team_id == team_id, Review.agent_id == agent_id)
            .order_by(col(Review.created_at).desc(), col(Review.id).desc())
            .limit(limit)
        ).all()
    )


def given(session: Session, *, team_id: str, reviewer_id: str, limit: int) -> list[Review]:
    return list(
        session.exec(
            select(Review)
            .where(Review.team_id == team_id, Review.reviewer_id == reviewer_id)
            .order_by(col(Review.created_at).desc(), col(Review.id).desc())
            .limit(limit)
        ).all()
    )


class SkillAverage(NamedTuple):
    skill: str
    average: float
    scores: int  # how many scores it averages


def averages(
    session: Session, *, team_id: str, agent_id: str, since: datetime
) -> list[SkillAverage]:
    """Each skill's average score for ``agent_id`` since ``since`` ("not applicable" left out):
    a range read on ``ix_review_score_agent``."""
    rows = session.exec(
        select(ReviewScore.skill, func.avg(ReviewScore.score), func.count(col(ReviewScore.score)))
        .where(
            ReviewScore.team_id == team_id,
            ReviewScore.agent_id == agent_id,
            col(ReviewScore.created_at) >= since,
            col(ReviewScore.score).is_not(None),
        )
        .group_by(col(ReviewScore.skill))
        .order_by(col(ReviewScore.skill))
    ).all()
    return [SkillAverage(skill, float(avg), int(n)) for skill, avg, n in rows if n]


def unacknowledged(session: Session, *, team_id: str, agent_id: str, limit: int = 100) -> int:
    """How many of the agent's latest reviews wait for them to acknowledge (bounded)."""
    latest = (
        select(Review.status)
        .where(Review.team_id == team_id, Review.agent_id == agent_id)
        .order_by(col(Review.created_at).desc())
        .limit(limit)
        .subquery()
    )
    return int(
        session.exec(
            select(func.count()).select_from(latest).where(latest.c.status == ReviewStatus.SENT)
        ).one()
    )


# A person's data -------------------------------------------------------------------------------


def _about(team_id: str, user_id: str) -> Any:
    return (col(Review.team_id) == team_id) & or_(
        col(Review.agent_id) == user_id, col(Review.reviewer_id) == user_id
    )


def person_reviews(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """For a person's export: the reviews they received and gave, each with its scores."""
    rows = session.exec(
        select(Review).where(_about(team_id, user_id)).order_by(col(Review.id))
    ).all()
    out: dict[str, Any] = {"reviews_received": [], "reviews_given": []}
    for row in rows:
        assert row.id is not None
        item = {**row.model_dump(), "scores": [s.model_dump() for s in scores_of(session, row.id)]}
        out["reviews_received" if row.agent_id == user_id else "reviews_given"].append(item)
    return out


def erase_person(session: Session, *, team_id: str, user_id: str) -> dict[str, int]:
    """Delete the reviews a person received or gave, with their scores; rows deleted per
    table."""
    ids = select(Review.id).where(_about(team_id, user_id))
    scores = session.execute(delete(ReviewScore).where(col(ReviewScore.review_id).in_(ids)))
    reviews = session.execute(delete(Review).where(_about(team_id, user_id)))
    counts = {
        ReviewScore.__tablename__: int(getattr(scores, "rowcount", 0) or 0),
        Review.__tablename__: int(getattr(reviews, "rowcount", 0) or 0),
    }
    return {table: n for table, n in counts.items() if n}
