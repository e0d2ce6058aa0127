"""Review use cases: who may review whom, a review sent, the agent's Acknowledge / Discuss /
Make it a goal, the reviewer's Keep / Change scores, and ``/review list``.

Each resolves the people it needs before its transaction (Slack is never asked while a
database lock is held), owns its transaction, queues what the result sends (``messages``)
and returns what happened. Who sees a review (``may_see``): its agent, its reviewer, the
agent's active coaches and the leads of the agent's team channels; admins do not."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.admins import is_admin
from bot.blocks import clip
from bot.config import ReviewScope
from bot.deps import Deps
from bot.goals.service import GoalForm, save_goal
from bot.outbox.envelope import OutMessage
from bot.reviews import ids, messages, render
from bot.reviews.errors import (
    MayNotReviewError,
    ReasonError,
    ReviewNotFoundError,
    ReviewPersonError,
    ReviewSettledError,
    ReviewsHiddenError,
)
from bot.reviews.scorecard import Scorecard, read_scorecard
from storage import reviews as store
from storage.models.goals import Goal
from storage.models.reviews import Review, ReviewScore, ReviewStatus
from storage.reviews import SkillAverage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    """Nothing written: the words to show under each field that needs fixing."""

    errors: dict[str, str]


def _queue(deps: Deps, session: Session, team_id: str, out: list[OutMessage]) -> None:
    if out:
        deps.outbox.enqueue(session, team_id, out, deps.clock())


# Who may review, who may see -------------------------------------------------------------------


def may_see(session: Session, *, team_id: str, agent_id: str, viewer_id: str) -> bool:
    """Whether ``viewer_id`` may see ``agent_id``'s reviews: themself, their active coaches,
    the leads of their team channels (a reviewer sees the reviews they wrote besides)."""
    if viewer_id == agent_id:
        return True
    if viewer_id in store.coaches_of(session, team_id=team_id, agent_id=agent_id):
        return True
    return viewer_id in store.team_leads_of(session, team_id=team_id, agent_id=agent_id)


def check_reviewer(deps: Deps, *, team_id: str, reviewer_id: str, agent_id: str) -> None:
    """``/review @agent``: a real person other than oneself, whom the reviewer may review
    (their coach or team lead, an admin, or anyone when the workspace says so)."""
    if agent_id == reviewer_id:
        raise ReviewPersonError(agent_id, "self")
    agent = deps.directory.person(team_id=team_id, user_id=agent_id, now=deps.clock())
    if not agent.known:
        raise ReviewPersonError(agent_id, "unknown")
    if agent.is_bot:
        raise ReviewPersonError(agent_id, "bot")
    if agent.deleted:
        raise ReviewPersonError(agent_id, "deactivated")
    config = deps.config(team_id)
    if config.review_scope == ReviewScope.ANYONE:
        return
    with deps.db.read() as session:
        if may_see(session, team_id=team_id, agent_id=agent_id, viewer_id=reviewer_id):
            return
    if not is_admin(deps.client_for(team_id), config, reviewer_id):
        raise MayNotReviewError(agent_id)


def skills_of(deps: Deps, team_id: str) -> tuple[str, ...]:
    return deps.config(team_id).kudos.values


# A review sent ---------------------------------------------------------------------------------


def send_review(
    deps: Deps,
    *,
    team_id: str,
    reviewer_id: str,
    agent_id: str,
    link: str,
    values: dict[str, Any],
    request_key: str,
) -> Refused | Review:
    """Check the scorecard and the reviewer again (a submission can come long after the modal
    opened), then write the review, its scores and its DMs in one transaction. A second
    delivery of the same submission (``request_key``) writes and sends nothing more."""
    card, errors = read_scorecard(values, skills_of(deps, team_id))
    if card is None:
        return Refused(errors)
    check_reviewer(deps, team_id=team_id, reviewer_id=reviewer_id, agent_id=agent_id)
    now = deps.clock()
    with deps.db.write() as session:
        review, fresh = store.insert_review(
            session,
            {
                "team_id": team_id,
                "agent_id": agent_id,
                "reviewer_id": reviewer_id,
                "link": link,
                "outcome": card.outcome,
                "went_well": card.went_well,
                "try_next": card.try_next,
                "status": ReviewStatus.SENT,
                "request_key": request_key[:64],
                "created_at": now,
                "updated_at": now,
            },
        )
        if fresh:
            scores = _score_rows(review, card)
            store.replace_scores(session, review, scores)
            _queue(deps, session, team_id, messages.reviewed(review, scores))
    deps.deliverer.kick()
    return review


def _score_rows(review: Review, card: Scorecard) -> list[ReviewScore]:
    assert review.id is not None
    return [
        ReviewScore(
            team_id=review.team_id,
            review_id=review.id,
            agent_id=review.agent_id,
            skill=s.skill,
            score=s.score,
            note=s.note,
            created_at=review.created_at,
        )
        for s in card.scores
    ]


# The agent's buttons ---------------------------------------------------------------------------


def _locked(session: Session, team_id: str, review_id: int, actor_id: str, side: str) -> Review:
    """The review, locked, if ``actor_id`` is its ``side`` ("agent" or "reviewer")."""
    review = store.lock_review(session, team_id=team_id, review_id=review_id)
    if review is None or getattr(review, f"{side}_id") != actor_id:
        raise ReviewNotFoundError()
    return review


def _read(deps: Deps, team_id: str, review_id: int, actor_id: str, side: str) -> Review:
    with deps.db.read() as session:
        review = store.get_review(session, team_id=team_id, review_id=review_id)
    if review is None or getattr(review, f"{side}_id") != actor_id:
        raise ReviewNotFoundError()
    return review


@dataclass(frozen=True)
class Shown:
    """A review and its scores, as its agent's DM should now show them."""

    review: Review
    scores: list[ReviewScore]


