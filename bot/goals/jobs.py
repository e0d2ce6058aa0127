"""The scheduled work for goals: check-in prompts and their reminders, each as of a given time.

Every job reads what is due from the database, and writes a delivery record (a unique key:
what, for whom, which due time) in the same transaction as the outbox row that sends it. A job
run twice, by a retry, a restart or a second process, therefore sends nothing twice.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.cadence import next_due
from bot.deps import Deps, SendCheck
from bot.goals import ids, messages
from bot.goals.due import Due, process_due
from bot.goals.rules import cadence_of
from bot.outbox.scheduled import send_once
from bot.users import Person, person_from_cache, zone_or_utc
from storage import goals as store
from storage import outbox as outbox_store
from storage import users as user_store
from storage.models.goals import Goal, GoalStatus

log = logging.getLogger(__name__)
BATCH = 200
CHUNK = 10  # goals per transaction: short enough that the outbox gets its turn at the database
# Check-ins are prepared this long before their time: the prompt is queued with its check-in
# time as the outbox row's first moment to go, so at the busy minute (thousands due at 09:00)
# delivery does not wait for the job. A pause or time away set within this lead time starts
# with the next check-in (the prompt is in the queue already); a goal closed meanwhile has its
# prompt's buttons taken off as for any open prompt.
PREPARE_AHEAD = timedelta(minutes=5)


def run_checkins(deps: Deps, at: datetime, *, ahead: timedelta = PREPARE_AHEAD) -> Counter[str]:
    """Prompt every goal whose check-in time is at or before ``at + ahead`` (or skip it for a
    reason). A goal is handled as of its own check-in time when that is still ahead (its prompt
    is queued to go then), else as of ``at``.

    Goals go in transactions of ``CHUNK``: one locking read, one read per table for what they
    need, then each goal's writes; the outbox is woken after each, so delivery starts while the
    job goes on. If a chunk fails, its goals are retried one per transaction, so one bad goal
    cannot hold up the rest (it stays due and is tried again next run).

    A workspace nothing can be sent to (no token, or uninstalled) is skipped up front: its goals
    move on to their next check-in with no prompt, so they neither pile up nor hold up the
    others', and check-ins resume there at the next one after it is installed again."""
    counts: Counter[str] = Counter()
    tried: set[int] = set()
    skipped = SendCheck(deps, "goal check-ins")
    horizon = at + ahead
    while True:
        with deps.db.read() as session:
            due = [d for d in store.due_goals(session, horizon, BATCH) if d[1] not in tried]
        if not due:
            break
        tried.update(goal_id for _, goal_id in due)
        idle = [g for t, g in due if skipped(t)]
        if idle:
            counts += _move_on(deps, idle, at, horizon)
        due = [d for d in due if not skipped(d[0])]
        for start in range(0, len(due), CHUNK):
            chunk = [g for _, g in due[start : start + CHUNK]]
            counts += _checkin_chunk(deps, chunk, at, horizon)
            deps.deliverer.kick()
    return counts


def _as_of(goal: Goal, at: datetime) -> datetime:
    """The moment a goal is handled as of: its check-in time, when the job runs ahead of it."""
    return max(at, goal.next_due_at or at)


def _move_on(deps: Deps, goal_ids: list[int], at: datetime, horizon: datetime) -> Counter[str]:
    """Goals in workspaces nothing can be sent to: on to their next check-in, no prompt."""
    with deps.db.write() as session:
        goals = store.lock_due_goals(session, goal_ids, horizon)
        for goal in goals:
            goal.next_due_at = next_due(cadence_of(goal), zone_or_utc(goal.tz), _as_of(goal, at))
            store.save(session, goal)
    return Counter(not_installed=len(goals))


def _checkin_chunk(
    deps: Deps, goal_ids: list[int], at: datetime, horizon: datetime
) -> Counter[str]:
    try:
        return _checkin_goals(deps, goal_ids, at, horizon)
    except Exception:
        if len(goal_ids) == 1:
            log.exception("check-in for goal %s failed", goal_ids[0])
            return Counter(error=1)
        log.warning("a batch of %d check-ins failed; retrying goal by goal", len(goal_ids))
    counts: Counter[str] = Counter()
    for goal_id in goal_ids:
        counts += _checkin_chunk(deps, [goal_id], at, horizon)
    return counts


def _checkin_goals(
    deps: Deps, goal_ids: list[int], at: datetime, horizon: datetime
) -> Counter[str]:
    counts: Counter[str] = Counter()
    with deps.db.write() as session:
        goals = store.lock_due_goals(session, goal_ids, horizon)
        # Not due any more (another process moved it on), or being handled by another process.
        counts["not_due"] += len(goal_ids) - len(goals)
        if not goals:
            return counts
        earliest = min(g.next_due_at or at for g in goals)
        # Wide enough for any cadence's "checked in recently" window, and a time zone move.
        pre = store.due_lookups(session, goals, earliest - timedelta(days=9))
        owners = _cached_owners(session, goals)
        away = _away_by_status(session, goals, min(_as_of(g, at) for g in goals))
        handled: list[tuple[Due, Person, datetime]] = []
        for goal in goals:
            owner = owners[(goal.team_id, goal.owner_id)]
            when = _as_of(goal, at)
            due = process_due(
                session,
                team_id=goal.team_id,
                goal_id=goal.id or 0,
                owner=owner,
                at=when,
                rules=deps.settings.goals,
                locked=goal,
                pre=pre,
                status_away=(goal.team_id, goal.owner_id) in away,
            )
            if due is None:
                counts["not_due"] += 1
                continue
            counts[due.outcome.value] += 1
            handled.append((due, owner, when))
        _queue_chunk(deps, session, handled)
    return counts


