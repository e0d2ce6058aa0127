"""Learning in one person's export and erasure: lessons they authored or saved, the lessons they
said helped them, their training.

Erasure: the lessons they authored go (their words), with every "This helped me" on them; a
lesson they only saved from someone else's message stays with its author, its ``added_by``
unnamed; each of their "This helped me" goes, its lesson's ``helped_count`` lowered in the same
transaction; their training goes. On SQLite the search index (``lesson_fts``, kept by triggers)
is merged afterwards, so the deleted lessons' words leave its pages too, not only its results."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, text, update
from sqlmodel import Session, col, select

from storage.models.learning import Lesson, LessonHelp, LessonVisibility, Training

Row = dict[str, Any]


def person_learning(session: Session, *, team_id: str, user_id: str) -> dict[str, list[Row]]:
    t, u = team_id, user_id
    lessons = session.exec(
        select(Lesson)
        .where(Lesson.team_id == t, or_(col(Lesson.author_id) == u, col(Lesson.added_by) == u))
        .order_by(col(Lesson.id))
    ).all()
    helped = session.exec(
        select(LessonHelp, Lesson)
        .join(Lesson, col(Lesson.id) == col(LessonHelp.lesson_id))
        .where(LessonHelp.team_id == t, LessonHelp.user_id == u, Lesson.team_id == t)
        .order_by(col(LessonHelp.created_at))
    ).all()
    training = session.exec(
        select(Training)
        .where(Training.team_id == t, Training.user_id == u)
        .order_by(col(Training.taken_on), col(Training.id))
    ).all()
    return {
        "lessons": [row.model_dump() for row in lessons],
        "lessons_that_helped_you": [_helped(h, lesson, u) for h, lesson in helped],
        "training": [row.model_dump() for row in training],
    }


def _helped(help_row: LessonHelp, lesson: Lesson, user_id: str) -> Row:
    """The lesson's id and when they said so; its words only while they may still read it (a
    posted lesson, or one of their own)."""
    visible = lesson.visibility == LessonVisibility.TEAM or user_id in (
        lesson.author_id,
        lesson.added_by,
    )
    return {
        "lesson_id": help_row.lesson_id,
        "said_at": help_row.created_at,
        "learned": lesson.learned if visible else None,
        "skill": lesson.skill if visible else None,
    }


def erase_learning(
    session: Session, *, team_id: str, user_id: str, unnamed_as: str
) -> dict[str, int]:
    """Erase the person's learning (the caller's transaction). Rows deleted per table."""
    t, u = team_id, user_id
    removed: dict[str, int] = {}

    def count(name: str, result: Any) -> None:
        n = int(getattr(result, "rowcount", 0) or 0)
        if n:
            removed[name] = removed.get(name, 0) + n

    theirs = select(LessonHelp.lesson_id).where(LessonHelp.team_id == t, LessonHelp.user_id == u)
    session.execute(
        update(Lesson)
        .where(col(Lesson.team_id) == t, col(Lesson.id).in_(theirs), col(Lesson.helped_count) > 0)
        .values(helped_count=col(Lesson.helped_count) - 1)
    )
    count("lesson_help", session.execute(delete(LessonHelp).where(*_is(LessonHelp, t, u))))
    authored = select(Lesson.id).where(Lesson.team_id == t, Lesson.author_id == u)
    on_theirs = delete(LessonHelp).where(
        col(LessonHelp.team_id) == t, col(LessonHelp.lesson_id).in_(authored)
    )
    count("lesson_help", session.execute(on_theirs))
    gone = session.execute(
        delete(Lesson).where(col(Lesson.team_id) == t, col(Lesson.author_id) == u)
    )
    count("lesson", gone)
    session.execute(
        update(Lesson)
        .where(col(Lesson.team_id) == t, col(Lesson.added_by) == u)
        .values(added_by=unnamed_as)
    )
    count("training", session.execute(delete(Training).where(*_is(Training, t, u))))
    if removed.get("lesson"):
        merge_index(session)
    return removed


def merge_index(session: Session) -> None:
    """SQLite: merge the search index's pages, so the words of deleted lessons leave them (a
    delete in FTS5 only marks them until a merge). PostgreSQL's index needs nothing."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO lesson_fts(lesson_fts) VALUES ('optimize')"))


def _is(model: Any, team_id: str, user_id: str) -> tuple[Any, Any]:
    return col(model.team_id) == team_id, col(model.user_id) == user_id