def acknowledge(deps: Deps, *, team_id: str, review_id: int, actor_id: str) -> Shown:
    """The agent acknowledges the review; the reviewer hears it once."""
    now = deps.clock()
    with deps.db.write() as session:
        review = _locked(session, team_id, review_id, actor_id, "agent")
        if review.status != ReviewStatus.SENT:
            raise ReviewSettledError(review.status)
        review.status, review.acknowledged_at, review.updated_at = (
            ReviewStatus.ACKNOWLEDGED,
            now,
            now,
        )
        store.save(session, review)
        _queue(deps, session, team_id, [messages.acknowledged(review)])
        scores = store.scores_of(session, review_id)
    deps.deliverer.kick()
    return Shown(review, scores)


def discussable(deps: Deps, *, team_id: str, review_id: int, actor_id: str) -> Review:
    """The review its agent may ask to discuss (before the reason modal opens)."""
    review = _read(deps, team_id, review_id, actor_id, "agent")
    if review.status != ReviewStatus.SENT:
        raise ReviewSettledError(review.status)
    return review


def discuss(
    deps: Deps,
    *,
    team_id: str,
    review_id: int,
    actor_id: str,
    reason: str,
    redraw: tuple[str, str] | None = None,
) -> Shown:
    """The agent asks to discuss the review: the reviewer and a lead of the agent's team are
    brought into a group DM with them (their DMs, if Slack won't open one). ``redraw``: the
    agent's DM (channel, ts) to show it without its buttons."""
    if not reason:
        raise ReasonError(ids.MAX_REASON)
    if len(reason) > ids.MAX_REASON:
        raise ReasonError(ids.MAX_REASON, len(reason))
    review = discussable(deps, team_id=team_id, review_id=review_id, actor_id=actor_id)
    with deps.db.read() as session:
        leads = store.team_leads_of(session, team_id=team_id, agent_id=review.agent_id)
    lead = next((u for u in leads if u != review.reviewer_id), None)
    group = _group_dm(deps, team_id, [review.agent_id, review.reviewer_id, lead])
    now = deps.clock()
    with deps.db.write() as session:
        review = _locked(session, team_id, review_id, actor_id, "agent")
        if review.status != ReviewStatus.SENT:
            raise ReviewSettledError(review.status)
        review.status, review.discuss_reason, review.discuss_channel = (
            ReviewStatus.DISCUSSING,
            reason,
            group,
        )
        review.discussed_at = review.updated_at = now
        store.save(session, review)
        scores = store.scores_of(session, review_id)
        out = messages.discussion(review, scores, group=group, lead_id=lead)
        if redraw is not None:
            out.append(messages.dm_redrawn(review, scores, redraw, render.DISCUSS_ASKED))
        _queue(deps, session, team_id, out)
    deps.deliverer.kick()
    return Shown(review, scores)


