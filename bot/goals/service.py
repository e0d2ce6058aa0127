"""Goal and check-in services: set, edit, pause, complete, check in, and what falls due.

Typed and Slack-free: callers pass a session (one transaction), people and the time; results say
what happened so the caller can render and queue messages in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import (
    CADENCES,
    Cadence,
    add_working_hours,
    monday_of,
    next_due,
    parse_hhmm,
)
from bot.goals import tips
from bot.goals.errors import (
    GoalClosedError,
    GoalNotFoundError,
    InvalidPauseError,
    NotYourGoalError,
    PromptClosedError,
)
from bot.settings import GoalRules
from bot.users import Person, zone_or_utc
from storage import goals as store
from storage import kudos as ledger
from storage.models import CheckIn, CheckInPrompt, Goal, TipSeen
from storage.models.kudos import MilestoneKind

VISIBILITIES = ("private", "coach", "public")
CHECKIN_STATUSES = ("on_track", "at_risk", "blocked", "done")
STREAK_MILESTONES = (4, 12, 26, 52)
MAX_PAUSE_DAYS = 366


# Drafts from the goal modal ------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDraft:
    """What the modal sent, unchecked."""

    what: str
    measure: str
    skill: str
    target_date: date | None
    cadence: str
    weekday: int
    time_text: str
    visibility: str


@dataclass(frozen=True)
class GoalSpec:
    """A checked draft."""

    what: str
    measure: str
    skill: str
    target_date: date
    cadence: Cadence
    visibility: str


def check_draft(
    draft: GoalDraft, *, skills: Sequence[str], today: date, max_chars: int
) -> tuple[GoalSpec | None, dict[str, str]]:
    """A spec, or field errors keyed ``what|measure|skill|target|cadence|day|time|visibility``.
    ``today`` is the owner's local date."""
    errors: dict[str, str] = {}
    what, measure = draft.what.strip(), draft.measure.strip()
    if len(what) < 5:
        errors["what"] = "Say what you will do, specifically (e.g. 'Answer every chat in 2 min')."
    elif len(what) > max_chars:
        errors["what"] = f"Please keep this under {max_chars} characters (now {len(what)})."
    if not measure:
        errors["measure"] = "How will you know you are progressing? e.g. 'CSAT of my chats >= 4.6'."
    elif len(measure) > max_chars:
        errors["measure"] = f"Please keep this under {max_chars} characters (now {len(measure)})."
    if draft.skill not in skills:
        errors["skill"] = "Pick the skill this goal builds."
    if draft.target_date is None:
        errors["target"] = "Pick a target date: when should this be achieved?"
    elif draft.target_date <= today:
        errors["target"] = "The target date has to be in the future."
    elif draft.target_date > today + timedelta(days=3 * 366):
        errors["target"] = "Pick a target within three years; break bigger goals into steps."
    if draft.cadence not in CADENCES:
        errors["cadence"] = "Pick how often to check in."
    if not 0 <= draft.weekday <= 6:
        errors["day"] = "Pick a day of the week."
    minute = parse_hhmm(draft.time_text)
    if minute is None:
        errors["time"] = "That isn't a time of day; use HH:MM, e.g. 09:30."
    if draft.visibility not in VISIBILITIES:
        errors["visibility"] = "Pick who may see this goal."
    if errors or minute is None or draft.target_date is None:
        return None, errors
    cadence = Cadence(draft.cadence, weekday=draft.weekday, minute=minute, anchor=monday_of(today))
    spec = GoalSpec(what, measure, draft.skill, draft.target_date, cadence, draft.visibility)
    return spec, {}


def cadence_of(goal: Goal) -> Cadence:
    return Cadence(
        goal.cadence,
        weekday=goal.cadence_day,
        minute=goal.cadence_minute,
        anchor=goal.cadence_anchor,
    )


# Who may see what ----------------------------------------------------------------------------


