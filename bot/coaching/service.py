"""Coaching use cases: ask to coach someone, accept or decline, end; what a coach may see and
their weekly digest. Coaching sits above goals: it uses goals through ``bot.goals.service``.

The session-level steps (``request_coaching``...) run in the caller's transaction; the use
cases the Slack edge calls (``ask``...) own theirs, queue what the result sends
(``messages``) and return what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.coaching import messages
from bot.coaching.digest import SHOWN
from bot.coaching.errors import (
    CoachPersonError,
    CoachSelfError,
    NoPairingError,
    NotShared,
    PairingExistsError,
    PairingNotFoundError,
)
from bot.deps import Deps
from bot.events import once
from bot.goals.service import can_view
from bot.users import Person
from storage import coaching as store
from storage import goals as goal_store
from storage.models.coaching import CoachPairing, PairingStatus
from storage.models.goals import Goal, GoalStatus

LIVE = (PairingStatus.PENDING, PairingStatus.ACTIVE)  # pairings that can still be ended


# In the caller's transaction -----------------------------------------------------------------


def request_coaching(
    session: Session, *, team_id: str, coach: Person, coachee: Person, now: datetime
) -> CoachPairing:
    """``coach`` offers to coach ``coachee``; nothing is shared until the coachee accepts."""
    if coach.user_id == coachee.user_id:
        raise CoachSelfError()
    if not coachee.known:
        raise CoachPersonError(coachee.user_id, "unknown")
    if coachee.is_bot:
        raise CoachPersonError(coachee.user_id, "bot")
    if coachee.deleted:
        raise CoachPersonError(coachee.user_id, "deactivated")
    row = store.pairing(
        session, team_id=team_id, coach_id=coach.user_id, coachee_id=coachee.user_id
    )
    if row is not None and row.status in LIVE:
        raise PairingExistsError(row.status, coach.user_id, coachee.user_id)
    if row is None:
        row = CoachPairing(
            team_id=team_id,
            coach_id=coach.user_id,
            coachee_id=coachee.user_id,
            requested_at=now,
        )
    row.status, row.requested_at = PairingStatus.PENDING, now
    row.responded_at, row.ended_by = None, None
    store.save(session, row)
    return row


def answer_request(
    session: Session, *, team_id: str, pairing_id: int, actor_id: str, accept: bool, now: datetime
) -> CoachPairing:
    row = store.get_pairing(session, team_id=team_id, pairing_id=pairing_id)
    if row is None or row.coachee_id != actor_id:
        raise PairingNotFoundError()
    if row.status != PairingStatus.PENDING:
        raise PairingExistsError(row.status, row.coach_id, row.coachee_id)
    row.status = PairingStatus.ACTIVE if accept else PairingStatus.DECLINED
    row.responded_at = now
    store.save(session, row)
    return row


def end_pairing(
    session: Session, *, team_id: str, pairing_id: int, actor_id: str, now: datetime
) -> CoachPairing:
    """Either side ends it (a coach may also withdraw an unanswered offer)."""
    row = store.get_pairing(session, team_id=team_id, pairing_id=pairing_id)
    if row is None or actor_id not in {row.coach_id, row.coachee_id}:
        raise PairingNotFoundError()
    if row.status not in LIVE:
        raise PairingNotFoundError()
    row.status, row.responded_at, row.ended_by = PairingStatus.ENDED, now, actor_id
    store.save(session, row)
    return row


def live_between(session: Session, *, team_id: str, one: str, other: str) -> list[CoachPairing]:
    """The live pairings (pending or active) between two people, whichever of them coaches."""
    rows = [
        store.pairing(session, team_id=team_id, coach_id=coach, coachee_id=coachee)
        for coach, coachee in ((one, other), (other, one))
    ]
    return [r for r in rows if r is not None and r.status in LIVE]


def goals_visible(
    session: Session, *, team_id: str, owner_id: str, viewer_id: str, include_done: bool = True
) -> list[Goal]:
    """The owner's goals that ``viewer_id`` may see. Raises ``NotShared`` for someone who may
    see none of them (so nobody learns whether goals exist)."""
    statuses = SHOWN if include_done else (GoalStatus.ACTIVE, GoalStatus.PAUSED)
    goals = goal_store.goals_of(session, team_id=team_id, owner_id=owner_id, statuses=statuses)
    if viewer_id == owner_id:
        return goals
    coaches = store.coaches_of(session, team_id=team_id, coachee_id=owner_id)
    visible = [g for g in goals if can_view(g, viewer_id, coaches)]
    if not visible and viewer_id not in coaches:
        raise NotShared(owner_id)
    return visible


# Use cases ------------------------------------------------------------------------------------


def ask(
    deps: Deps, *, team_id: str, coach_id: str, coachee_id: str, key: str | None = None
) -> CoachPairing:
    """``coach_id`` offers to coach ``coachee_id``, who is asked by DM."""
    now = deps.clock()
    people = deps.directory.people(team_id=team_id, user_ids=[coach_id, coachee_id], now=now)
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        row = request_coaching(
            session, team_id=team_id, coach=people[coach_id], coachee=people[coachee_id], now=now
        )
        deps.outbox.enqueue(session, team_id, [messages.request(row)], deps.clock())
    deps.deliverer.kick()
    return row


def answer(
    deps: Deps,
    *,
    team_id: str,
    actor_id: str,
    pairing_id: int,
    accept: bool,
    key: str | None = None,
) -> CoachPairing:
    """The coachee accepts or declines; the coach is told."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        row = answer_request(
            session,
            team_id=team_id,
            pairing_id=pairing_id,
            actor_id=actor_id,
            accept=accept,
            now=deps.clock(),
        )
        deps.outbox.enqueue(session, team_id, [messages.told(row)], deps.clock())
    deps.deliverer.kick()
    return row