def _group_dm(deps: Deps, team_id: str, people: list[str | None]) -> str | None:
    """A group DM of ``people`` with Bravo (``mpim:write``), or None when Slack won't open it."""
    users = list(dict.fromkeys(u for u in people if u))
    try:
        opened = deps.client_for(team_id).conversations_open(users=",".join(users))
    except SlackApiError as err:
        log.warning("could not open a group DM for a review: %s", err.response.get("error"))
        return None
    channel = (opened.get("channel") or {}).get("id")
    return channel if isinstance(channel, str) and channel else None


def goal_draft(deps: Deps, *, team_id: str, review_id: int, actor_id: str) -> Goal:
    """An unsaved goal for the agent to start from: one thing to try next, on the skill that
    scored lowest (among the workspace's skills)."""
    review = _read(deps, team_id, review_id, actor_id, "agent")
    if review.goal_id is not None:
        raise ReviewSettledError("goal")
    with deps.db.read() as session:
        scores = store.scores_of(session, review_id)
    skills = skills_of(deps, team_id)
    scored = sorted((s for s in scores if s.score is not None), key=lambda s: s.score or 0)
    skill = next((s.skill for s in scored if s.skill in skills), skills[0] if skills else "")
    today = deps.clock().date()
    return Goal(
        team_id=team_id,
        owner_id=actor_id,
        what=clip(review.try_next, 1000),
        measure="",
        skill=skill,
        target_date=today + timedelta(days=28),
        cadence_anchor=today,
        created_at=datetime.min,
        updated_at=datetime.min,
    )


def make_goal(
    deps: Deps, *, team_id: str, review_id: int, actor_id: str, form: GoalForm
) -> dict[str, str]:
    """The goal modal opened from a review, saved by the goals room as any goal is, and linked
    to the review in the same transaction. Field errors as ``save_goal`` gives them."""
    review = _read(deps, team_id, review_id, actor_id, "agent")
    if review.goal_id is not None:
        raise ReviewSettledError("goal")

    def link(session: Session, goal: Goal) -> None:
        row = _locked(session, team_id, review_id, actor_id, "agent")
        if row.goal_id is not None:
            raise ReviewSettledError("goal")  # a second submission: nothing saved twice
        row.goal_id, row.updated_at = goal.id, deps.clock()
        store.save(session, row)

    new = replace(form, goal_id=None)  # a goal made from a review is always a new one
    return save_goal(deps, team_id=team_id, owner_id=actor_id, form=new, on_saved=link)


# The reviewer's buttons ------------------------------------------------------------------------


def keep(deps: Deps, *, team_id: str, review_id: int, actor_id: str) -> Review:
    """The reviewer records that the discussion kept the scores; the agent is told."""
    now = deps.clock()
    with deps.db.write() as session:
        review = _locked(session, team_id, review_id, actor_id, "reviewer")
        if review.status != ReviewStatus.DISCUSSING:
            raise ReviewSettledError(review.status)
        review.status, review.settled_at, review.updated_at = ReviewStatus.KEPT, now, now
        store.save(session, review)
        _queue(deps, session, team_id, [messages.kept(review)])
        _redraw_settled(deps, session, review, store.scores_of(session, review_id), now)
    deps.deliverer.kick()
    return review


def changeable(deps: Deps, *, team_id: str, review_id: int, actor_id: str) -> Shown:
    """The review its reviewer may change (to prefill the scorecard)."""
    review = _read(deps, team_id, review_id, actor_id, "reviewer")
    if review.status != ReviewStatus.DISCUSSING:
        raise ReviewSettledError(review.status)
    with deps.db.read() as session:
        return Shown(review, store.scores_of(session, review_id))