def can_view(goal: Goal, viewer_id: str, coaches: Sequence[str]) -> bool:
    """The owner always; an active coach when the goal is shared with coaches (``coach``, and
    ``public`` goals while in progress); everyone once a ``public`` goal is completed."""
    if viewer_id == goal.owner_id:
        return True
    if goal.visibility in {"coach", "public"} and viewer_id in coaches:
        return True
    return goal.visibility == "public" and goal.status == "completed"


def shared_with_coach(goal: Goal) -> bool:
    return goal.visibility in {"coach", "public"}


# Setting and changing goals ------------------------------------------------------------------


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
    session: Session, team_id: str, goal_id: int, actor_id: str, *, lock: bool = True
) -> Goal:
    """The actor's goal (row-locked for a change unless ``lock=False``), or why they can't."""
    goal = store.get_goal(session, team_id, goal_id, lock=lock)
    if goal is None:
        raise GoalNotFoundError()
    if goal.owner_id != actor_id:
        raise NotYourGoalError()
    return goal


def ensure_open(goal: Goal) -> None:
    if goal.status in {"completed", "archived"}:
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
    goal = own_goal(session, team_id, goal_id, owner.user_id)
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
    if goal.status == "paused" and goal.paused_until is not None:
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
    goal = own_goal(session, team_id, goal_id, owner.user_id)
    ensure_open(goal)
    goal.status, goal.paused_until, goal.tz = "paused", until, owner.tz
    goal.next_due_at = _resume_at(goal, owner.zone, now)
    goal.updated_at = now
    store.save(session, goal)
    return goal


def resume_goal(
    session: Session, *, team_id: str, goal_id: int, owner: Person, now: datetime
) -> Goal:
    goal = own_goal(session, team_id, goal_id, owner.user_id)
    ensure_open(goal)
    goal.status, goal.paused_until, goal.tz = "active", None, owner.tz
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


def _close_goal(session: Session, goal: Goal, status: str, now: datetime) -> list[CheckInPrompt]:
    goal.status, goal.next_due_at, goal.updated_at = status, None, now
    if status == "completed":
        goal.completed_at = now
    closed = []
    for prompt in store.open_prompts(session, goal.id or 0):
        if store.close_prompt(session, prompt.id or 0, "closed", now, answered=False):
            closed.append(prompt)
    store.save(session, goal)
    return closed


def complete_goal(
    session: Session, *, team_id: str, goal_id: int, actor_id: str, now: datetime
) -> Closed:
    goal = own_goal(session, team_id, goal_id, actor_id)
    ensure_open(goal)
    closed = _close_goal(session, goal, "completed", now)
    milestone = _best_milestone_reached(session, goal, now)
    return Closed(
        goal, tuple(closed), tuple(store.coaches_of(session, team_id, goal.owner_id)), milestone
    )


def archive_goal(
    session: Session, *, team_id: str, goal_id: int, actor_id: str, now: datetime
) -> Closed:
    goal = own_goal(session, team_id, goal_id, actor_id)
    if goal.status == "archived":
        raise GoalClosedError("archived")
    closed = _close_goal(session, goal, "archived", now)
    return Closed(goal, tuple(closed), ())


def _best_milestone_reached(session: Session, goal: Goal, now: datetime) -> int | None:
    """Record streak milestones up to the goal's best streak; the highest new one, if any."""
    new = None
    for threshold in STREAK_MILESTONES:
        if goal.best_streak >= threshold and ledger.reach_milestone(
            session,
            team_id=goal.team_id,
            user_id=goal.owner_id,
            kind=MilestoneKind.CHECKIN_STREAK,
            threshold=threshold,
            now=now,
        ):
            new = threshold
    return new


