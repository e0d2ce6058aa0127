"""What falls due: one goal whose check-in time has come, handled in the caller's transaction.

A batch (``jobs.run_checkins``) passes the goal it has already locked and the rows it read for
all its goals at once (``store.DueLookups``); alone, they are read here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import add_working_hours, next_due
from bot.goals import tips
from bot.goals.checkins import count_answer
from bot.goals.rules import cadence_of, shared_with_coach
from bot.settings import GoalRules
from bot.users import Person
from storage import coaching as pairings
from storage import goals as store
from storage import users as user_store
from storage.models.goals import CheckIn, CheckInPrompt, Goal, GoalStatus, PromptStatus, TipSeen


class DueOutcome(StrEnum):
    """What became of one due goal."""

    PROMPT = "prompt"  # its owner was prompted
    PAUSED = "paused"  # skipped: the goal is paused
    AWAY = "away"  # skipped: its owner is away
    LATE = "late"  # skipped: due longer ago than the grace period
    RECENT = "recent"  # skipped: its owner checked in on their own lately (counts)
    LEFT = "left"  # its owner left the workspace: no more check-ins
    MOVED = "moved"  # its owner moved time zone: due later, at the same local time
    TAKEN = "taken"  # another process prompted it already


@dataclass(frozen=True)
class Due:
    """What the scheduler did with one due goal."""

    goal: Goal
    due_at: datetime
    outcome: DueOutcome
    prompt: CheckInPrompt | None = None
    tip: tips.Tip | None = None
    missed: tuple[CheckInPrompt, ...] = ()
    skipped: tuple[CheckInPrompt, ...] = ()  # open prompts set aside by a pause or vacation
    alert_coaches: tuple[str, ...] = ()  # missed in a row: tell these coaches
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class _Turn:
    """One due goal being handled: where, as of when, under which rules, with what was read."""

    session: Session
    team_id: str
    goal: Goal
    at: datetime
    rules: GoalRules
    pre: store.DueLookups
    status_away: bool | None  # whether the owner's Slack status says away; None: read it here


def process_due(
    session: Session,
    *,
    team_id: str,
    goal_id: int,
    owner: Person | None,
    at: datetime,
    rules: GoalRules,
    locked: Goal | None = None,
    pre: store.DueLookups | None = None,
    status_away: bool | None = None,
) -> Due | None:
    """Handle one goal whose check-in time has come, as of ``at``: prompt its owner (once), or
    skip this time for a pause, a vacation, a recent check-in of their own, a departed owner, or
    a due time older than the grace period. Always moves ``next_due_at`` past ``at``, so a
    process that was down sends one late prompt, never a burst. None when it is not due.

    A batch passes the goal it has already ``locked``, the rows it read for all its goals
    (``pre``) and whether the owner's Slack status says away (``status_away``, from one query
    for the batch); alone, the goal and those are read here."""
    goal = locked
    if goal is None:
        goal = store.get_goal(session, team_id=team_id, goal_id=goal_id, lock=True)
    if goal is None or goal.status not in store.SCHEDULED or goal.next_due_at is None:
        return None
    if goal.next_due_at > at:
        return None  # another process got here first and moved it on
    turn = _Turn(session, team_id, goal, at, rules, pre or store.DueLookups(), status_away)
    if owner is None or not owner.known or owner.deleted:
        due = goal.next_due_at
        goal.next_due_at = None
        store.save(session, goal)
        return Due(goal, due, DueOutcome.LEFT)
    moved = _move_on(turn, owner)
    if isinstance(moved, Due):
        return moved
    return _skipped(turn, owner.zone, moved) or _checked_in(turn, owner.zone, moved)


def _move_on(turn: _Turn, owner: Person) -> Due | datetime:
    """Move ``next_due_at`` past now; the due time to handle, or what happened when the owner
    moved time zone and their check-in at the same local time is still ahead."""
    goal, cadence = turn.goal, cadence_of(turn.goal)
    due = goal.next_due_at
    assert due is not None
    if owner.tz != goal.tz:
        # They moved time zone: the check-in is at the same local time where they are now.
        goal.tz = owner.tz
        moved = next_due(cadence, owner.zone, due - timedelta(hours=26))
        if moved > turn.at:
            goal.next_due_at = moved
            store.save(turn.session, goal)
            return Due(goal, due, DueOutcome.MOVED)
        due = moved
    goal.next_due_at = next_due(cadence, owner.zone, turn.at)
    return due


def _skipped(turn: _Turn, zone: ZoneInfo, due: datetime) -> Due | None:
    """This time skipped for a pause, a vacation (``/goal away`` or an away Slack status), or a
    due time older than the grace period. A pause that is over ends here."""
    goal, at = turn.goal, turn.at
    today = at.astimezone(zone).date()
    if goal.status == GoalStatus.PAUSED:
        if goal.paused_until is not None and goal.paused_until >= today:
            return Due(goal, due, DueOutcome.PAUSED, skipped=_set_aside(turn))
        goal.status, goal.paused_until = GoalStatus.ACTIVE, None
    away = _away_until(turn.session, turn.pre, team_id=turn.team_id, user_id=goal.owner_id)
    if (away is not None and away >= today) or _away_by_status(turn):
        return Due(goal, due, DueOutcome.AWAY, skipped=_set_aside(turn))
    if at - due > timedelta(hours=turn.rules.grace_hours):
        store.save(turn.session, goal)
        return Due(goal, due, DueOutcome.LATE)
    return None


def _checked_in(turn: _Turn, zone: ZoneInfo, due: datetime) -> Due:
    """The prompt before this one missed, if unanswered; then this one counted from a recent
    check-in of the owner's own, or sent."""
    goal, session = turn.goal, turn.session
    missed, alert = _close_missed(turn, due)
    period = cadence_of(goal).period
    recent = [
        c
        for c in _checkins_since(session, turn.pre, goal.id or 0, due - period / 2)
        if c.prompt_id is None
    ]
    if recent:
        count_answer(session, goal, turn.at)
        store.save(session, goal)
        return Due(goal, due, DueOutcome.RECENT, missed=missed, alert_coaches=alert)
    return _prompt(turn, zone, due, missed, alert)


