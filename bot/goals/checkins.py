"""Check-ins in one transaction: from a prompt's buttons, its note modal, or on the owner's own;
and the streak each answered prompt grows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.goals.errors import GoalNotFoundError, NotYourGoalError, PromptClosedError
from bot.goals.lifecycle import Closed, complete_goal, ensure_open, own_goal, reach_streak
from bot.goals.rules import CHECKIN_STATUSES, STREAK_MILESTONES, shared_with_coach
from storage import coaching as pairings
from storage import goals as store
from storage.models.goals import (
    CheckIn,
    CheckInPrompt,
    CheckInSource,
    CheckInStatus,
    Goal,
    PromptStatus,
)


@dataclass(frozen=True)
class CheckInResult:
    goal: Goal
    checkin: CheckIn
    prompt: CheckInPrompt | None  # the prompt this answered (now closed), if any
    counted: bool  # it answered a prompt, so the streak grew
    streak_milestone: int | None
    completed: Closed | None
    coaches: tuple[str, ...]  # active coaches the goal is shared with (for a Blocked alert)


def record_checkin(
    session: Session,
    *,
    team_id: str,
    actor_id: str,
    goal_id: int | None,
    prompt_id: int | None,
    status: str,
    progress: str = "",
    went_well: str = "",
    next_step: str = "",
    now: datetime,
) -> CheckInResult:
    """Record a check-in from a prompt (``prompt_id``) or on the owner's own (``goal_id``).
    A prompt can be answered once: a second click raises ``PromptClosedError``."""
    if status not in CHECKIN_STATUSES:
        raise ValueError(f"unknown check-in status {status!r}")
    prompt = _prompt_of(session, team_id=team_id, prompt_id=prompt_id, actor_id=actor_id)
    if prompt is not None:
        goal_id = prompt.goal_id
    goal = own_goal(session, team_id=team_id, goal_id=goal_id or 0, actor_id=actor_id)
    ensure_open(goal)
    prompt = _answer(session, goal, prompt, now)
    source = (
        CheckInSource.PROMPT
        if prompt_id is not None
        else (CheckInSource.NOTE if prompt else CheckInSource.SELF)
    )
    checkin = store.add_checkin(
        session,
        CheckIn(
            team_id=team_id,
            goal_id=goal.id or 0,
            user_id=actor_id,
            status=CheckInStatus(status),
            progress=progress.strip(),
            went_well=went_well.strip(),
            next_step=next_step.strip(),
            prompt_id=prompt.id if prompt else None,
            source=source,
            created_at=now,
        ),
    )
    return _after_checkin(session, goal, checkin, prompt, now)


def _prompt_of(
    session: Session, *, team_id: str, prompt_id: int | None, actor_id: str
) -> CheckInPrompt | None:
    """The prompt being answered, when there is one; only its owner may answer it."""
    if prompt_id is None:
        return None
    prompt = store.get_prompt(session, team_id=team_id, prompt_id=prompt_id)
    if prompt is None:
        raise GoalNotFoundError()
    if prompt.user_id != actor_id:
        raise NotYourGoalError()
    return prompt


def _answer(
    session: Session, goal: Goal, prompt: CheckInPrompt | None, now: datetime
) -> CheckInPrompt | None:
    """Close the prompt answered (once: a second answer raises ``PromptClosedError``); checking
    in on your own answers the prompt that is waiting, if there is one."""
    if prompt is not None:
        if not store.close_prompt(
            session, prompt.id or 0, PromptStatus.ANSWERED, now, answered=True
        ):
            session.refresh(prompt)
            raise PromptClosedError(prompt.status)
        return prompt
    for waiting in store.open_prompts(session, goal.id or 0):
        if store.close_prompt(session, waiting.id or 0, PromptStatus.ANSWERED, now, answered=True):
            prompt = waiting
    return prompt


def _after_checkin(
    session: Session, goal: Goal, checkin: CheckIn, prompt: CheckInPrompt | None, now: datetime
) -> CheckInResult:
    """The goal after a check-in: its streak, its last status, and completion on Done."""
    counted = prompt is not None
    milestone = count_answer(session, goal, now) if counted else None
    goal.last_status, goal.last_checkin_at, goal.updated_at = checkin.status, now, now
    goal.last_progress = checkin.progress or None  # a note belongs to its own status only
    store.save(session, goal)
    coaches = (
        tuple(pairings.coaches_of(session, team_id=goal.team_id, coachee_id=goal.owner_id))
        if shared_with_coach(goal)
        else ()
    )
    completed = None
    if checkin.status == CheckInStatus.DONE:
        completed = complete_goal(
            session, team_id=goal.team_id, goal_id=goal.id or 0, actor_id=checkin.user_id, now=now
        )
        milestone = milestone or completed.streak_milestone
    return CheckInResult(goal, checkin, prompt, counted, milestone, completed, coaches)


def count_answer(session: Session, goal: Goal, now: datetime) -> int | None:
    """An answered prompt grows the streak; the milestone it reaches, the first time."""
    goal.streak += 1
    goal.best_streak = max(goal.best_streak, goal.streak)
    goal.missed_in_row = 0
    if goal.streak in STREAK_MILESTONES and reach_streak(session, goal, goal.streak, now):
        return goal.streak
    return None
