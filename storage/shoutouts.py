"""Queries for team channels, their members and leads, and a week's recognition.

Everything a weekly post reads is bounded by the week, not the history: the week's kudos come
from a range read on ``ix_kudos_team_created``; "recognised before?" is one probe per recipient
on ``ix_kudos_team_recipient_created``; recent recognition comes from the daily tally; the
week's most helpful lesson is a range read of the week's posted lessons on ``ix_lesson_posted``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import TextClause, bindparam, exists, func, text
from sqlalchemy import select as sa_select  # sqlmodel's select types at most four columns
from sqlmodel import Session, col, delete, select

from storage.kudos import ALL
from storage.models import (
    Goal,
    Kudos,
    KudosRevocation,
    KudosTally,
    Milestone,
    ShoutoutChannel,
    ShoutoutMember,
    TeamLead,
)
from storage.models.learning import Lesson, LessonHelp, LessonVisibility
from storage.types import UtcDateTime
from storage.upsert import insert_ignore

# Team channels ---------------------------------------------------------------------------------


def get_channel(session: Session, *, team_id: str, channel_id: str) -> ShoutoutChannel | None:
    return session.get(ShoutoutChannel, (team_id, channel_id))


def save(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def enabled_channels(session: Session) -> list[ShoutoutChannel]:
    return list(
        session.exec(
            select(ShoutoutChannel)
            .where(col(ShoutoutChannel.enabled).is_(True))
            .order_by(col(ShoutoutChannel.team_id), col(ShoutoutChannel.channel_id))
        ).all()
    )


def replace_members(
    session: Session, *, team_id: str, channel_id: str, user_ids: Iterable[str], now: datetime
) -> None:
    session.execute(
        delete(ShoutoutMember).where(
            col(ShoutoutMember.team_id) == team_id, col(ShoutoutMember.channel_id) == channel_id
        )
    )
    rows = [
        ShoutoutMember(team_id=team_id, channel_id=channel_id, user_id=u)
        for u in dict.fromkeys(user_ids)
    ]
    session.add_all(rows)
    channel = get_channel(session, team_id=team_id, channel_id=channel_id)
    if channel is not None:
        channel.members_at = now
        session.add(channel)
    session.flush()


def members(session: Session, *, team_id: str, channel_id: str) -> list[str]:
    return list(
        session.exec(
            select(ShoutoutMember.user_id)
            .where(ShoutoutMember.team_id == team_id, ShoutoutMember.channel_id == channel_id)
            .order_by(col(ShoutoutMember.user_id))
        ).all()
    )


def team_channels_of(session: Session, *, team_id: str, user_id: str) -> list[ShoutoutChannel]:
    """The enabled team channels someone belongs to."""
    return list(
        session.exec(
            select(ShoutoutChannel)
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


def leads(session: Session, *, team_id: str, channel_id: str) -> list[str]:
    return list(
        session.exec(
            select(TeamLead.user_id)
            .where(TeamLead.team_id == team_id, TeamLead.channel_id == channel_id)
            .order_by(col(TeamLead.user_id))
        ).all()
    )


def add_lead(
    session: Session, *, team_id: str, channel_id: str, user_id: str, by: str, now: datetime
) -> bool:
    values = {
        "team_id": team_id,
        "channel_id": channel_id,
        "user_id": user_id,
        "named_by": by,
        "named_at": now,
    }
    return insert_ignore(session, TeamLead, values, ["team_id", "channel_id", "user_id"])


# A week's recognition --------------------------------------------------------------------------


class WeekKudos(NamedTuple):
    id: int
    batch_id: str
    giver_id: str
    recipient_id: str
    reason: str
    values: str
    created_at: datetime


def week_kudos(session: Session, team_id: str, start: datetime, end: datetime) -> list[WeekKudos]:
    """The workspace's kudos in [start, end), not taken back, oldest first (a range read on
    ``ix_kudos_team_created``; plain rows, not ORM objects: a busy week has thousands)."""
    revoked = exists().where(col(KudosRevocation.kudos_id) == col(Kudos.id))
    rows = session.execute(
        sa_select(
            col(Kudos.id),
            col(Kudos.batch_id),
            col(Kudos.giver_id),
            col(Kudos.recipient_id),
            col(Kudos.reason),
            col(Kudos.values),
            col(Kudos.created_at),
        )
        .where(col(Kudos.team_id) == team_id)
        .where(col(Kudos.created_at) >= start, col(Kudos.created_at) < end)
        .where(~revoked)
        .order_by(col(Kudos.created_at), col(Kudos.id))
    ).all()
    return [WeekKudos(*row) for row in rows]


PROBE_CHUNK = 400


def probe_statement(n: int) -> TextClause:
    """People ``:u0``..``:u{n-1}`` who have a kudos in ``:team`` before ``:before``."""
    rows = ", ".join(f"(:u{i})" for i in range(n))
    return text(
        f"WITH u(id) AS (VALUES {rows}) SELECT id FROM u WHERE EXISTS ("
        "SELECT 1 FROM kudos k WHERE k.team_id = :team AND k.recipient_id = u.id "
        "AND k.created_at < :before)"
    ).bindparams(bindparam("before", type_=UtcDateTime()))


def recognised_before(
    session: Session, *, team_id: str, user_ids: Iterable[str], before: datetime
) -> set[str]:
    """Who among ``user_ids`` received a kudos before ``before``. One statement per 400 people,
    each person an ``EXISTS`` probe on ``ix_kudos_team_recipient_created`` (its first entry
    answers it), so the cost follows the week's recipients, never their history."""
    ids = list(dict.fromkeys(user_ids))
    found: set[str] = set()
    for start in range(0, len(ids), PROBE_CHUNK):
        chunk = ids[start : start + PROBE_CHUNK]
        stmt = probe_statement(len(chunk))
        params: dict[str, object] = {f"u{i}": u for i, u in enumerate(chunk)}
        found |= {
            r[0] for r in session.execute(stmt, {**params, "team": team_id, "before": before})
        }
    return found