def end(
    deps: Deps, *, team_id: str, actor_id: str, pairing_id: int, key: str | None = None
) -> list[CoachPairing]:
    """Either side ends a pairing (or a coach withdraws an offer); the other side is told.
    The actor's pairings, after."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        row = end_pairing(
            session, team_id=team_id, pairing_id=pairing_id, actor_id=actor_id, now=deps.clock()
        )
        deps.outbox.enqueue(session, team_id, [messages.ended(row, actor_id)], deps.clock())
        rows = store.pairings_of(session, team_id=team_id, user_id=actor_id)
    deps.deliverer.kick()
    return rows


def end_with(
    deps: Deps, *, team_id: str, actor_id: str, other_id: str, key: str | None = None
) -> list[CoachPairing]:
    """``/coach end @other``: end the coaching between the actor and ``other_id``, whichever of
    them coaches (a coach's unanswered offer is withdrawn). The other side is told once per
    pairing ended; the pairings ended, after. Raises ``NoPairingError`` when there is none."""
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        live = live_between(session, team_id=team_id, one=actor_id, other=other_id)
        if not live:
            raise NoPairingError(other_id)
        ended = [
            end_pairing(
                session, team_id=team_id, pairing_id=row.id or 0, actor_id=actor_id, now=now
            )
            for row in live
        ]
        deps.outbox.enqueue(session, team_id, [messages.ended(r, actor_id) for r in ended], now)
    deps.deliverer.kick()
    return ended


def pairings(deps: Deps, *, team_id: str, user_id: str) -> list[CoachPairing]:
    """Every pairing where ``user_id`` is coach or coachee."""
    with deps.db.read() as session:
        return store.pairings_of(session, team_id=team_id, user_id=user_id)


@dataclass(frozen=True)
class Shown:
    """The goals of ``owner_id`` that ``viewer_id`` may see, and the viewer's time zone."""

    goals: list[Goal]
    owner_id: str
    viewer_id: str
    zone: ZoneInfo


def goals_shown(deps: Deps, *, team_id: str, owner_id: str, viewer_id: str) -> Shown:
    """``/goal list [@owner]``: one's own goals, or those an owner shares with the viewer."""
    viewer = deps.directory.person(team_id=team_id, user_id=viewer_id, now=deps.clock())
    with deps.db.read() as session:
        goals = goals_visible(session, team_id=team_id, owner_id=owner_id, viewer_id=viewer_id)
    return Shown(goals, owner_id, viewer_id, viewer.zone)
