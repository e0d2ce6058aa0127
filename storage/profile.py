"""The skill profile's reads: one person's signals per skill over two windows (the last 90 days
and the 90 before), and their ``profile_to_coaches`` preference.

Every query is bounded by a date range on an index that leads with the workspace and the person
(``kudos_tally``'s key, ``ix_feedback_recipient``, ``ix_customer_feedback_teammate``,
``ix_review_score_agent``, ``ix_practice_round_skill``), so its cost follows what happened in
those 180 days, never the length of the person's history. Kudos and practice name the skills
they read (``IN``), so each skill is one range on its index rather than a scan of every row the
person ever had. Each source is one grouped query: six reads for a whole profile.

Lessons are the one read bounded by the person rather than the window: their lessons shared
are those they posted (``ix_lesson_author``), and a lesson posted long ago may be found helpful
today, so the read covers the person's posted lessons and their clicks (a person's own, a few a
month), never the workspace's. An index on (workspace, author, posted) would bound the shared
count by the window too; the helped count would still need the person's lessons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.models import (
    CustomerFeedback,
    Feedback,
    PracticeRating,
    PracticeRound,
    ReviewScore,
    UserPref,
)
from storage.models.feedback import CustomerKind
from storage.models.learning import LessonVisibility
from storage.models.outbox import OutboxRow, OutboxStatus
from storage.models.practice import RatingStatus, RoundStatus
from storage.types import UtcDateTime
from storage.upsert import upsert

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Windows:
    """The previous window is ``[start, middle)``, the recent one ``[middle, end]``. Kudos are
    counted per UTC day: the recent window is the 90 days ending with ``end``'s day, the
    previous one the 90 days before."""

    start: datetime
    middle: datetime
    end: datetime

    @property
    def days(self) -> tuple[date, date, date]:
        last = self.end.date()
        span = (self.end - self.middle).days
        return last - timedelta(days=2 * span - 1), last - timedelta(days=span - 1), last + ONE_DAY


# (skill, recent?) -> figures; recent is True for [middle, end), False for [start, middle)
Counts = dict[tuple[str, bool], int]
Averages = dict[tuple[str, bool], tuple[int, float]]  # -> (how many, their mean)


def _recent(column: Any, middle: Any) -> Any:
    return case((column >= middle, 1), else_=0)


# SQLite, without statistics (Bravo never runs ANALYZE), prefers the covering leaderboard index
# (workspace, value, day): a read of every person's tallies in the window. The key (workspace,
# person, value, day) reads the person's alone; PostgreSQL finds it from its statistics. The
# key's index name is SQLite's own for a table's first key; tests/bot/profile checks the plan on a
# migrated database, so a migration that renames it fails there, not in production.
TALLY_BY_PERSON = "INDEXED BY sqlite_autoindex_kudos_tally_1"
TALLY_SQL = """
SELECT value, CASE WHEN day >= :middle THEN 1 ELSE 0 END AS recent, SUM(received)
FROM kudos_tally {hint}
WHERE team_id = :team_id AND user_id = :user_id AND value IN :skills
  AND day >= :start AND day < :end