def _close_missed(turn: _Turn, due: datetime) -> tuple[tuple[CheckInPrompt, ...], tuple[str, ...]]:
    """The previous prompt was not answered before this one came due: missed. Missed in a row
    often enough, the coaches the goal is shared with are told."""
    goal, session = turn.goal, turn.session
    missed = tuple(
        p
        for p in _open_prompts(session, turn.pre, goal.id or 0)
        if p.due_at < due
        and store.close_prompt(session, p.id or 0, PromptStatus.MISSED, turn.at, answered=False)
    )
    alert: tuple[str, ...] = ()
    if missed:
        goal.streak = 0
        goal.missed_in_row += 1
        if goal.missed_in_row == turn.rules.missed_before_coach_alert and shared_with_coach(goal):
            coaches = pairings.coaches_of(session, team_id=turn.team_id, coachee_id=goal.owner_id)
            alert = tuple(coaches)
    return missed, alert


def _prompt(
    turn: _Turn,
    zone: ZoneInfo,
    due: datetime,
    missed: tuple[CheckInPrompt, ...],
    alert: tuple[str, ...],
) -> Due:
    """The prompt for this due time, with the next tip for the goal's skill (once: a second
    process finds it ``taken``)."""
    goal, session, at, team_id = turn.goal, turn.session, turn.at, turn.team_id
    assert goal.next_due_at is not None
    seen = _tips_seen(session, turn.pre, team_id=team_id, user_id=goal.owner_id, skill=goal.skill)
    tip, new_round = tips.choose_tip(
        goal.skill,
        {s.tip_id for s in seen},
        last=seen[-1].tip_id if seen else None,
        salt=_salt(goal.owner_id),
    )
    remind_at = add_working_hours(max(at, due), turn.rules.reminder_working_hours, zone)
    prompt = store.add_prompt(
        session,
        {
            "team_id": team_id,
            "goal_id": goal.id,
            "user_id": goal.owner_id,
            "due_at": due,
            "tip_id": tip.id,
            "status": PromptStatus.OPEN,
            "remind_at": remind_at if remind_at < goal.next_due_at else None,
            "created_at": at,
        },
    )
    store.save(session, goal)
    if prompt is None:
        return Due(goal, due, DueOutcome.TAKEN, missed=missed, alert_coaches=alert)
    store.remember_tip(
        session,
        team_id=team_id,
        user_id=goal.owner_id,
        skill=goal.skill,
        tip_id=tip.id,
        now=at,
        new_round=new_round,
    )
    _note_tip(
        turn.pre,
        team_id=team_id,
        user_id=goal.owner_id,
        skill=goal.skill,
        tip_id=tip.id,
        at=at,
        new_round=new_round,
    )
    return Due(
        goal, due, DueOutcome.PROMPT, prompt=prompt, tip=tip, missed=missed, alert_coaches=alert
    )