# Check-ins -----------------------------------------------------------------------------------


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
    prompt: CheckInPrompt | None = None
    if prompt_id is not None:
        prompt = store.get_prompt(session, team_id, prompt_id)
        if prompt is None:
            raise GoalNotFoundError()
        if prompt.user_id != actor_id:
            raise NotYourGoalError()
        goal_id = prompt.goal_id
    goal = own_goal(session, team_id, goal_id or 0, actor_id)
    ensure_open(goal)
    if prompt is not None:
        if not store.close_prompt(session, prompt.id or 0, "answered", now, answered=True):
            session.refresh(prompt)
            raise PromptClosedError(prompt.status)
    else:
        # Checking in on your own answers the prompt that is waiting, if there is one.
        for waiting in store.open_prompts(session, goal.id or 0):
            if store.close_prompt(session, waiting.id or 0, "answered", now, answered=True):
                prompt = waiting
    checkin = store.add_checkin(
        session,
        CheckIn(
            team_id=team_id,
            goal_id=goal.id or 0,
            user_id=actor_id,
            status=status,
            progress=progress.strip(),
            went_well=went_well.strip(),
            next_step=next_step.strip(),
            prompt_id=prompt.id if prompt else None,
            source="prompt" if prompt_id is not None else ("note" if prompt else "self"),
            created_at=now,
        ),
    )
    counted = prompt is not None
    milestone = _count_answer(session, goal, now) if counted else None
    goal.last_status, goal.last_checkin_at, goal.updated_at = status, now, now
    goal.last_progress = progress.strip() or None  # a note belongs to its own status only
    store.save(session, goal)
    coaches = (
        tuple(store.coaches_of(session, team_id, goal.owner_id)) if shared_with_coach(goal) else ()
    )
    completed = None
    if status == "done":
        completed = complete_goal(
            session, team_id=team_id, goal_id=goal.id or 0, actor_id=actor_id, now=now
        )
        milestone = milestone or completed.streak_milestone
    return CheckInResult(goal, checkin, prompt, counted, milestone, completed, coaches)


def _count_answer(session: Session, goal: Goal, now: datetime) -> int | None:
    goal.streak += 1
    goal.best_streak = max(goal.best_streak, goal.streak)
    goal.missed_in_row = 0
    if goal.streak in STREAK_MILESTONES and ledger.reach_milestone(
        session,
        team_id=goal.team_id,
        user_id=goal.owner_id,
        kind=MilestoneKind.CHECKIN_STREAK,
        threshold=goal.streak,
        now=now,
    ):
        return goal.streak
    return None


def set_away(session: Session, *, team_id: str, user_id: str, until: date | None) -> None:
    store.set_away(session, team_id, user_id, until)