GROUP BY value, CASE WHEN day >= :middle THEN 1 ELSE 0 END
"""


def kudos_received(
    session: Session, *, team_id: str, user_id: str, skills: Sequence[str], w: Windows
) -> Counts:
    """Kudos received tagged with each skill (the daily rollup; revoked kudos are not in it)."""
    if not skills:
        return {}
    start, middle, end = w.days
    sqlite = session.get_bind().dialect.name == "sqlite"
    statement = text(TALLY_SQL.format(hint=TALLY_BY_PERSON if sqlite else "")).bindparams(
        bindparam("skills", expanding=True),
        bindparam("start", type_=Date),
        bindparam("middle", type_=Date),
        bindparam("end", type_=Date),
    )
    rows = session.execute(
        statement,
        {
            "team_id": team_id,
            "user_id": user_id,
            "skills": list(skills),
            "start": start,
            "middle": middle,
            "end": end,
        },
    ).all()
    return {(v, bool(r)): int(n or 0) for v, r, n in rows}


def feedback_received(session: Session, *, team_id: str, user_id: str, w: Windows) -> Counts:
    """Private feedback received, by the skill it was given for."""
    recent = _recent(Feedback.created_at, w.middle)
    rows = session.exec(
        select(Feedback.skill, recent, func.count())
        .where(
            Feedback.team_id == team_id,
            Feedback.recipient_id == user_id,
            Feedback.created_at >= w.start,
            Feedback.created_at <= w.end,
        )
        .group_by(Feedback.skill, recent)
    ).all()
    return {(s, bool(r)): int(n) for s, r, n in rows}


@dataclass(frozen=True)
class CustomerFigures:
    praise: int = 0
    complaints: int = 0
    rated: int = 0  # how many carried a rating
    mean_rating: float | None = None


def customer_feedback(
    session: Session, *, team_id: str, user_id: str, w: Windows
) -> dict[bool, CustomerFigures]:
    """What customers said about the person (it names no skill: one figure for the person)."""
    recent = _recent(CustomerFeedback.created_at, w.middle)
    praise = func.sum(case((col(CustomerFeedback.kind) == CustomerKind.PRAISE, 1), else_=0))
    complaints = func.sum(case((col(CustomerFeedback.kind) == CustomerKind.COMPLAINT, 1), else_=0))
    rows = session.execute(
        sa_select(
            recent,
            praise,
            complaints,
            func.count(col(CustomerFeedback.rating)),
            func.avg(CustomerFeedback.rating),
        )
        .where(
            col(CustomerFeedback.team_id) == team_id,
            col(CustomerFeedback.teammate_id) == user_id,
            col(CustomerFeedback.created_at) >= w.start,
            col(CustomerFeedback.created_at) <= w.end,
        )
        .group_by(recent)
    ).all()
    return {
        bool(r): CustomerFigures(
            praise=int(p or 0),
            complaints=int(c or 0),
            rated=int(n or 0),
            mean_rating=float(m) if m is not None else None,
        )
        for r, p, c, n, m in rows
    }


def review_scores(session: Session, *, team_id: str, user_id: str, w: Windows) -> Averages:
    """Scores given to the person's conversations, by skill (not-applicable ones left out)."""
    recent = _recent(ReviewScore.created_at, w.middle)
    rows = session.exec(
        select(
            ReviewScore.skill,
            recent,
            func.count(col(ReviewScore.score)),
            func.avg(col(ReviewScore.score)),
        )
        .where(
            ReviewScore.team_id == team_id,
            ReviewScore.agent_id == user_id,
            ReviewScore.created_at >= w.start,
            ReviewScore.created_at <= w.end,
            col(ReviewScore.score).is_not(None),
        )
        .group_by(ReviewScore.skill, recent)
    ).all()
    return {(s, bool(r)): (int(n), float(m)) for s, r, n, m in rows if n}


def practice(
    session: Session, *, team_id: str, user_id: str, skills: Sequence[str], w: Windows
) -> tuple[Counts, Counts]:
    """Practice rounds done (self-assessed) per skill, and the peer ratings those rounds got."""
    if not skills:
        return {}, {}
    recent = _recent(PracticeRound.assessed_at, w.middle)
    rated = and_(
        col(PracticeRating.round_id) == col(PracticeRound.id),
        col(PracticeRating.status) == RatingStatus.RATED,
    )
    rows = session.exec(
        select(
            PracticeRound.skill,
            recent,
            func.count(func.distinct(col(PracticeRound.id))),
            func.count(col(PracticeRating.id)),
        )
        .select_from(PracticeRound)
        .outerjoin(PracticeRating, rated)
        .where(
            PracticeRound.team_id == team_id,
            PracticeRound.user_id == user_id,
            col(PracticeRound.skill).in_(list(skills)),
            col(PracticeRound.assessed_at) >= w.start,
            col(PracticeRound.assessed_at) <= w.end,
            PracticeRound.status == RoundStatus.ASSESSED,
        )
        .group_by(PracticeRound.skill, recent)
    ).all()
    rounds = {(s, bool(r)): int(n) for s, r, n, _ in rows}
    ratings = {(s, bool(r)): int(m) for s, r, _, m in rows}
    return rounds, ratings


# The preference -------------------------------------------------------------------------------


