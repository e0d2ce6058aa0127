"""The scheduled work for coaching, each as of a given time: coaches' weekly digests, and
keeping the profiles of goal owners and coaches fresh.

A digest is sent with a delivery record (a unique key: coach and week) written in the same
transaction as its outbox row, so a job run twice, by a retry, a restart or a second process,
sends nothing twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from functools import partial

from sqlmodel import Session

from bot.cadence import Cadence, next_due, previous_due
from bot.coaching import ids, messages
from bot.coaching.digest import Extra, digest_for
from bot.deps import Deps, SendCheck
from bot.outbox.envelope import OutMessage
from bot.outbox.scheduled import send_once
from bot.users import Person, person_from_cache, zone_or_utc
from storage import coaching as store
from storage import goals as goal_store
from storage import users as user_store
from storage.models.goals import CadenceKind

log = logging.getLogger(__name__)
SWEEP_AT = 50  # stale profiles in one workspace from which a users.list sweep is cheaper
# Coaches get their digest on Friday at 15:00 in their own time zone.
DIGEST = Cadence(CadenceKind.WEEKLY, weekday=4, minute=15 * 60)


def _cached_coach(session: Session, *, team_id: str, coach_id: str) -> Person:
    """Who a coach is, from the cache only (a job never waits on Slack for each person;
    ``refresh_people`` keeps the cache fresh)."""
    row = user_store.cached_people(session, team_id=team_id, user_ids=[coach_id]).get(coach_id)
    return Person(coach_id, tz="UTC") if row is None else person_from_cache(row)


def _sendable(deps: Deps, pairs: list[tuple[str, str]], job: str) -> list[tuple[str, str]]:
    """The (team, person) pairs in workspaces Bravo can still call: one log line for each
    workspace skipped (no token for it, or Bravo uninstalled there)."""
    not_sending = SendCheck(deps, job)
    return [(t, c) for t, c in pairs if not not_sending(t)]


def run_coach_digests(deps: Deps, at: datetime, extra: Extra | None = None) -> Counter[str]:
    """Each coach's weekly digest, at their local Friday 15:00 (once; late within the grace
    period if Bravo was down). Workspaces nothing can be sent to are skipped up front.
    ``extra``: lines a room above coaching adds per coachee (wired by the scheduler)."""
    counts: Counter[str] = Counter()
    grace = timedelta(hours=deps.settings.goals.grace_hours)
    with deps.db.read() as session:
        every = store.active_coaches(session)
    coaches = _sendable(deps, every, "coach digests")
    if len(coaches) < len(every):
        counts["not_installed"] += len(every) - len(coaches)
    for team_id, coach_id in coaches:
        with deps.db.write() as session:
            coach = _cached_coach(session, team_id=team_id, coach_id=coach_id)
            due = previous_due(DIGEST, coach.zone, at)
            if at - due > grace:
                counts["not_due"] += 1
                continue
            key = f"digest:{team_id}:{coach_id}:{due.astimezone(coach.zone).date().isoformat()}"
            if not send_once(
                session,
                deps.outbox,
                partial(_digest, session, team_id, coach_id, due, key, at, extra),
                key=key,
                team_id=team_id,
                kind=ids.SENT_DIGEST,
                target=coach_id,
                due_at=due,
                at=at,
            ):
                counts["already_sent"] += 1
                continue
            counts["sent"] += 1
    deps.deliverer.kick()
    return counts


def _digest(
    session: Session,
    team_id: str,
    coach_id: str,
    due: datetime,
    key: str,
    at: datetime,
    extra: Extra | None = None,
) -> OutMessage:
    """A coach's weekly digest (built only once its delivery record is written)."""
    week = digest_for(session, team_id=team_id, coach_id=coach_id, now=at, extra=extra)
    return messages.digest(coach_id, week, (due - timedelta(days=4)).date(), key)


def next_digest(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        coaches = store.active_coaches(session)
        zones = {
            _cached_coach(session, team_id=team_id, coach_id=coach_id).tz
            for team_id, coach_id in coaches
        }
    times = [next_due(DIGEST, zone_or_utc(tz), at) for tz in zones]
    return min(times) if times else None


def refresh_people(deps: Deps, at: datetime, limit: int = 100) -> Counter[str]:
    """Re-read from Slack the profiles (time zone, departed) of goal owners and coaches whose
    cached copy is over a day old, at most ``limit`` a run, so check-ins and digests follow
    people who move time zones or leave."""
    counts: Counter[str] = Counter()
    before = at - timedelta(hours=24)
    with deps.db.read() as session:
        stale = goal_store.stale_owners(session, before, limit)
        stale += [p for p in store.stale_coaches(session, before, limit) if p not in stale]
    by_team: dict[str, list[str]] = {}
    for team_id, user_id in _sendable(deps, stale[:limit], "profile refresh"):
        by_team.setdefault(team_id, []).append(user_id)
    for team_id, users in by_team.items():
        try:
            # Many stale at once (after a long outage, a big import): one users.list sweep.
            deps.directory.people(team_id=team_id, user_ids=users, now=at, sweep_at=SWEEP_AT)
            counts["refreshed"] += len(users)
        except Exception:  # Slack trouble: the cached profiles stay in use
            log.warning("could not refresh %d profiles in %s", len(users), team_id)
            counts["failed"] += len(users)
    return counts
