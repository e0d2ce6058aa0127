"""Practice and one-on-ones in a person's export and erasure (``storage.privacy`` calls these).

Both are private by design: a practice round is seen by the person who practised and the raters
they asked (each rater their own rating); a one-on-one's topics, notes and action items by its
coach and coachee alone. So an export gives a person their rounds with the ratings on them (who
rated and what they said, as the practice feature shows them), the ratings they gave (their own
words, never the other person's reply), their plan, and every one-on-one they are part of with
its meetings and action items. Erasure works set-wise, as the kudos' does: each step is one
statement over the person's ids, however long their history, and no row is read into memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from storage.models.oneonones import ActionItem, Meeting, OneOnOne
from storage.models.practice import (
    PracticePlan,
    PracticeRating,
    PracticeRound,
    PracticeScenario,
    RatingStatus,
)

Row = dict[str, Any]


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# Export ----------------------------------------------------------------------------------------


ROUNDS_PAGE = 500  # practice rounds read at a time for an export (a keyset page)


def person_rounds(
    session: Session, *, team_id: str, user_id: str, page: int = ROUNDS_PAGE
) -> Iterator[list[Row]]:
    """Their practice rounds, oldest first, each with every rating on it (who was asked, what
    they said), in pages of ``page`` rounds read after the last one by (created_at, id), as
    their kudos are: a daily plan kept for years holds a page at a time, not the whole."""
    after: tuple[datetime, int] | None = None
    while True:
        query = select(PracticeRound).where(
            PracticeRound.team_id == team_id, PracticeRound.user_id == user_id
        )
        if after is not None:
            at, last = after
            query = query.where(  # the first condition alone is an index range
                col(PracticeRound.created_at) >= at,
                or_(col(PracticeRound.created_at) > at, col(PracticeRound.id) > last),
            )
        order = (col(PracticeRound.created_at), col(PracticeRound.id))
        rounds = session.exec(query.order_by(*order).limit(page)).all()
        if not rounds:
            return
        on_round: dict[int | None, list[Row]] = {r.id: [] for r in rounds}
        ratings = session.exec(
            select(PracticeRating)
            .where(
                PracticeRating.team_id == team_id,
                col(PracticeRating.round_id).in_(list(on_round)),
            )
            .order_by(col(PracticeRating.id))
        ).all()
        for rating in ratings:
            on_round[rating.round_id].append(rating.model_dump(exclude={"team_id", "round_id"}))
        yield [{**r.model_dump(), "ratings": on_round[r.id]} for r in rounds]
        if len(rounds) < page:
            return
        after = (rounds[-1].created_at, rounds[-1].id or 0)


def person_practice(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """The ratings they gave, their plan, and the workspace scenarios they last changed (as an
    admin). Their rounds are read apart, in pages (``person_rounds``)."""
    t, u = team_id, user_id
    given = session.exec(
        select(PracticeRating, PracticeRound.user_id, PracticeRound.skill)
        .join(PracticeRound, col(PracticeRound.id) == col(PracticeRating.round_id))
        .where(PracticeRating.team_id == t, PracticeRating.rater_id == u)
        .order_by(col(PracticeRating.id))
    ).all()
    plans = session.exec(
        select(PracticePlan).where(PracticePlan.team_id == t, PracticePlan.user_id == u)
    ).all()
    scenarios = session.exec(
        select(PracticeScenario).where(
            PracticeScenario.team_id == t, PracticeScenario.updated_by == u
        )
    ).all()
    return {
        # What they wrote about someone's reply, and whose it was: not the reply (theirs).
        "practice_ratings_you_gave": [
            {**rating.model_dump(), "round_owner_id": owner, "skill": skill}
            for rating, owner, skill in given
        ],
        "practice_plan": [p.model_dump() for p in plans],
        "practice_scenarios_you_changed": [
            {"key": s.key, "skill": s.skill, "retired": s.retired, "updated_at": s.updated_at}
            for s in scenarios
        ],
    }


def _series_of(team_id: str, user_id: str) -> Any:
    return select(OneOnOne.id).where(
        OneOnOne.team_id == team_id,
        or_(col(OneOnOne.coach_id) == user_id, col(OneOnOne.coachee_id) == user_id),
    )


def person_oneonones(session: Session, *, team_id: str, user_id: str) -> dict[str, Any]:
    """Every one-on-one series they are the coach or the coachee of, its meetings (topics and
    notes: both of the two see them) and its action items, and any item they own elsewhere."""
    t, u = team_id, user_id
    series = session.exec(
        select(OneOnOne)
        .where(OneOnOne.team_id == t, col(OneOnOne.id).in_(_series_of(t, u)))
        .order_by(col(OneOnOne.id))
    ).all()
    meetings = session.exec(
        select(Meeting)
        .where(Meeting.team_id == t, col(Meeting.series_id).in_(_series_of(t, u)))
        .order_by(col(Meeting.series_id), col(Meeting.at))
    ).all()
    items = session.exec(
        select(ActionItem)
        .where(
            ActionItem.team_id == t,
            or_(col(ActionItem.series_id).in_(_series_of(t, u)), col(ActionItem.owner_id) == u),
        )
        .order_by(col(ActionItem.id))
    ).all()
    return {
        "one_on_ones": [s.model_dump() for s in series],
        "one_on_one_meetings": [m.model_dump() for m in meetings],
        "one_on_one_action_items": [i.model_dump() for i in items],
    }


# Erasure ---------------------------------------------------------------------------------------


def erase_practice(
    session: Session, *, team_id: str, user_id: str, unnamed_as: str
) -> tuple[dict[str, int], int]:
    """Delete their practice: their rounds with every rating on them, and their plan.

    The ratings they gave on other people's rounds: a finished rating (``rated``) stays with the
    round's owner, its rater unnamed (``rater_id`` becomes ``unnamed_as``), as feedback and kudos
    they gave stay with their recipients: it is the owner's record of how their practice was
    judged, and it counts in the owner's skill profile. Its note is kept as written (a mention of
    them in it is unnamed by the caller's scan). A rating still asked of them, or one they
    declined, holds nothing of theirs but that they were asked: it is deleted, as nobody can
    answer it now. A round holds one rating per rater, so where a round already has an unnamed
    rating (of someone erased before), theirs is deleted instead of becoming a second one.

    Returns the rows deleted per table and how many ratings were unnamed."""
    t, u = team_id, user_id
    removed: dict[str, int] = {}

    def gone(model: Any, *where: Any) -> None:
        n = _count(session.execute(delete(model).where(col(model.team_id) == t, *where)))
        if n:
            removed[model.__tablename__] = removed.get(model.__tablename__, 0) + n

    mine = select(PracticeRound.id).where(PracticeRound.team_id == t, PracticeRound.user_id == u)
    gone(PracticeRating, col(PracticeRating.round_id).in_(mine))
    gone(
        PracticeRating,
        col(PracticeRating.rater_id) == u,
        col(PracticeRating.status) != RatingStatus.RATED,
    )
    already = select(PracticeRating.round_id).where(
        PracticeRating.team_id == t, PracticeRating.rater_id == unnamed_as
    )
    gone(
        PracticeRating, col(PracticeRating.rater_id) == u, col(PracticeRating.round_id).in_(already)
    )
    unnamed = _count(
        session.execute(
            update(PracticeRating)
            .where(
                col(PracticeRating.team_id) == t,
                col(PracticeRating.rater_id) == u,
                col(PracticeRating.status) == RatingStatus.RATED,
            )
            .values(rater_id=unnamed_as)
        )
    )
    gone(PracticeRound, col(PracticeRound.user_id) == u)
    gone(PracticePlan, col(PracticePlan.user_id) == u)
    return removed, unnamed


def erase_oneonones(session: Session, *, team_id: str, user_id: str) -> dict[str, int]:
    """Delete every one-on-one series they are the coach or coachee of, with its meetings and
    its action items (and any action item they own elsewhere). Rows deleted per table.

    The series ends by going: its topics and notes were private to two people, one of whom is
    gone, and a series kept under an unnamed id would only clash with the one series a coach
    and coachee may have (a second erased coach of the same coachee). The action items go too,
    whoever owns them: they were agreed in that private conversation and live on only in the
    series' next prep, which will not come. What a coachee took on as a goal is their goal
    (``goal``, which an action item points to, not the other way), and stays theirs."""
    t, u = team_id, user_id
    removed: dict[str, int] = {}
    ours = _series_of(t, u)
    steps: tuple[tuple[Any, Any], ...] = (
        (ActionItem, or_(col(ActionItem.series_id).in_(ours), col(ActionItem.owner_id) == u)),
        (Meeting, col(Meeting.series_id).in_(ours)),
        (OneOnOne, or_(col(OneOnOne.coach_id) == u, col(OneOnOne.coachee_id) == u)),
    )
    for model, where in steps:
        n = _count(session.execute(delete(model).where(col(model.team_id) == t, where)))
        if n:
            removed[model.__tablename__] = n
    return removed
