"""A goal's life in one transaction: set, edit, pause, resume, complete, archive; time away.

Typed and Slack-free: callers pass a session, people and the time; results say what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import next_due
from bot.goals.errors import GoalClosedError, GoalNotFoundError, InvalidPauseError, NotYourGoalError
from bot.goals.rules import MAX_PAUSE_DAYS, STREAK_MILESTONES, GoalSpec, cadence_of
from bot.users import Person
from storage import coaching as pairings
from storage import goals as store
from storage import kudos as ledger
from storage.models.goals import CheckInPrompt, Goal, GoalStatus, PromptStatus
from storage.models.kudos import MilestoneKind

STREAK_MILESTONE = MilestoneKind.CHECKIN_STREAK  # the milestone kind of check-ins in a row
CLOSED = (GoalStatus.COMPLETED, GoalStatus.ARCHIVED)


def create_goal(
    session: Session,
    *,
    team_id: str,
    owner: Person,
    spec: GoalSpec,
    channel_id: str | None,
    now: datetime,
) -> Goal:
    goal = Goal(
        team_id=team_id,
        owner_id=owner.user_id,
        what=spec.what,
        measure=spec.measure,
        skill=spec.skill,
        target_date=spec.target_date,
        cadence=spec.cadence.kind,
        cadence_day=spec.cadence.weekday,
        cadence_minute=spec.cadence.minute,
        cadence_anchor=spec.cadence.anchor,
        visibility=spec.visibility,
        tz=owner.tz,
        next_due_at=next_due(spec.cadence, owner.zone, now),
        channel_id=channel_id if channel_id and channel_id[:1] in {"C", "G"} else None,
        created_at=now,
        updated_at=now,
    )
    return store.add_goal(session, goal)


def own_goal(
    session: Session, *, team_id: str, goal_id: int, actor_id: str, lock: bool = True
) -> Goal:
    """The actor's goal (row-locked for a change unless ``lock=False``), or why they can't."""
    goal = store.get_goal(session, team_id=team_id, goal_id=goal_id, lock=lock)
    if goal is None:
        raise GoalNotFoundError()
    if goal.owner_id != actor_id:
        raise NotYourGoalError()
    return goal


def ensure_open(goal: Goal) -> None:
    if goal.status in CLOSED:
        raise GoalClosedError(goal.status)


def update_goal(
    session: Session,
    *,
    team_id: str,
    goal_id: int,
    owner: Person,
    spec: GoalSpec,
    now: datetime,
) -> Goal:
    goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=owner.user_id)
    ensure_open(goal)
    goal.what, goal.measure, goal.skill = spec.what, spec.measure, spec.skill
    goal.target_date, goal.visibility = spec.target_date, spec.visibility
    changed = (goal.cadence, goal.cadence_day, goal.cadence_minute) != (
        spec.cadence.kind,
        spec.cadence.weekday,
        spec.cadence.minute,
    )
    if changed:
        goal.cadence = spec.cadence.kind
        goal.cadence_day, goal.cadence_minute = spec.cadence.weekday, spec.cadence.minute
        goal.cadence_anchor = spec.cadence.anchor
    if changed or goal.tz != owner.tz:
        goal.tz = owner.tz
        goal.next_due_at = _resume_at(goal, owner.zone, now)
    goal.updated_at = now
    store.save(session, goal)
    return goal


def _resume_at(goal: Goal, zone: ZoneInfo, now: datetime) -> datetime:
    """The next check-in, after the pause (if any) is over."""
    after = now
    if goal.status == GoalStatus.PAUSED and goal.paused_until is not None:
        day_after = goal.paused_until + timedelta(days=1)
        start = datetime(day_after.year, day_after.month, day_after.day, tzinfo=zone)
        after = max(now, start - timedelta(microseconds=1))
    return next_due(cadence_of(goal), zone, after)


def pause_goal(
    session: Session,
    *,
    team_id: str,
    goal_id: int,
    owner: Person,
    until: date,
    now: datetime,
) -> Goal:
    """No prompts through ``until`` (the owner's local date); the streak is kept."""
    today = now.astimezone(owner.zone).date()
    if until < today:
        raise InvalidPauseError("past")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        raise InvalidPauseError("too_far")
    goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=owner.user_id)
    ensure_open(goal)
    goal.status, goal.paused_until, goal.tz = GoalStatus.PAUSED, until, owner.tz
    goal.next_due_at = _resume_at(goal, owner.zone, now)
    goal.updated_at = now
    store.save(session, goal)
    return goal


