"""The rules of a goal that need no database: checking a draft, its cadence, who may see it.

Pure functions: the use cases (``service.py``) and the renderers share them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.cadence import Cadence, monday_of, parse_hhmm
from bot.goals import ids
from bot.goals.errors import too_long
from storage.models.goals import CadenceKind, CheckInStatus, Goal, GoalStatus, Visibility

VISIBILITIES = tuple(Visibility)
CHECKIN_STATUSES = tuple(CheckInStatus)
CADENCE_KINDS = tuple(CadenceKind)
STREAK_MILESTONES = (4, 12, 26, 52)
MAX_PAUSE_DAYS = 366
SHARED_WITH_COACHES = (Visibility.COACH, Visibility.PUBLIC)
OPEN = (GoalStatus.ACTIVE, GoalStatus.PAUSED)  # goals still being worked on


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
    visibility: Visibility


def check_draft(
    draft: GoalDraft, *, skills: Sequence[str], today: date
) -> tuple[GoalSpec | None, dict[str, str]]:
    """A spec, or field errors keyed by the goal modal's block ids (``ids.WHAT``...).
    ``today`` is the owner's local date."""
    errors: dict[str, str] = {}
    what, measure = draft.what.strip(), draft.measure.strip()
    if len(what) < 5:
        errors[ids.WHAT] = "Say what you will do, specifically (e.g. 'Answer every chat in 2 min')."
    elif len(what) > ids.LIMITS[ids.WHAT]:
        errors[ids.WHAT] = too_long(ids.LIMITS[ids.WHAT], len(what))
    if not measure:
        errors[ids.MEASURE] = (
            "How will you know you are progressing? e.g. 'CSAT of my chats >= 4.6'."
        )
    elif len(measure) > ids.LIMITS[ids.MEASURE]:
        errors[ids.MEASURE] = too_long(ids.LIMITS[ids.MEASURE], len(measure))
    if draft.skill not in skills:
        errors[ids.SKILL] = "Pick the skill this goal builds."
    if draft.target_date is None:
        errors[ids.TARGET] = "Pick a target date: when should this be achieved?"
    elif draft.target_date <= today:
        errors[ids.TARGET] = "The target date has to be in the future."
    elif draft.target_date > today + timedelta(days=3 * 366):
        errors[ids.TARGET] = "Pick a target within three years; break bigger goals into steps."
    if draft.cadence not in CADENCE_KINDS:
        errors[ids.CADENCE] = "Pick how often to check in."
    if not 0 <= draft.weekday <= 6:
        errors[ids.DAY] = "Pick a day of the week."
    minute = parse_hhmm(draft.time_text)
    if minute is None:
        errors[ids.TIME] = "That isn't a time of day; use HH:MM, e.g. 09:30."
    if draft.visibility not in VISIBILITIES:
        errors[ids.VISIBILITY] = "Pick who may see this goal."
    if errors or minute is None or draft.target_date is None:
        return None, errors
    kind = CadenceKind(draft.cadence)
    cadence = Cadence(kind, weekday=draft.weekday, minute=minute, anchor=monday_of(today))
    visibility = Visibility(draft.visibility)
    return GoalSpec(what, measure, draft.skill, draft.target_date, cadence, visibility), {}


def cadence_of(goal: Goal) -> Cadence:
    return Cadence(
        goal.cadence,
        weekday=goal.cadence_day,
        minute=goal.cadence_minute,
        anchor=goal.cadence_anchor,
    )


def can_view(goal: Goal, viewer_id: str, coaches: Sequence[str]) -> bool:
    """The owner always; an active coach when the goal is shared with coaches (``coach``, and
    ``public`` goals while in progress); everyone once a ``public`` goal is completed."""
    if viewer_id == goal.owner_id:
        return True
    if goal.visibility in SHARED_WITH_COACHES and viewer_id in coaches:
        return True
    return goal.visibility == Visibility.PUBLIC and goal.status == GoalStatus.COMPLETED


def shared_with_coach(goal: Goal) -> bool:
    return goal.visibility in SHARED_WITH_COACHES