def _redraw_settled(
    deps: Deps, session: Session, review: Review, scores: Sequence[ReviewScore], now: datetime
) -> None:
    """Once the discussion is recorded: the agent's review DM shows the scores as they now stand
    and the status, and the discussion's posts lose their Keep and Change buttons."""
    team_id = review.team_id
    deps.outbox.redraw(
        session,
        team_id,
        messages.dm_ref(review),
        [ids.REVIEW_DM],
        lambda row: messages.dm_settled(review, scores, row.id or 0, ""),
        now,
    )
    deps.outbox.redraw(
        session,
        team_id,
        messages.talk_ref(review),
        [ids.DISCUSSION],
        lambda row: messages.discussion_settled(review, row),
        now,
    )


def card_skills(deps: Deps, team_id: str, scores: list[ReviewScore]) -> tuple[str, ...]:
    """The skills a changed scorecard asks about: the review's own (the workspace may have
    renamed its skills since)."""
    return tuple(s.skill for s in scores) or skills_of(deps, team_id)


def change_scores(
    deps: Deps, *, team_id: str, review_id: int, actor_id: str, values: dict[str, Any]
) -> Refused | Review:
    """The reviewer changes the review after the discussion; the agent is told what changed.
    A second delivery of the same submission finds it settled and sends nothing."""
    shown = changeable(deps, team_id=team_id, review_id=review_id, actor_id=actor_id)
    card, errors = read_scorecard(values, card_skills(deps, team_id, shown.scores))
    if card is None:
        return Refused(errors)
    now = deps.clock()
    with deps.db.write() as session:
        review = _locked(session, team_id, review_id, actor_id, "reviewer")
        if review.status != ReviewStatus.DISCUSSING:
            raise ReviewSettledError(review.status)
        before = {s.skill: s.score for s in store.scores_of(session, review_id)}
        changes = [
            render.change_line(s.skill, before.get(s.skill), s.score)
            for s in card.scores
            if before.get(s.skill) != s.score
        ]
        review.outcome, review.went_well, review.try_next = (
            card.outcome,
            card.went_well,
            card.try_next,
        )
        review.status, review.settled_at, review.updated_at = ReviewStatus.CHANGED, now, now
        store.save(session, review)
        store.replace_scores(session, review, _score_rows(review, card))
        _queue(deps, session, team_id, [messages.changed(review, changes)])
        _redraw_settled(deps, session, review, store.scores_of(session, review_id), now)
    deps.deliverer.kick()
    return review


# /review list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    subject_id: str
    received: list[Review]
    given: list[Review]
    last30: list[SkillAverage]
    last90: list[SkillAverage]


def list_reviews(deps: Deps, *, team_id: str, viewer_id: str, subject_id: str) -> Listing:
    """The latest reviews received (and, for oneself, given) and each skill's averages over 30
    and 90 days. Someone else's only for their coaches and team leads; anyone else is refused
    with words that say nothing about whether there are any."""
    now = deps.clock()
    with deps.db.read() as session:
        if not may_see(session, team_id=team_id, agent_id=subject_id, viewer_id=viewer_id):
            raise ReviewsHiddenError(subject_id)
        received = store.received(
            session, team_id=team_id, agent_id=subject_id, limit=ids.LIST_SIZE
        )
        given = (
            store.given(session, team_id=team_id, reviewer_id=subject_id, limit=ids.LIST_SIZE)
            if subject_id == viewer_id
            else []
        )
        last30, last90 = (
            store.averages(session, team_id=team_id, agent_id=subject_id, since=now - timedelta(d))
            for d in (30, 90)
        )
    return Listing(subject_id, received, given, last30, last90)


def to_acknowledge(deps: Deps, *, team_id: str, agent_id: str) -> int:
    """How many of the agent's latest reviews wait for them to acknowledge."""
    with deps.db.read() as session:
        return store.unacknowledged(session, team_id=team_id, agent_id=agent_id)
