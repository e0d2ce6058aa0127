"""Coaching pairings: ask, accept or decline, end; and what a coach may see. Slack-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.coaching.errors import (
    CoachPersonError,
    CoachSelfError,
    NotShared,
    PairingExistsError,
    PairingNotFoundError,
)
from bot.goals.service import can_view
from bot.users import Person
from storage import goals as store
from storage import kudos as ledger
from storage.models import CheckIn, CoachPairing, Goal, Kudos


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
    row = store.pairing(session, team_id, coach.user_id, coachee.user_id)
    if row is not None and row.status in {"pending", "active"}:
        raise PairingExistsError(row.status, coach.user_id, coachee.user_id)
    if row is None:
        row = CoachPairing(
            team_id=team_id,
            coach_id=coach.user_id,
            coachee_id=coachee.user_id,
            requested_at=now,
        )
    row.status, row.requested_at, row.responded_at, row.ended_by = "pending", now, None, None
    store.save(session, row)
    return row


def answer_request(
    session: Session, *, team_id: str, pairing_id: int, actor_id: str, accept: bool, now: datetime
) -> CoachPairing:
    row = store.get_pairing(session, team_id, pairing_id)
    if row is None or row.coachee_id != actor_id:
        raise PairingNotFoundError()
    if row.status != "pending":
        raise PairingExistsError(row.status, row.coach_id, row.coachee_id)
    row.status, row.responded_at = ("active" if accept else "declined"), now
    store.save(session, row)
    return row


def end_pairing(
    session: Session, *, team_id: str, pairing_id: int, actor_id: str, now: datetime
) -> CoachPairing:
    """Either side ends it (a coach may also withdraw an unanswered offer)."""
    row = store.get_pairing(session, team_id, pairing_id)
    if row is None or actor_id not in {row.coach_id, row.coachee_id}:
        raise PairingNotFoundError()
    if row.status not in {"pending", "active"}:
        raise PairingNotFoundError()
    row.status, row.responded_at, row.ended_by = "ended", now, actor_id
    store.save(session, row)
    return row


def goals_visible(
    session: Session, *, team_id: str, owner_id: str, viewer_id: str, include_done: bool = True
) -> list[Goal]:
    """The owner's goals that ``viewer_id`` may see. Raises ``NotShared`` for someone who may
    see none of them (so nobody learns whether goals exist)."""
    statuses = ["active", "paused", "completed"] if include_done else ["active", "paused"]
    goals = store.goals_of(session, team_id, owner_id, statuses)
    if viewer_id == owner_id:
        return goals
    coaches = store.coaches_of(session, team_id, owner_id)
    visible = [g for g in goals if can_view(g, viewer_id, coaches)]
    if not visible and viewer_id not in coaches:
        raise NotShared(owner_id)
    return visible


@dataclass(frozen=True)
class CoacheeWeek:
    coachee_id: str
    goals: tuple[Goal, ...]
    checkins: dict[int, tuple[CheckIn, ...]]
    missed: dict[int, int]
    kudos: tuple[Kudos, ...]


def digest_for(
    session: Session, *, team_id: str, coach_id: str, now: datetime
) -> list[CoacheeWeek]:
    """What a coach's weekly digest covers: each coachee's goals shared with the coach, their
    check-ins and missed prompts over the last 7 days, and kudos they received."""
    since = now - timedelta(days=7)
    out = []
    for coachee in store.coachees_of(session, team_id, coach_id):
        goals = [
            g
            for g in store.goals_of(session, team_id, coachee, ["active", "paused", "completed"])
            if can_view(g, coach_id, [coach_id])
            and (g.status != "completed" or (g.completed_at and g.completed_at >= since))
        ]
        checkins = {g.id or 0: tuple(store.checkins_of(session, g.id or 0, since)) for g in goals}
        missed = {g.id or 0: store.missed_since(session, g.id or 0, since) for g in goals}
        kudos = tuple(
            ledger.kudos_received_since(session, team_id=team_id, user_id=coachee, since=since)
        )
        out.append(CoacheeWeek(coachee, tuple(goals), checkins, missed, kudos))
    return out
