"""Queries for lessons and who they helped (search is ``storage.learning_search``).

Every list is bounded: a person's lessons are ``LIMIT`` reads on ``ix_lesson_author`` and
``ix_lesson_added_by`` (newest first), the ones they saved on ``ix_lesson_help_user``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from storage.models.learning import Lesson, LessonHelp
from storage.models.shoutouts import ShoutoutChannel, ShoutoutMember
from storage.upsert import insert_ignore


def save(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def lesson(session: Session, *, team_id: str, lesson_id: int, lock: bool = False) -> Lesson | None:
    """One lesson of the workspace (locked for the transaction when ``lock``)."""
    stmt = select(Lesson).where(Lesson.team_id == team_id, Lesson.id == lesson_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.exec(stmt).first()


def by_message(session: Session, *, team_id: str, channel: str, ts: str) -> Lesson | None:
    return session.exec(
        select(Lesson).where(
            Lesson.team_id == team_id, Lesson.source_channel == channel, Lesson.source_ts == ts
        )
    ).first()


def insert_lesson(session: Session, values: dict[str, Any]) -> bool:
    """Insert a lesson unless its message was saved already (another saver at the same
    moment); True when this call inserted it."""
    return insert_ignore(session, Lesson, values, ["team_id", "source_channel", "source_ts"])


def helped(session: Session, *, lesson_id: int, user_id: str) -> LessonHelp | None:
    return session.get(LessonHelp, (lesson_id, user_id))


def add_help(session: Session, row: LessonHelp) -> bool:
    """Record that a lesson helped someone and count it, in the caller's transaction; False (and
    nothing counted) when it had already helped them."""
    fresh = insert_ignore(
        session,
        LessonHelp,
        {
            "lesson_id": row.lesson_id,
            "user_id": row.user_id,
            "team_id": row.team_id,
            "kudos_batch": row.kudos_batch,
            "created_at": row.created_at,
        },
        ["lesson_id", "user_id"],
    )
    if fresh:
        session.execute(
            update(Lesson)
            .where(col(Lesson.id) == row.lesson_id)
            .values(helped_count=col(Lesson.helped_count) + 1)
        )
    return fresh


def set_help_kudos(session: Session, *, lesson_id: int, user_id: str, batch_id: str) -> None:
    session.execute(
        update(LessonHelp)
        .where(col(LessonHelp.lesson_id) == lesson_id, col(LessonHelp.user_id) == user_id)
        .values(kudos_batch=batch_id)
    )


def helps_of(session: Session, *, lesson_id: int) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(LessonHelp).where(LessonHelp.lesson_id == lesson_id)
        ).one()
    )


def remove_help(session: Session, *, lesson_id: int, user_id: str) -> bool:
    gone = session.execute(
        delete(LessonHelp).where(
            col(LessonHelp.lesson_id) == lesson_id, col(LessonHelp.user_id) == user_id
        )
    )
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def delete_lesson(session: Session, *, lesson_id: int) -> None:
    """The lesson and every record of whom it helped."""
    session.execute(delete(LessonHelp).where(col(LessonHelp.lesson_id) == lesson_id))
    session.execute(delete(Lesson).where(col(Lesson.id) == lesson_id))


def mine(session: Session, *, team_id: str, user_id: str, limit: int) -> list[Lesson]:
    """The person's lessons, newest first: authored, added (saved from a message), and those
    they said helped them; at most ``limit`` (each source read by its own index)."""
    authored = session.exec(
        select(Lesson)
        .where(Lesson.team_id == team_id, Lesson.author_id == user_id)
        .order_by(col(Lesson.created_at).desc())
        .limit(limit)
    ).all()
    added = session.exec(
        select(Lesson)
        .where(Lesson.team_id == team_id, Lesson.added_by == user_id)
        .order_by(col(Lesson.created_at).desc())
        .limit(limit)
    ).all()
    saved_ids = session.exec(
        select(LessonHelp.lesson_id)
        .where(LessonHelp.team_id == team_id, LessonHelp.user_id == user_id)
        .order_by(col(LessonHelp.created_at).desc())
        .limit(limit)
    ).all()
    saved = (
        session.exec(select(Lesson).where(col(Lesson.id).in_(list(saved_ids)))).all()
        if saved_ids
        else []
    )
    every = {row.id: row for row in [*authored, *added, *saved]}
    return sorted(every.values(), key=lambda r: (r.created_at, r.id or 0), reverse=True)[:limit]


def saved_by(session: Session, *, team_id: str, user_id: str, lesson_ids: list[int]) -> set[int]:
    """Which of ``lesson_ids`` the person said helped them."""
    if not lesson_ids:
        return set()
    return set(
        session.exec(
            select(LessonHelp.lesson_id).where(
                LessonHelp.team_id == team_id,
                LessonHelp.user_id == user_id,
                col(LessonHelp.lesson_id).in_(lesson_ids),
            )
        ).all()
    )


def team_channels(session: Session, *, team_id: str, user_id: str) -> list[str]:
    """The team channels (weekly shout-outs on) the person is a member of."""
    return list(
        session.exec(
            select(ShoutoutChannel.channel_id)
            .join(
                ShoutoutMember,
                (col(ShoutoutMember.team_id) == col(ShoutoutChannel.team_id))
                & (col(ShoutoutMember.channel_id) == col(ShoutoutChannel.channel_id)),
            )
            .where(ShoutoutMember.team_id == team_id, ShoutoutMember.user_id == user_id)
            .where(col(ShoutoutChannel.enabled).is_(True))
            .order_by(col(ShoutoutChannel.channel_id))
        ).all()
    )