# What falls due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """What the scheduler did with one due goal."""

    goal: Goal
    due_at: datetime
    outcome: str  # prompt | paused | away | late | recent | left | moved | taken | gone
    prompt: CheckInPrompt | None = None
    tip: tips.Tip | None = None
    missed: tuple[CheckInPrompt, ...] = ()
    skipped: tuple[CheckInPrompt, ...] = ()  # open prompts set aside by a pause or vacation
    alert_coaches: tuple[str, ...] = ()  # missed in a row: tell these coaches
    extra: dict[str, object] = field(default_factory=dict)


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
) -> Due | None:
    """Handle one goal whose check-in time has come, as of ``at``: prompt its owner (once), or
    skip this time for a pause, a vacation, a recent check-in of their own, a departed owner, or
    a due time older than the grace period. Always moves ``next_due_at`` past ``at``, so a
    process that was down sends one late prompt, never a burst. None when it is not due.

    A batch passes the goal it has already ``locked`` and the rows it read for all its goals
    (``pre``); alone, the goal and those rows are read here."""
    pre = pre or store.DueLookups()
    goal = locked if locked is not None else store.get_goal(session, team_id, goal_id, lock=True)
    if goal is None or goal.status not in store.SCHEDULED or goal.next_due_at is None:
        return None
    due = goal.next_due_at
    if due > at:
        return None  # another process got here first and moved it on
    cadence = cadence_of(goal)
    if owner is None or not owner.known or owner.deleted:
        goal.next_due_at = None
        store.save(session, goal)
        return Due(goal, due, "left")
    zone = owner.zone
    if owner.tz != goal.tz:
        # They moved time zone: the check-in is at the same local time where they are now.
        goal.tz = owner.tz
        moved = next_due(cadence, zone, due - timedelta(hours=26))
        if moved > at:
            goal.next_due_at = moved
            store.save(session, goal)
            return Due(goal, due, "moved")
        due = moved
    goal.next_due_at = next_due(cadence, zone, at)
    today = at.astimezone(zone).date()
    if goal.status == "paused":
        if goal.paused_until is not None and goal.paused_until >= today:
            return Due(goal, due, "paused", skipped=_set_aside(session, goal, at, pre))
        goal.status, goal.paused_until = "active", None
    away = _away_until(session, pre, team_id, goal.owner_id)
    if away is not None and away >= today:
        return Due(goal, due, "away", skipped=_set_aside(session, goal, at, pre))
    if at - due > timedelta(hours=rules.grace_hours):
        store.save(session, goal)
        return Due(goal, due, "late")
    # The previous prompt was not answered before this one came due: missed.
    missed = tuple(
        p
        for p in _open_prompts(session, pre, goal.id or 0)
        if p.due_at < due and store.close_prompt(session, p.id or 0, "missed", at, answered=False)
    )
    alert: tuple[str, ...] = ()
    if missed:
        goal.streak = 0
        goal.missed_in_row += 1
        if goal.missed_in_row == rules.missed_before_coach_alert and shared_with_coach(goal):
            alert = tuple(store.coaches_of(session, team_id, goal.owner_id))
    recent = [
        c
        for c in _checkins_since(session, pre, goal.id or 0, due - cadence.period / 2)
        if c.prompt_id is None
    ]
    if recent:
        _count_answer(session, goal, at)
        store.save(session, goal)
        return Due(goal, due, "recent", missed=missed, alert_coaches=alert)
    seen = _tips_seen(session, pre, team_id, goal.owner_id, goal.skill)
    tip, new_round = tips.choose_tip(
        goal.skill,
        {s.tip_id for s in seen},
        last=seen[-1].tip_id if seen else None,
        salt=_salt(goal.owner_id),
    )
    sent_at = max(at, due)
    remind_at = add_working_hours(sent_at, rules.reminder_working_hours, zone)
    prompt = store.add_prompt(
        session,
        {
            "team_id": team_id,
            "goal_id": goal.id,
            "user_id": goal.owner_id,
            "due_at": due,
            "tip_id": tip.id,
            "status": "open",
            "remind_at": remind_at if remind_at < goal.next_due_at else None,
            "created_at": at,
        },
    )
    store.save(session, goal)
    if prompt is None:
        return Due(goal, due, "taken", missed=missed, alert_coaches=alert)
    store.remember_tip(session, team_id, goal.owner_id, goal.skill, tip.id, at, new_round=new_round)
    _note_tip(pre, team_id, goal.owner_id, goal.skill, tip.id, at, new_round=new_round)
    return Due(goal, due, "prompt", prompt=prompt, tip=tip, missed=missed, alert_coaches=alert)


def _set_aside(
    session: Session, goal: Goal, at: datetime, pre: store.DueLookups
) -> tuple[CheckInPrompt, ...]:
    """A pause or vacation closes the prompt still waiting without counting it as missed, so
    the streak survives the time away."""
    store.save(session, goal)
    return tuple(
        p
        for p in _open_prompts(session, pre, goal.id or 0)
        if store.close_prompt(session, p.id or 0, "closed", at, answered=False)
    )


# Each reads from the batch's lookups when it holds the answer, else from the database.


def _away_until(session: Session, pre: store.DueLookups, team_id: str, user_id: str) -> date | None:
    if (team_id, user_id) in pre.away:
        return pre.away[(team_id, user_id)]
    return store.away_until(session, team_id, user_id)


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
    session: Session, pre: store.DueLookups, team_id: str, user_id: str, skill: str
) -> list[TipSeen]:
    if (team_id, user_id, skill) in pre.tips:
        return pre.tips[(team_id, user_id, skill)]
    return store.tips_seen(session, team_id, user_id, skill)


def _note_tip(
    pre: store.DueLookups,
    team_id: str,
    user_id: str,
    skill: str,
    tip_id: str,
    at: datetime,
    *,
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


def owner_zone(goal: Goal) -> ZoneInfo:
    return zone_or_utc(goal.tz)
