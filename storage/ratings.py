"""Queries for customer ratings by webhook: each workspace's hook, the signatures already
accepted, and the ratings received (waiting, unmatched, matched or dismissed)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, or_, select

from storage.models.feedback import CustomerFeedback
from storage.models.ratings import HookReceipt, RatingHook, RatingState, UnmatchedRating
from storage.upsert import dialect_insert, insert_ignore

Row = dict[str, Any]

# Hooks -----------------------------------------------------------------------------------------


def hook_of(session: Session, *, team_id: str) -> RatingHook | None:
    return session.get(RatingHook, team_id)


def hook_by_id(session: Session, hook_id: str) -> RatingHook | None:
    return session.exec(select(RatingHook).where(RatingHook.hook_id == hook_id)).first()


def add_hook(session: Session, values: Row) -> RatingHook:
    """The workspace's hook: this one, or the one another request created first."""
    insert_ignore(session, RatingHook, values, ["team_id"])
    row = session.get(RatingHook, values["team_id"], populate_existing=True)
    assert row is not None
    return row


def reseal_hook(session: Session, *, team_id: str, sealed: str, now: datetime) -> bool:
    result = session.execute(
        update(RatingHook)
        .where(col(RatingHook.team_id) == team_id)
        .values(secret_sealed=sealed, rotated_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def all_hooks(session: Session) -> list[RatingHook]:
    return list(session.exec(select(RatingHook).order_by(col(RatingHook.team_id))).all())


def set_sealed(session: Session, *, team_id: str, was: str, sealed: str) -> bool:
    """The same secret sealed again (with another key): not a rotation. Only if it is still
    sealed as ``was`` (a rotation meanwhile wins)."""
    result = session.execute(
        update(RatingHook)
        .where(col(RatingHook.team_id) == team_id, col(RatingHook.secret_sealed) == was)
        .values(secret_sealed=sealed)
    )
    return bool(getattr(result, "rowcount", 0))


# Receipts (replays) ----------------------------------------------------------------------------


def purge_receipts(session: Session, *, before: datetime) -> int:
    result = session.execute(delete(HookReceipt).where(col(HookReceipt.received_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)


# Ratings received ------------------------------------------------------------------------------


@functools.cache
def _insert_id(dialect: str, model: Any, keys: tuple[str, ...]) -> Any:
    # Core, built once: the webhook's answer and settling do one per rating.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    return insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c.id)


def _insert(session: Session, model: Any, values: Row, keys: tuple[str, ...]) -> int | None:
    conn = session.connection()
    found = conn.execute(_insert_id(conn.dialect.name, model, keys), values).scalar()
    return None if found is None else int(found)


def teams_waiting(session: Session, limit: int = 100) -> list[str]:
    rows = session.exec(
        select(UnmatchedRating.team_id)
        .where(UnmatchedRating.state == RatingState.PENDING)
        .distinct()
        .limit(limit)
    ).all()
    return list(rows)


def waiting(session: Session, *, team_id: str, limit: int) -> list[UnmatchedRating]:
    """Ratings not looked up yet, oldest first."""
    return list(
        session.exec(
            select(UnmatchedRating)
            .where(UnmatchedRating.team_id == team_id, UnmatchedRating.state == RatingState.PENDING)
            .order_by(col(UnmatchedRating.id))
            .limit(limit)
        ).all()
    )


def get_rating(session: Session, *, team_id: str, row_id: int) -> UnmatchedRating | None:
    return session.exec(
        select(UnmatchedRating).where(
            UnmatchedRating.team_id == team_id, UnmatchedRating.id == row_id
        )
    ).first()


def move(session: Session, *, team_id: str, row_id: int, was: Sequence[str], values: Row) -> bool:
    """Move a rating on from one of the states ``was``; False when another process did
    first (so whatever follows the move happens once)."""
    table: Any = UnmatchedRating.__table__  # type: ignore[attr-defined]  # Core: no ORM bookkeeping
    result = session.connection().execute(
        update(table)
        .where(table.c.team_id == team_id, table.c.id == row_id, table.c.state.in_(list(was)))
        .values(**values)
    )
    return int(result.rowcount or 0) == 1


def open_unmatched(
    session: Session, *, team_id: str, limit: int
) -> tuple[list[UnmatchedRating], int]:
    """The oldest ratings waiting for an admin, and how many wait in all."""
    where = (UnmatchedRating.team_id == team_id, UnmatchedRating.state == RatingState.UNMATCHED)
    rows = session.exec(
        select(UnmatchedRating).where(*where).order_by(col(UnmatchedRating.id)).limit(limit)
    ).all()
    total = session.exec(select(func.count()).select_from(UnmatchedRating).where(*where)).one()
    return list(rows), int(total)


def counts(session: Session, *, team_id: str) -> dict[str, int]:
    rows = session.exec(
        select(UnmatchedRating.state, func.count())
        .where(UnmatchedRating.team_id == team_id)
        .group_by(col(UnmatchedRating.state))
    ).all()
    return {state: int(n) for state, n in rows}


def add_feedback(session: Session, values: Row) -> CustomerFeedback | None:
    """The rating in the customer feedback log (its ``source_ref`` names the rating); None
    when it is there already."""
    row_id = _insert(session, CustomerFeedback, values, ("team_id", "teammate_id", "source_ref"))
    return None if row_id is None else CustomerFeedback.model_validate({**values, "id": row_id})


def drop_feedback(session: Session, *, team_id: str, row_id: int) -> None:
    session.execute(
        delete(CustomerFeedback).where(
            col(CustomerFeedback.team_id) == team_id, col(CustomerFeedback.id) == row_id
        )
    )


# Telling the agent -----------------------------------------------------------------------------


def told_since(session: Session, *, team_id: str, teammate_id: str, since: datetime) -> int:
    """Webhook ratings the teammate was told of since ``since`` (their own DMs and digests)."""
    return int(
        session.exec(
            select(func.count())
            .select_from(CustomerFeedback)
            .where(
                CustomerFeedback.team_id == team_id,
                CustomerFeedback.teammate_id == teammate_id,
                col(CustomerFeedback.origin).is_not(None),
                col(CustomerFeedback.told_at) >= since,
            )
        ).one()
    )


def untold_people(session: Session, *, limit: int = 1000) -> list[tuple[str, str]]:
    """(workspace, teammate) with webhook ratings they were not told of yet."""
    rows = session.exec(
        select(CustomerFeedback.team_id, CustomerFeedback.teammate_id)
        .where(col(CustomerFeedback.origin).is_not(None), col(CustomerFeedback.told_at).is_(None))
        .distinct()
        .limit(limit)
    ).all()
    return [(t, u) for t, u in rows]


def untold(session: Session, *, team_id: str, teammate_id: str) -> list[CustomerFeedback]:
    return list(
        session.exec(
            select(CustomerFeedback)
            .where(
                CustomerFeedback.team_id == team_id,
                CustomerFeedback.teammate_id == teammate_id,
                col(CustomerFeedback.origin).is_not(None),
                col(CustomerFeedback.told_at).is_(None),
            )
            .order_by(col(CustomerFeedback.id))
        ).all()
    )


def mark_told(session: Session, *, team_id: str, row_ids: Sequence[int], now: datetime) -> None:
    if row_ids:
        session.execute(
            update(CustomerFeedback)
            .where(col(CustomerFeedback.team_id) == team_id, col(CustomerFeedback.id).in_(row_ids))
            .values(told_at=now)
        )


# A person's data -------------------------------------------------------------------------------


def _naming(session: Session, team_id: str, user_id: str) -> Any:
    """Ratings naming the person: by their Slack id, matched to them, or by an email that some
    rating matched to them carried (Slack or an admin said that email is theirs)."""
    emails = select(UnmatchedRating.agent_email).where(
        UnmatchedRating.team_id == team_id,
        UnmatchedRating.matched_to == user_id,
        col(UnmatchedRating.agent_email).is_not(None),
    )
    return or_(
        col(UnmatchedRating.agent_slack_id) == user_id,
        col(UnmatchedRating.matched_to) == user_id,
        col(UnmatchedRating.agent_email).in_(emails),
    )


def person_ratings(session: Session, *, team_id: str, user_id: str) -> dict[str, list[Row]]:
    """For a person's export: the webhook ratings received that name them."""
    rows = session.exec(
        select(UnmatchedRating)
        .where(UnmatchedRating.team_id == team_id, _naming(session, team_id, user_id))
        .order_by(col(UnmatchedRating.id))
    ).all()
    return {"customer_ratings_received": [r.model_dump() for r in rows]}


def erase_person_ratings(session: Session, *, team_id: str, user_id: str) -> int:
    """For an erasure: delete the webhook ratings received that name them."""
    ids = session.exec(
        select(UnmatchedRating.id).where(
            UnmatchedRating.team_id == team_id, _naming(session, team_id, user_id)
        )
    ).all()
    if not ids:
        return 0
    session.execute(delete(UnmatchedRating).where(col(UnmatchedRating.id).in_(list(ids))))
    return len(ids)


# Many webhook requests in one transaction (a group commit) -------------------------------------


def hooks_by_ids(session: Session, hook_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """hook id -> (workspace, sealed secret), for the hooks that exist."""
    rows = session.exec(
        select(RatingHook.hook_id, RatingHook.team_id, RatingHook.secret_sealed).where(
            col(RatingHook.hook_id).in_(sorted(set(hook_ids)))
        )
    ).all()
    return {hook_id: (team, sealed) for hook_id, team, sealed in rows}


def record_receipts(session: Session, rows: Sequence[Row]) -> set[tuple[str, str]]:
    """Insert the signatures not seen before, in one statement; the (workspace, hash) pairs
    this call inserted (the others are replays). ``rows`` must not repeat a pair."""
    if not rows:
        return set()
    table = HookReceipt.__table__  # type: ignore[attr-defined]
    stmt = (
        dialect_insert(session, table)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=["team_id", "signature_hash"])
        .returning(table.c.team_id, table.c.signature_hash)
    )
    return {(str(t), str(h)) for t, h in session.execute(stmt).all()}


def add_ratings(session: Session, rows: Sequence[Row]) -> dict[tuple[str, str], int]:
    """Insert the ratings whose workspace has not this dedupe key yet, in one statement;
    (workspace, dedupe key) -> id for those inserted. ``rows`` must not repeat a pair."""
    if not rows:
        return {}
    table = UnmatchedRating.__table__  # type: ignore[attr-defined]
    stmt = (
        dialect_insert(session, table)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=["team_id", "dedupe_key"])
        .returning(table.c.team_id, table.c.dedupe_key, table.c.id)
    )
    return {(str(t), str(k)): int(i) for t, k, i in session.execute(stmt).all()}