def _cached_owners(session: Session, goals: list[Goal]) -> dict[tuple[str, str], Person]:
    """Who owns each goal, from the profile cache only (a job never waits on Slack for each
    person; ``refresh_people`` keeps the cache fresh)."""
    by_team: dict[str, list[str]] = {}
    for g in goals:
        by_team.setdefault(g.team_id, []).append(g.owner_id)
    found: dict[tuple[str, str], Person] = {}
    for team_id, users in by_team.items():
        rows = user_store.cached_people(session, team_id=team_id, user_ids=users)
        for g in goals:
            if g.team_id != team_id or (team_id, g.owner_id) in found:
                continue
            row = rows.get(g.owner_id)
            found[(team_id, g.owner_id)] = (
                person_from_cache(row) if row is not None else Person(g.owner_id, tz=g.tz)
            )
    return found


def _away_by_status(session: Session, goals: list[Goal], at: datetime) -> set[tuple[str, str]]:
    """The goals' owners whose Slack status says away as of ``at`` (the chunk's earliest
    check-in time, a few minutes at most before its latest): one query per workspace, whatever
    the number of goals, and never a call to Slack (a status never seen counts as not away)."""
    by_team: dict[str, list[str]] = {}
    for g in goals:
        by_team.setdefault(g.team_id, []).append(g.owner_id)
    return {
        (team_id, user_id)
        for team_id, users in sorted(by_team.items())
        for user_id in user_store.away_among(
            session, team_id=team_id, user_ids=sorted(set(users)), now=at
        )
    }


def _queue_chunk(deps: Deps, session: Session, handled: list[tuple[Due, Person, datetime]]) -> None:
    """What the chunk's goals send, queued in one INSERT, each due at its goal's time; each
    prompt's delivery record in another (the unique key: a goal prompted once per due time),
    and the prompts' outbox ids in one flush."""
    queued = [
        (d.goal.team_id, messages.due_messages(d, owner.zone), when) for d, owner, when in handled
    ]
    ids_by_key = deps.outbox.enqueue_many(session, queued)
    sends: list[dict[str, object]] = []
    for due, _, when in handled:
        if due.prompt is None:
            continue
        key = messages.prompt_key(due.goal, due.due_at.isoformat())
        outbox_id = ids_by_key.get(key)
        sends.append(
            {
                "key": key,
                "team_id": due.goal.team_id,
                "kind": ids.SENT_CHECKIN,
                "user_id": due.goal.owner_id,
                "due_at": due.due_at,
                "created_at": when,
                "outbox_id": outbox_id,
            }
        )
        if outbox_id is not None:
            due.prompt.outbox_id = outbox_id
    outbox_store.record_sends(session, sends)
    session.flush()


def next_checkin(deps: Deps, at: datetime) -> datetime | None:
    """When the job should run next: ``PREPARE_AHEAD`` before the next check-in time."""
    with deps.db.read() as session:
        due = store.next_goal_due(session)
    return due - PREPARE_AHEAD if due is not None else None


def run_reminders(deps: Deps, at: datetime) -> Counter[str]:
    """One gentle reminder for each prompt still unanswered at its reminder time."""
    counts: Counter[str] = Counter()
    skipped = SendCheck(deps, "check-in reminders")
    with deps.db.read() as session:
        waiting = [(p.team_id, p.id or 0) for p in store.prompts_to_remind(session, at, 5000)]
    for team_id, prompt_id in waiting:
        with deps.db.write() as session:
            prompt = store.get_prompt(session, team_id=team_id, prompt_id=prompt_id)
            if prompt is None or not store.mark_reminded(session, prompt_id, at):
                counts["taken"] += 1
                continue
            if skipped(team_id):  # marked reminded: not looked at again
                counts["not_installed"] += 1
                continue
            goal = store.get_goal(session, team_id=team_id, goal_id=prompt.goal_id)
            if goal is None or goal.status != GoalStatus.ACTIVE:
                counts["closed"] += 1
                continue
            owner = _cached_owners(session, [goal])[(team_id, goal.owner_id)]
            away = store.away_until(session, team_id=team_id, user_id=goal.owner_id)
            if (away is not None and away >= at.astimezone(owner.zone).date()) or (
                _away_by_status(session, [goal], at)
            ):
                counts["away"] += 1
                continue
            key = f"reminder:{team_id}:{prompt_id}"
            if not send_once(
                session,
                deps.outbox,
                messages.reminder(goal, key),
                key=key,
                team_id=team_id,
                kind=ids.SENT_REMINDER,
                target=prompt.user_id,
                due_at=prompt.remind_at or at,
                at=at,
            ):
                counts["taken"] += 1
                continue
            counts["reminded"] += 1
    deps.deliverer.kick()
    return counts


def next_reminder(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_reminder(session)
