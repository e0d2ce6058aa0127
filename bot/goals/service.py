"""Goal and check-in use cases: what the Slack edge and the jobs ask of goals.

Each use case resolves the people it needs, owns its transaction, applies the rules (the
session-level steps in ``lifecycle``, ``checkins`` and ``due``), queues what the result sends
(``messages``) and returns what happened. Other capabilities use goals through this module:
the rules and steps they need are named here too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.celebrations.service import milestones_in_channel
from bot.deps import Deps
from bot.events import once
from bot.goals import lifecycle, messages
from bot.goals.checkins import CheckInResult, record_checkin
from bot.goals.errors import AwayInThePastError, GoalNotFoundError, PromptClosedError
from bot.goals.ids import MenuVerb
from bot.goals.lifecycle import (
    archive_goal,
    complete_goal,
    create_goal,
    ensure_open,
    own_goal,
    pause_goal,
    resume_goal,
    update_goal,
)
from bot.goals.parse import Answer, GoalForm, Note, Pause
from bot.goals.rules import GoalDraft, GoalSpec, can_view, check_draft
from bot.outbox.envelope import OutMessage
from storage import goals as store
from storage.models.goals import Goal, PromptStatus

__all__ = [  # the use cases, and what other capabilities and tests take from the room
    "Answered",
    "Changed",
    "CheckInResult",
    "GoalDraft",
    "GoalSpec",
    "answer_prompt",
    "can_view",
    "change_goal",
    "check_in_with_note",
    "create_goal",
    "goal_to_note",
    "open_goal",
    "pause",
    "save_goal",
    "set_away",
]


def save_goal(
    deps: Deps,
    *,
    team_id: str,
    owner_id: str,
    form: GoalForm,
    on_saved: Callable[[Session, Goal], None] | None = None,
) -> dict[str, str]:
    """Set a goal from the goal modal (or edit one), with the owner's confirmation queued.
    The field errors of a draft that does not pass (then nothing is saved), else none; a goal
    that cannot be edited raises its ``BravoError``. ``on_saved``: run in the same transaction
    with the goal saved (a capability above goals linking it to where it came from)."""
    now = deps.clock()
    owner = deps.directory.person(team_id=team_id, user_id=owner_id, now=now)
    spec, errors = check_draft(
        form.draft,
        skills=deps.config(team_id).kudos.values,
        today=now.astimezone(owner.zone).date(),
    )
    if spec is None:
        return errors
    edited = form.goal_id is not None
    with deps.db.write() as session:
        if form.goal_id is not None:
            goal = update_goal(
                session, team_id=team_id, goal_id=form.goal_id, owner=owner, spec=spec, now=now
            )
        else:
            goal = create_goal(
                session,
                team_id=team_id,
                owner=owner,
                spec=spec,
                channel_id=form.channel_id,
                now=now,
            )
        if on_saved is not None:
            on_saved(session, goal)
        coaches = lifecycle.coaches_of(session, goal)
        saved = messages.goal_saved(goal, owner.zone, edited=edited, coaches=coaches)
        _queue(deps, session, team_id, [saved])
    deps.deliverer.kick()
    return {}


@dataclass(frozen=True)
class Answered:
    """A prompt answered by its buttons, and the prompt as its owner should now see it (the
    one acknowledgement: it tells a milestone or the goal completed too)."""

    result: CheckInResult
    ack: dict[str, object]


def answer_prompt(
    deps: Deps, *, team_id: str, actor_id: str, answer: Answer, key: str | None = None
) -> Answered:
    """A prompt's status button: the check-in, and what it sends (alerts, completion)."""
    kudos_channel = deps.config(team_id).kudos.kudos_channel
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        result = record_checkin(
            session,
            team_id=team_id,
            actor_id=actor_id,
            goal_id=None,
            prompt_id=answer.prompt_id,
            status=answer.status,
            now=deps.clock(),
        )
        in_channel = _milestones_in_channel(session, result)
        sent = messages.checkin_messages(result, kudos_channel, from_prompt_buttons=True)
        _queue(deps, session, team_id, sent)
    deps.deliverer.kick()
    ack = messages.checkin_ack(result, messages.milestone_told(result, in_channel))
    return Answered(result, ack)