def resume_goal(
    session: Session, *, team_id: str, goal_id: int, owner: Person, now: datetime
) -> Goal:
    goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=owner.user_id)
    ensure_open(goal)
    goal.status, goal.paused_until, goal.tz = GoalStatus.ACTIVE, None, owner.tz
    goal.next_due_at = next_due(cadence_of(goal), owner.zone, now)
    goal.updated_at = now
    store.save(session, goal)
    return goal


@dataclass(frozen=True)
class Closed:
    """A goal completed or archived, and the prompts that were still open (to edit)."""

    goal: Goal
    closed_prompts: tuple[CheckInPrompt, ...]
    coaches: tuple[str, ...]
    streak_milestone: int | None = None


def _close_goal(
    session: Session, goal: Goal, status: GoalStatus, now: datetime
) -> list[CheckInPrompt]:
    goal.status, goal.next_due_at, goal.updated_at = status, None, now
    if status == GoalStatus.COMPLETED:
        goal.completed_at = now
    closed = []
    for prompt in store.open_prompts(session, goal.id or 0):
        if store.close_prompt(session, prompt.id or 0, PromptStatus.CLOSED, now, answered=False):
            closed.append(prompt)
    store.save(session, goal)
    return closed


def complete_goal(
    session: Session, *, team_id: str, goal_id: int, actor_id: str, now: datetime
) -> Closed:
    goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=actor_id)
    ensure_open(goal)
    closed = _close_goal(session, goal, GoalStatus.COMPLETED, now)
    milestone = _best_milestone_reached(session, goal, now)
    coaches = pairings.coaches_of(session, team_id=team_id, coachee_id=goal.owner_id)
    return Closed(goal, tuple(closed), tuple(coaches), milestone)


def archive_goal(
    session: Session, *, team_id: str, goal_id: int, actor_id: str, now: datetime
) -> Closed:
    goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=actor_id)
    if goal.status == GoalStatus.ARCHIVED:
        raise GoalClosedError(GoalStatus.ARCHIVED)
    closed = _close_goal(session, goal, GoalStatus.ARCHIVED, now)
    return Closed(goal, tuple(closed), ())


def _best_milestone_reached(session: Session, goal: Goal, now: datetime) -> int | None:
    """Record streak milestones up to the goal's best streak; the highest new one, if any."""
    new = None
    for threshold in STREAK_MILESTONES:
        if goal.best_streak >= threshold and reach_streak(session, goal, threshold, now):
            new = threshold
    return new


def reach_streak(session: Session, goal: Goal, threshold: int, now: datetime) -> bool:
    """Record the owner's streak milestone; True only the first time it is reached."""
    return ledger.reach_milestone(
        session,
        team_id=goal.team_id,
        user_id=goal.owner_id,
        kind=STREAK_MILESTONE,
        threshold=threshold,
        now=now,
    )


def coaches_of(session: Session, goal: Goal) -> list[str]:
    """The goal owner's active coaches."""
    return pairings.coaches_of(session, team_id=goal.team_id, coachee_id=goal.owner_id)


def set_away(
    session: Session, *, team_id: str, user_id: str, until: date | None, today: date
) -> bool:
    """No check-ins for any of the person's goals through ``until`` (None: back now). Returns
    whether they were away (through ``today`` or later) before."""
    before = store.away_until(session, team_id=team_id, user_id=user_id)
    store.set_away(session, team_id=team_id, user_id=user_id, until=until)
    return before is not None and before >= today
