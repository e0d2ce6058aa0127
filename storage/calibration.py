"""Queries for calibration rounds: the round, its invited reviewers and their scores, who leads
a team channel, the rounds due for their reveal, and one person's part for export and erasure.

Every query is bounded: by a round's id, by an index, or by a ``limit``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from storage.models.reviews import (
    Calibration,
    CalibrationReviewer,
    CalibrationScore,
    CalibrationStatus,
)
from storage.models.shoutouts import ShoutoutChannel, TeamLead

# Who leads a team -------------------------------------------------------------------------------


def leads_a_team(session: Session, *, team_id: str, user_id: str) -> bool:
    """Whether someone leads a team channel (one with shout-outs on): its creator, or named a
    lead by an admin (``bot.shoutouts``)."""
    named = session.exec(
        select(TeamLead.channel_id)
        .join(
            ShoutoutChannel,
            (col(ShoutoutChannel.team_id) == col(TeamLead.team_id))
            & (col(ShoutoutChannel.channel_id) == col(TeamLead.channel_id)),
        )
        .where(TeamLead.team_id == team_id, TeamLead.user_id == user_id)
        .where(col(ShoutoutChannel.enabled).is_(True))
        .limit(1)
    ).first()
    if named is not None:
        return True
    created = session.exec(
        select(ShoutoutChannel.channel_id)
        .where(ShoutoutChannel.team_id == team_id, ShoutoutChannel.creator_id == user_id)
        .where(col(ShoutoutChannel.enabled).is_(True))
        .limit(1)
    ).first()
    return created is not None


# A round ---------------------------------------------------------------------------------------


def by_request(session: Session, *, team_id: str, request_key: str) -> Calibration | None:
    return session.exec(
        select(Calibration).where(
            Calibration.team_id == team_id, Calibration.request_key == request_key
        )
    ).first()


def add_round(
    session: Session, row: Calibration, reviewer_ids: Sequence[str]
) -> tuple[Calibration, list[CalibrationReviewer]]:
    session.add(row)
    session.flush()
    assert row.id is not None
    invited = [
        CalibrationReviewer(team_id=row.team_id, calibration_id=row.id, reviewer_id=r)
        for r in reviewer_ids
    ]
    session.add_all(invited)
    session.flush()
    return row, invited


def get_round(
    session: Session, *, team_id: str, round_id: int, lock: bool = False
) -> Calibration | None:
    stmt = select(Calibration).where(Calibration.team_id == team_id, Calibration.id == round_id)
    if lock:  # the reveal and the last score race for the same round: one waits
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.exec(stmt).first()


def reviewers(session: Session, *, round_id: int) -> list[CalibrationReviewer]:
    return list(
        session.exec(
            select(CalibrationReviewer)
            .where(CalibrationReviewer.calibration_id == round_id)
            .order_by(col(CalibrationReviewer.id))
        ).all()
    )


def mark_submitted(session: Session, *, reviewer_row_id: int, now: datetime) -> bool:
    """Mark an invited reviewer's scores in, once: False when they were already."""
    result = session.execute(
        update(CalibrationReviewer)
        .where(
            col(CalibrationReviewer.id) == reviewer_row_id,
            col(CalibrationReviewer.submitted_at).is_(None),
        )
        .values(submitted_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def add_scores(session: Session, rows: Sequence[CalibrationScore]) -> None:
    session.add_all(rows)
    session.flush()


def scores(session: Session, *, round_id: int, agreed: bool) -> list[CalibrationScore]:
    return list(
        session.exec(
            select(CalibrationScore)
            .where(
                CalibrationScore.calibration_id == round_id,
                col(CalibrationScore.agreed).is_(agreed),
            )
            .order_by(col(CalibrationScore.id))
        ).all()
    )


def move_status(
    session: Session, *, round_id: int, from_status: str, values: dict[str, Any]
) -> bool:
    """Move a round on from ``from_status`` (with ``values``), once: False when another
    transaction already did (a reveal by the last score and by the deadline job, say)."""
    result = session.execute(
        update(Calibration)
        .where(col(Calibration.id) == round_id, col(Calibration.status) == from_status)
        .values(**values)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


# The reveal at the deadline --------------------------------------------------------------------


def due_rounds(session: Session, at: datetime, limit: int) -> list[tuple[str, int]]:
    """(team, round) of open rounds whose deadline has passed, oldest deadline first."""
    rows = session.exec(
        select(Calibration.team_id, Calibration.id)
        .where(Calibration.status == CalibrationStatus.OPEN, col(Calibration.deadline_at) <= at)
        .order_by(col(Calibration.deadline_at), col(Calibration.id))
        .limit(limit)
    ).all()
    return [(t, i or 0) for t, i in rows]


def next_deadline(session: Session) -> datetime | None:
    return session.exec(
        select(Calibration.deadline_at)
        .where(Calibration.status == CalibrationStatus.OPEN)
        .order_by(col(Calibration.deadline_at))
        .limit(1)
    ).first()


# A lead's rounds -------------------------------------------------------------------------------


def rounds_of_lead(
    session: Session, *, team_id: str, lead_id: str, limit: int
) -> list[Calibration]:
    """A lead's newest rounds first (``ix_calibration_lead``)."""
    return list(
        session.exec(
            select(Calibration)
            .where(Calibration.team_id == team_id, Calibration.lead_id == lead_id)
            .order_by(col(Calibration.created_at).desc(), col(Calibration.id).desc())
            .limit(limit)
        ).all()
    )


# One person's part: export and erasure ---------------------------------------------------------


def person_data(session: Session, *, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Their invitations, the scores they gave, and the rounds they opened. Other reviewers'
    scores are theirs, not this person's, and are left out; so are the scores of a round about
    this person's own conversation (the agent named is never shown them)."""
    t, u = team_id, user_id
    invited = session.exec(
        select(CalibrationReviewer).where(
            CalibrationReviewer.team_id == t, CalibrationReviewer.reviewer_id == u
        )
    ).all()
    given = session.exec(
        select(CalibrationScore).where(
            CalibrationScore.team_id == t,
            CalibrationScore.reviewer_id == u,
            col(CalibrationScore.agreed).is_(False),
        )
    ).all()
    led = session.exec(
        select(Calibration).where(Calibration.team_id == t, Calibration.lead_id == u)
    ).all()
    about = session.exec(
        select(Calibration).where(Calibration.team_id == t, Calibration.agent_id == u)
    ).all()
    return {
        "calibration_invitations": [r.model_dump() for r in invited],
        "calibration_scores_you_gave": [s.model_dump() for s in given],
        "calibration_rounds_you_led": [r.model_dump() for r in led],
        "calibration_rounds_about_you": [
            {"id": r.id, "link": r.link, "created_at": r.created_at} for r in about
        ],
    }


def erase_person(session: Session, *, team_id: str, user_id: str) -> dict[str, int]:
    """Delete their invitations and the scores they gave (the rest of each round stays with
    the others; the caller then rewrites their id wherever else it is). Rows deleted per table."""
    removed: dict[str, int] = {}
    for model, column in (
        (CalibrationScore, CalibrationScore.reviewer_id),
        (CalibrationReviewer, CalibrationReviewer.reviewer_id),
    ):
        where = [col(model.team_id) == team_id, col(column) == user_id]
        if model is CalibrationScore:
            where.append(col(CalibrationScore.agreed).is_(False))
        result = session.execute(delete(model).where(*where))
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            removed[str(model.__tablename__)] = n
    return removed
