"""The scheduled work for goals and coaching, each as of a given time.

Every job reads what is due from the database, and writes a delivery record (a unique key:
what, for whom, which due time) in the same transaction as the outbox row that sends it. A job
run twice, by a retry, a restart or a second process, therefore sends nothing twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.goals import coaching, notify
from bot.goals import ids as goal_ids
from bot.goals import service as goals
from bot.goals.schedule import Cadence, next_due, previous_due
from bot.render import goals as render
from bot.users import Person, zone_or_utc
from storage import goals as store
from storage import users as user_store
from storage.models import Goal

log = logging.getLogger(__name__)
BATCH = 200
# Coaches get their digest on Friday at 15:00 in their own time zone.
DIGEST = Cadence("weekly", weekday=4, minute=15 * 60)


def _cached_person(session: object, team_id: str, user_id: str, fallback_tz: str) -> Person:
    """Who someone is, from the cache only (a job never waits on Slack for each person;
    ``refresh_people`` keeps the cache fresh)."""
    rows = user_store.cached_people(session, team_id, [user_id])  # type: ignore[arg-type]
    row = rows.get(user_id)
    if row is None:
        return Person(user_id, tz=fallback_tz)
    return Person(row.user_id, row.name, row.tz, row.is_bot, row.deleted)


def run_checkins(deps: Deps, at: datetime) -> Counter[str]:
    """Prompt every goal whose check-in time is at or before ``at`` (or skip it for a reason);
    each goal in its own transaction, so one bad goal cannot hold up the rest."""
    counts: Counter[str] = Counter()
    tried: set[int] = set()
    while True:
        with deps.db.read() as session:
            due = [d for d in store.due_goals(session, at, BATCH) if d[1] not in tried]
        if not due:
            break
        for team_id, goal_id in due:
            tried.add(goal_id)
            try:
                outcome = _checkin_one(deps, team_id, goal_id, at)
            except Exception:  # logged; the goal stays due and is tried again next run
                log.exception("check-in for goal %s failed", goal_id)
                outcome = "error"
            counts[outcome] += 1
        deps.deliverer.kick()
    return counts


def _checkin_one(deps: Deps, team_id: str, goal_id: int, at: datetime) -> str:
    with deps.db.write() as session:
        goal = session.get(Goal, goal_id)
        if goal is None:
            return "gone"
        owner = _cached_person(session, team_id, goal.owner_id, goal.tz)
        due = goals.process_due(
            session,
            team_id=team_id,
            goal_id=goal_id,
            owner=owner,
            at=at,
            rules=deps.settings.goals,
        )
        if due is None:
            return "not_due"
        messages = notify.due_messages(due, owner.zone)
        rows = deps.outbox.enqueue(session, team_id, messages, at)
        if due.prompt is not None:
            key = notify.prompt_key(due.goal, due.due_at.isoformat())
            store.record_send(
                session,
                key=key,
                team_id=team_id,
                kind="checkin",
                user_id=due.goal.owner_id,
                due_at=due.due_at,
                now=at,
            )
            sent = next((r for r in rows if r.dedupe_key == key), None)
            if sent is not None:
                due.prompt.outbox_id = sent.id
                store.link_send(session, key, sent.id)
                store.save(session, due.prompt)
        return due.outcome


def next_checkin(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_goal_due(session)


def run_reminders(deps: Deps, at: datetime) -> Counter[str]:
    """One gentle reminder for each prompt still unanswered at its reminder time."""
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        waiting = [(p.team_id, p.id or 0) for p in store.prompts_to_remind(session, at, 5000)]
    for team_id, prompt_id in waiting:
        with deps.db.write() as session:
            prompt = store.get_prompt(session, team_id, prompt_id)
            if prompt is None or not store.mark_reminded(session, prompt_id, at):
                counts["taken"] += 1
                continue
            goal = store.get_goal(session, team_id, prompt.goal_id)
            if goal is None or goal.status != "active":
                counts["closed"] += 1
                continue
            owner = _cached_person(session, team_id, goal.owner_id, goal.tz)
            away = store.away_until(session, team_id, goal.owner_id)
            if away is not None and away >= at.astimezone(owner.zone).date():
                counts["away"] += 1
                continue
            key = f"reminder:{team_id}:{prompt_id}"
            if not store.record_send(
                session,
                key=key,
                team_id=team_id,
                kind="reminder",
                user_id=prompt.user_id,
                due_at=prompt.remind_at or at,
                now=at,
            ):
                counts["taken"] += 1
                continue
            rows = deps.outbox.enqueue(
                session,
                team_id,
                [
                    notify.OutMessage(
                        kind=goal_ids.REMINDER,
                        method=notify.POST,
                        payload=render.reminder_dm(goal),
                        dedupe_key=key,
                    )
                ],
                at,
            )
            store.link_send(session, key, rows[0].id if rows else None)
            counts["reminded"] += 1
    deps.deliverer.kick()
    return counts


def next_reminder(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_reminder(session)


def run_coach_digests(deps: Deps, at: datetime) -> Counter[str]:
    """Each coach's weekly digest, at their local Friday 15:00 (once; late within the grace
    period if Bravo was down)."""
    counts: Counter[str] = Counter()
    grace = timedelta(hours=deps.settings.goals.grace_hours)
    with deps.db.read() as session:
        coaches = store.active_coaches(session)
    for team_id, coach_id in coaches:
        with deps.db.write() as session:
            coach = _cached_person(session, team_id, coach_id, "UTC")
            due = previous_due(DIGEST, coach.zone, at)
            if at - due > grace:
                counts["not_due"] += 1
                continue
            key = f"digest:{team_id}:{coach_id}:{due.astimezone(coach.zone).date().isoformat()}"
            if not store.record_send(
                session,
                key=key,
                team_id=team_id,
                kind="digest",
                user_id=coach_id,
                due_at=due,
                now=at,
            ):
                counts["already_sent"] += 1
                continue
            week = coaching.digest_for(session, team_id=team_id, coach_id=coach_id, now=at)
            payload = render.coach_digest(coach_id, week, (due - timedelta(days=4)).date())
            rows = deps.outbox.enqueue(
                session,
                team_id,
                [
                    notify.OutMessage(
                        kind=goal_ids.DIGEST, method=notify.POST, payload=payload, dedupe_key=key
                    )
                ],
                at,
            )
            store.link_send(session, key, rows[0].id if rows else None)
            counts["sent"] += 1
    deps.deliverer.kick()
    return counts


def next_digest(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        coaches = store.active_coaches(session)
        zones = {
            _cached_person(session, team_id, coach_id, "UTC").tz for team_id, coach_id in coaches
        }
    times = [next_due(DIGEST, zone_or_utc(tz), at) for tz in zones]
    return min(times) if times else None


def refresh_people(deps: Deps, at: datetime, limit: int = 100) -> Counter[str]:
    """Re-read from Slack the profiles (time zone, departed) of goal owners and coaches whose
    cached copy is over a day old, at most ``limit`` a run, so check-ins follow people who
    move time zones or leave."""
    counts: Counter[str] = Counter()
    with deps.db.read() as session:
        stale = store.stale_people(session, at - timedelta(hours=24), limit)
    by_team: dict[str, list[str]] = {}
    for team_id, user_id in stale:
        by_team.setdefault(team_id, []).append(user_id)
    for team_id, users in by_team.items():
        try:
            deps.directory.people(team_id, users, at)
            counts["refreshed"] += len(users)
        except Exception:  # Slack trouble: the cached profiles stay in use
            log.warning("could not refresh %d profiles in %s", len(users), team_id)
            counts["failed"] += len(users)
    return counts