def _set_aside(turn: _Turn) -> tuple[CheckInPrompt, ...]:
    """A pause or vacation closes the prompt still waiting without counting it as missed, so
    the streak survives the time away."""
    goal, session = turn.goal, turn.session
    store.save(session, goal)
    return tuple(
        p
        for p in _open_prompts(session, turn.pre, goal.id or 0)
        if store.close_prompt(session, p.id or 0, PromptStatus.CLOSED, turn.at, answered=False)
    )


# Each reads from the batch's lookups when it holds the answer, else from the database.


def _away_until(
    session: Session, pre: store.DueLookups, *, team_id: str, user_id: str
) -> date | None:
    if (team_id, user_id) in pre.away:
        return pre.away[(team_id, user_id)]
    return store.away_until(session, team_id=team_id, user_id=user_id)


def _away_by_status(turn: _Turn) -> bool:
    if turn.status_away is not None:
        return turn.status_away
    owner = turn.goal.owner_id
    return owner in user_store.away_among(
        turn.session, team_id=turn.team_id, user_ids=[owner], now=turn.at
    )


def _open_prompts(session: Session, pre: store.DueLookups, goal_id: int) -> list[CheckInPrompt]:
    if goal_id in pre.open_prompts:
        return pre.open_prompts[goal_id]
    return store.open_prompts(session, goal_id)


def _checkins_since(
    session: Session, pre: store.DueLookups, goal_id: int, since: datetime
) -> list[CheckIn]:
    if goal_id in pre.checkins and pre.checkins_since is not None and pre.checkins_since <= since:
        return [c for c in pre.checkins[goal_id] if c.created_at >= since]
    return store.checkins_of(session, goal_id, since=since)


def _tips_seen(
    session: Session, pre: store.DueLookups, *, team_id: str, user_id: str, skill: str
) -> list[TipSeen]:
    if (team_id, user_id, skill) in pre.tips:
        return pre.tips[(team_id, user_id, skill)]
    return store.tips_seen(session, team_id=team_id, user_id=user_id, skill=skill)


def _note_tip(
    pre: store.DueLookups,
    *,
    team_id: str,
    user_id: str,
    skill: str,
    tip_id: str,
    at: datetime,
    new_round: bool,
) -> None:
    """Keep the batch's tips in step with what ``remember_tip`` wrote (two goals of one person
    in one batch must not get the same tip)."""
    key = (team_id, user_id, skill)
    if key in pre.tips:
        seen = TipSeen(team_id=team_id, user_id=user_id, skill=skill, tip_id=tip_id, seen_at=at)
        pre.tips[key] = [seen] if new_round else [*pre.tips[key], seen]


def _salt(user_id: str) -> int:
    return int.from_bytes(hashlib.sha256(user_id.encode()).digest()[:4], "big")