def shared_with_coaches(session: Session, *, team_id: str, user_id: str) -> bool:
    row = session.get(UserPref, (team_id, user_id))
    return bool(row and row.profile_to_coaches)


def set_shared_with_coaches(session: Session, *, team_id: str, user_id: str, on: bool) -> None:
    values = {"team_id": team_id, "user_id": user_id, "profile_to_coaches": on}
    upsert(session, UserPref, values, ["team_id", "user_id"])


def sharing_among(session: Session, *, team_id: str, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` who let their coaches see their profile (one read for a list,
    made even for an empty one, so a home costs the same number of reads for everyone)."""
    rows = session.exec(
        select(UserPref.user_id).where(
            UserPref.team_id == team_id,
            col(UserPref.user_id).in_(list(user_ids)),
            col(UserPref.profile_to_coaches).is_(True),
        )
    ).all()
    return set(rows)


def latest_chart(session: Session, *, team_id: str, ref: str, since: datetime) -> str | None:
    """The file id of the person's latest chart uploaded since ``since`` (the outbox row of its
    upload, found by its ref: indexed), or None."""
    row = session.exec(
        select(OutboxRow.result_ts)
        .where(
            OutboxRow.team_id == team_id,
            OutboxRow.ref == ref,
            OutboxRow.status == OutboxStatus.SENT,
            col(OutboxRow.sent_at) >= since,
        )
        .order_by(col(OutboxRow.id).desc())
        .limit(1)
    ).first()
    return row or None


@dataclass(frozen=True)
class LessonFigures:
    """Per skill (``""``: a lesson with no skill): lessons the person posted, and the clicks of
    "This helped me" on their posted lessons, in the recent window and the one before."""

    shared: Counts
    helped: Counts


# The person's posted lessons (their author's index, ``ix_lesson_author``: a lesson is posted
# after it is made, so ``created_at <= end`` bounds the read from above), each with its clicks
# in the two windows (``lesson_help``'s key leads with the lesson). A lesson posted before the
# window still counts the clicks it gets in it, so the read covers the person's posted lessons,
# not only those of the window: one person's lessons, never the workspace's.
LESSONS_SQL = """
SELECT l.skill,
  COUNT(DISTINCT CASE WHEN l.posted_at >= :middle AND l.posted_at <= :end THEN l.id END),
  COUNT(DISTINCT CASE WHEN l.posted_at >= :start AND l.posted_at < :middle THEN l.id END),
  COUNT(CASE WHEN h.created_at >= :middle THEN 1 END),
  COUNT(CASE WHEN h.created_at < :middle THEN 1 END)
FROM lesson l
LEFT JOIN lesson_help h ON h.lesson_id = l.id AND h.team_id = l.team_id
  AND h.created_at >= :start AND h.created_at <= :end AND h.user_id <> l.author_id
WHERE l.team_id = :team_id AND l.author_id = :user_id AND l.visibility = :posted
  AND l.posted_at IS NOT NULL AND l.created_at <= :end
GROUP BY l.skill
"""


def lessons(session: Session, *, team_id: str, user_id: str, w: Windows) -> LessonFigures:
    """Lessons the person shared (posted to a team channel: ``visibility`` team, counted when
    posted) and found helpful (others' clicks, counted when clicked). Private lessons never
    count: they are the author's own."""
    statement = text(LESSONS_SQL).bindparams(
        bindparam("start", type_=UtcDateTime()),
        bindparam("middle", type_=UtcDateTime()),
        bindparam("end", type_=UtcDateTime()),
    )
    rows = session.execute(
        statement,
        {
            "team_id": team_id,
            "user_id": user_id,
            "posted": LessonVisibility.TEAM.value,
            "start": w.start,
            "middle": w.middle,
            "end": w.end,
        },
    ).all()
    shared: Counts = {}
    helped: Counts = {}
    for skill, shared_recent, shared_before, helped_recent, helped_before in rows:
        for figures, recent, n in (
            (shared, True, shared_recent),
            (shared, False, shared_before),
            (helped, True, helped_recent),
            (helped, False, helped_before),
        ):
            if n:
                figures[(skill or "", recent)] = int(n)
    return LessonFigures(shared=shared, helped=helped)