def recognised_since(session: Session, team_id: str, since: date) -> set[str]:
    """Everyone who received a kudos on or after the UTC day ``since`` (from the daily tally)."""
    rows = session.exec(
        select(KudosTally.user_id)
        .where(KudosTally.team_id == team_id, KudosTally.value == ALL)
        .where(col(KudosTally.day) >= since, col(KudosTally.received) > 0)
        .distinct()
    ).all()
    return set(rows)


def milestones_between(
    session: Session, team_id: str, start: datetime, end: datetime
) -> list[Milestone]:
    return list(
        session.exec(
            select(Milestone)
            .where(Milestone.team_id == team_id)
            .where(col(Milestone.reached_at) >= start, col(Milestone.reached_at) < end)
            .order_by(col(Milestone.reached_at), col(Milestone.id))
        ).all()
    )


def public_goals_completed(
    session: Session, *, team_id: str, owners: Sequence[str], start: datetime, end: datetime
) -> list[Goal]:
    if not owners:
        return []
    return list(
        session.exec(
            select(Goal)
            .where(Goal.team_id == team_id, col(Goal.owner_id).in_(list(owners)))
            .where(Goal.status == "completed", Goal.visibility == "public")
            .where(col(Goal.completed_at) >= start, col(Goal.completed_at) < end)
            .order_by(col(Goal.completed_at))
        ).all()
    )


# The week's most helpful lesson ----------------------------------------------------------------


class WeekLesson(NamedTuple):
    id: int
    author_id: str
    learned: str
    skill: str | None
    posted_at: datetime
    helped: int  # "This helped me" clicks in the week (not the lesson's all-time count)


def most_helpful_lesson(
    session: Session, *, team_id: str, channel_id: str, start: datetime, end: datetime
) -> WeekLesson | None:
    """The lesson posted to ``channel_id`` in [start, end) that most people said helped them in
    [start, end) (their author's own click aside), earliest posted first on a tie; None when
    none helped anyone. One statement: a range read of the week's posted lessons on
    ``ix_lesson_posted`` (team, posted_at), each one's clicks by the key of ``lesson_help``
    (lesson, person), so it costs the week's lessons and their clicks, never the history."""
    helped = func.count(col(LessonHelp.user_id)).label("helped")
    row = session.execute(
        sa_select(
            col(Lesson.id),
            col(Lesson.author_id),
            col(Lesson.learned),
            col(Lesson.skill),
            col(Lesson.posted_at),
            helped,
        )
        .join(LessonHelp, col(LessonHelp.lesson_id) == col(Lesson.id))
        .where(col(Lesson.team_id) == team_id)
        .where(col(Lesson.posted_at) >= start, col(Lesson.posted_at) < end)
        .where(col(Lesson.posted_channel) == channel_id)
        .where(col(Lesson.visibility) == LessonVisibility.TEAM)
        .where(col(LessonHelp.team_id) == team_id)
        .where(col(LessonHelp.created_at) >= start, col(LessonHelp.created_at) < end)
        .where(col(LessonHelp.user_id) != col(Lesson.author_id))
        .group_by(
            col(Lesson.id),
            col(Lesson.author_id),
            col(Lesson.learned),
            col(Lesson.skill),
            col(Lesson.posted_at),
        )
        .order_by(helped.desc(), col(Lesson.posted_at), col(Lesson.id))
        .limit(1)
    ).first()
    if row is None:
        return None
    return WeekLesson(*row)