def goal_to_note(deps: Deps, *, team_id: str, actor_id: str, prompt_id: int | None) -> Goal:
    """The goal whose open prompt ``actor_id`` wants to answer with a note."""
    with deps.db.read() as session:
        prompt = store.get_prompt(session, team_id=team_id, prompt_id=prompt_id or 0)
        if prompt is None:
            raise GoalNotFoundError()
        goal = own_goal(
            session, team_id=team_id, goal_id=prompt.goal_id, actor_id=actor_id, lock=False
        )
        if prompt.status != PromptStatus.OPEN:
            raise PromptClosedError(prompt.status)
    return goal


def check_in_with_note(deps: Deps, *, team_id: str, actor_id: str, note: Note) -> CheckInResult:
    """The note modal: the check-in (answering the prompt it came from, or the one waiting),
    what it sends, and the owner's confirmation."""
    kudos_channel = deps.config(team_id).kudos.kudos_channel
    with deps.db.write() as session:
        result = record_checkin(
            session,
            team_id=team_id,
            actor_id=actor_id,
            goal_id=note.goal_id,
            prompt_id=note.prompt_id,
            status=note.status,
            progress=note.progress,
            went_well=note.went_well,
            next_step=note.next_step,
            now=deps.clock(),
        )
        sent = messages.checkin_messages(
            result,
            kudos_channel,
            from_prompt_buttons=False,
            in_channel=_milestones_in_channel(session, result),
        )
        _queue(deps, session, team_id, sent)
    deps.deliverer.kick()
    return result


def open_goal(deps: Deps, *, team_id: str, actor_id: str, goal_id: int) -> Goal:
    """``actor_id``'s goal still being worked on, to open a form on it (check in, edit, pause)."""
    with deps.db.read() as session:
        goal = own_goal(session, team_id=team_id, goal_id=goal_id, actor_id=actor_id, lock=False)
        ensure_open(goal)
    return goal


@dataclass(frozen=True)
class Changed:
    """A goal resumed, completed or archived from its menu, and its owner's time zone."""

    goal: Goal
    zone: ZoneInfo
    milestone: int | None = None  # a streak milestone the completion brought


def change_goal(
    deps: Deps, *, team_id: str, actor_id: str, goal_id: int, verb: MenuVerb, key: str | None = None
) -> Changed:
    """Resume, complete or archive a goal (``verb``); a goal closed sends its celebrations and
    takes the buttons off its open prompts."""
    now = deps.clock()
    owner = deps.directory.person(team_id=team_id, user_id=actor_id, now=now)
    kudos_channel = deps.config(team_id).kudos.kudos_channel
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        if verb == MenuVerb.RESUME:
            goal = resume_goal(session, team_id=team_id, goal_id=goal_id, owner=owner, now=now)
            milestone = None
        else:
            close = complete_goal if verb == MenuVerb.COMPLETE else archive_goal
            closed = close(session, team_id=team_id, goal_id=goal_id, actor_id=actor_id, now=now)
            sent = messages.closed_messages(closed, kudos_channel)
            _queue(deps, session, team_id, sent)
            goal, milestone = closed.goal, closed.streak_milestone
    deps.deliverer.kick()
    return Changed(goal, owner.zone, milestone)


def pause(deps: Deps, *, team_id: str, owner_id: str, pause: Pause) -> Goal:
    """No check-ins on the goal through the date chosen; its streak is kept."""
    now = deps.clock()
    owner = deps.directory.person(team_id=team_id, user_id=owner_id, now=now)
    with deps.db.write() as session:
        return pause_goal(
            session, team_id=team_id, goal_id=pause.goal_id, owner=owner, until=pause.until, now=now
        )


def set_away(
    deps: Deps, *, team_id: str, user_id: str, until: date | None, key: str | None = None
) -> bool:
    """No check-ins on any of the person's goals through ``until`` (their local date; None:
    back now). Returns whether they were away before. A date already past raises
    ``AwayInThePastError``."""
    now = deps.clock()
    person = deps.directory.person(team_id=team_id, user_id=user_id, now=now)
    today = now.astimezone(person.zone).date()
    if until is not None and until < today:
        raise AwayInThePastError(until.isoformat())
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        return lifecycle.set_away(
            session, team_id=team_id, user_id=user_id, until=until, today=today
        )


def _milestones_in_channel(session: Session, result: CheckInResult) -> frozenset[str]:
    """The owner, when their new streak milestone goes to their team channel, not a DM."""
    owner = [result.goal.owner_id] if result.streak_milestone else []
    return milestones_in_channel(session, team_id=result.goal.team_id, user_ids=owner)


def _queue(deps: Deps, session: Session, team_id: str, sent: Sequence[OutMessage]) -> None:
    if sent:
        deps.outbox.enqueue(session, team_id, list(sent), deps.clock())
