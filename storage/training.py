"""Queries for training people recorded (``/learned course``), and whether a person lets their
coaches see it (``user_pref.learning_to_coaches``).

Every list is a ``LIMIT`` read on ``ix_training_person`` (newest first)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from storage.models.learning import Training
from storage.models.users import UserPref
from storage.upsert import insert_ignore, upsert


def insert_training(session: Session, values: dict[str, Any]) -> tuple[Training, bool]:
    """The training with ``values`` (keyed by ``request_key``) and whether it is new: a second
    delivery of the same command or form finds the first one's row and writes nothing."""
    fresh = insert_ignore(session, Training, values, ["team_id", "request_key"])
    row = session.exec(
        select(Training).where(
            Training.team_id == values["team_id"],
            Training.request_key == values["request_key"],
        )
    ).one()
    return row, fresh


def get_training(
    session: Session, *, team_id: str, training_id: int, lock: bool = False
) -> Training | None:
    stmt = select(Training).where(Training.id == training_id, Training.team_id == team_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.exec(stmt).first()


def save(session: Session, row: Training) -> None:
    session.add(row)
    session.flush()


def trainings_of(
    session: Session, *, team_id: str, user_id: str, limit: int, since: date | None = None
) -> list[Training]:
    """The person's training, newest first (by the day it was taken), at most ``limit``."""
    stmt = select(Training).where(Training.team_id == team_id, Training.user_id == user_id)
    if since is not None:
        stmt = stmt.where(col(Training.taken_on) >= since)
    stmt = stmt.order_by(col(Training.taken_on).desc(), col(Training.id).desc()).limit(limit)
    return list(session.exec(stmt).all())


def shared_with_coaches(session: Session, *, team_id: str, user_id: str) -> bool:
    row = session.get(UserPref, (team_id, user_id))
    return bool(row and row.learning_to_coaches)


def set_shared_with_coaches(session: Session, *, team_id: str, user_id: str, on: bool) -> None:
    values = {"team_id": team_id, "user_id": user_id, "learning_to_coaches": on}
    upsert(session, UserPref, values, ["team_id", "user_id"])


def sharing_among(session: Session, *, team_id: str, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` who let their coaches see their training (one read)."""
    rows = session.exec(
        select(UserPref.user_id).where(
            UserPref.team_id == team_id,
            col(UserPref.user_id).in_(list(user_ids)),
            col(UserPref.learning_to_coaches).is_(True),
        )
    ).all()
    return set(rows)
