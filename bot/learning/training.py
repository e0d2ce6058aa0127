"""Training use cases: a course recorded (``record``), a person's list (``trainings``), a
coachee's training as their coach sees it (``training_for_viewer``, and the one-on-one prep's
``training_lines_for``), its next step made a goal in one click (``make_goal``), and the
person's choice to let their coaches see it (``set_shared_with_coaches``).

Who sees training: the person who recorded it, and their ACTIVE coaches once the person turns
``user_pref.learning_to_coaches`` on. Nobody else, admins included; everyone refused is told the
same words (``TrainingNotSharedError``), so nobody learns whether there is any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NoReturn
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.coaching.service import live_between
from bot.deps import Deps
from bot.errors import BravoError
from bot.events import once
from bot.goals.service import GoalDraft, GoalForm, save_goal
from bot.learning import ids
from bot.learning.skills import nearest, skills_of
from bot.learning.training_errors import (
    AlreadyAGoalError,
    CourseSkillError,
    GoalNotMadeError,
    LinkError,
    NoNextStepError,
    TrainingNotFoundError,
    TrainingNotSharedError,
)
from bot.learning.training_parse import Recorded, resolve_date
from bot.text import plain, said, trim
from storage import training as store
from storage.models.coaching import PairingStatus
from storage.models.goals import CadenceKind, Goal, Visibility
from storage.models.learning import Training

GOAL_WEEKS = 4  # a goal made from a next step: its target, four weeks on
GOAL_TIME = "09:00"  # its weekly check-in, on the weekday it was made


def check_skill(deps: Deps, team_id: str, typed: str | None) -> str | None:
    """A skill of the workspace, or ``CourseSkillError`` with the nearest one."""
    if typed is None:
        return None
    skills = skills_of(deps, team_id)
    word = typed.strip().lstrip("#").lower()
    if word in skills:
        return word
    raise CourseSkillError(typed, nearest(word, skills), skills)


def _check_link(link: str | None) -> str | None:
    if link is None:
        return None
    if not link.startswith(("https://", "http://")) or len(link) > 1000 or " " in link:
        raise LinkError()
    return link


@dataclass(frozen=True)
class Saved:
    training: Training
    zone: ZoneInfo
    fresh: bool  # False: the same request again (nothing new saved)
    shared: bool  # the person lets their coaches see their training


def record(deps: Deps, *, team_id: str, user_id: str, asked: Recorded, key: str | None) -> Saved:
    """A course the person took, saved privately. ``key``: the command's or form's; a replay
    saves nothing (``Replayed``). The date is read in the person's time zone."""
    key = key or f"course:{uuid4().hex}"
    now = deps.clock()
    zone = deps.directory.person(team_id=team_id, user_id=user_id, now=now).zone
    taken_on = resolve_date(asked.when, now.astimezone(zone).date())
    skill = check_skill(deps, team_id, asked.skill)
    link = _check_link(asked.link)
    values = {
        "team_id": team_id,
        "user_id": user_id,
        "title": asked.title,
        "skill": skill,
        "taken_on": taken_on,
        "next_step": asked.next_step,
        "link": link,
        "request_key": key[:64],
        "created_at": now,
        "updated_at": now,
    }
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row, fresh = store.insert_training(session, values)
        shared = store.shared_with_coaches(session, team_id=team_id, user_id=user_id)
    return Saved(row, zone, fresh, shared)


def today_for(deps: Deps, *, team_id: str, user_id: str) -> date:
    """The person's date now (their Slack time zone): the course form's first date."""
    now = deps.clock()
    zone = deps.directory.person(team_id=team_id, user_id=user_id, now=now).zone
    return now.astimezone(zone).date()


# Who sees it ---------------------------------------------------------------------------------


def _coaches(session: Session, *, team_id: str, viewer_id: str, person_id: str) -> bool:
    pairs = live_between(session, team_id=team_id, one=viewer_id, other=person_id)
    return any(
        p.status == PairingStatus.ACTIVE and p.coach_id == viewer_id and p.coachee_id == person_id
        for p in pairs
    )


def may_see(session: Session, *, team_id: str, viewer_id: str, person_id: str) -> bool:
    """The person themself, or an active coach of theirs when they share their training."""
    if viewer_id == person_id:
        return True
    if not store.shared_with_coaches(session, team_id=team_id, user_id=person_id):
        return False
    return _coaches(session, team_id=team_id, viewer_id=viewer_id, person_id=person_id)


@dataclass(frozen=True)
class Shown:
    """``person_id``'s training as ``viewer_id`` may see it (newest first, bounded)."""

    person_id: str
    viewer_id: str
    rows: list[Training]
    more: bool  # there is older training than the rows shown
    shared: bool  # the person lets their coaches see it


def trainings(deps: Deps, *, team_id: str, user_id: str) -> Shown:
    """``/learned course list``: the person's own training."""
    return training_for_viewer(deps, team_id=team_id, viewer_id=user_id, person_id=user_id)


def training_for_viewer(deps: Deps, *, team_id: str, viewer_id: str, person_id: str) -> Shown:
    """``/learned course list @ana``: Ana's training, for Ana or an active coach of hers when
    she shares it; ``TrainingNotSharedError`` for everyone else (admins too)."""
    with deps.db.read() as session:
        if not may_see(session, team_id=team_id, viewer_id=viewer_id, person_id=person_id):
            raise TrainingNotSharedError()
        rows = store.trainings_of(
            session, team_id=team_id, user_id=person_id, limit=ids.TRAINING_SHOWN + 1
        )
        shared = store.shared_with_coaches(session, team_id=team_id, user_id=person_id)
    shown = rows[: ids.TRAINING_SHOWN]
    return Shown(person_id, viewer_id, shown, len(rows) > len(shown), shared)


PREP_SHOWN = 5  # training lines in a one-on-one's prep note


def training_lines_for(
    session: Session, *, team_id: str, coach_id: str, coachee_id: str, since: date
) -> list[str]:
    """For the coach's one-on-one prep (in the caller's transaction): the coachee's training
    taken since ``since``, one mention-safe mrkdwn line each, newest first, at most
    ``PREP_SHOWN``; nothing at all unless ``coach_id`` actively coaches the coachee and the
    coachee lets their coaches see it."""
    if coach_id == coachee_id or not may_see(
        session, team_id=team_id, viewer_id=coach_id, person_id=coachee_id
    ):
        return []
    rows = store.trainings_of(
        session, team_id=team_id, user_id=coachee_id, limit=PREP_SHOWN, since=since
    )
    return [training_line(r) for r in rows]


def training_line(row: Training) -> str:
    """One training as a line: the course, its date and skill, what they will try next."""
    skill = f" · #{row.skill}" if row.skill else ""
    line = f"*{said(row.title)}* ({row.taken_on:%-d %b %Y}{skill})"
    if row.next_step:
        line += f" — next: {said(trim(row.next_step, 300))}"
    return line


# Make it a goal ------------------------------------------------------------------------------


def _own(session: Session, team_id: str, training_id: int, actor_id: str, lock: bool) -> Training:
    row = store.get_training(session, team_id=team_id, training_id=training_id, lock=lock)
    if row is None or row.user_id != actor_id:
        raise TrainingNotFoundError()
    return row


def _draft(row: Training, skills: tuple[str, ...], today: date, shared: bool) -> GoalDraft:
    title = plain(row.title)
    return GoalDraft(
        what=plain(row.next_step),
        measure=trim(f"I tried it and noted how it went (from the training “{title}”)", 1000),
        skill=row.skill if row.skill in skills else (skills[0] if skills else ""),
        target_date=today + timedelta(weeks=GOAL_WEEKS),
        cadence=CadenceKind.WEEKLY,
        weekday=today.weekday(),
        time_text=GOAL_TIME,
        visibility=Visibility.COACH if shared else Visibility.PRIVATE,
    )


def _refuse(deps: Deps, team_id: str, key: str | None, err: BravoError) -> NoReturn:
    """Raise ``err``, once: its request's key is claimed first, so a replay of a refused click
    says nothing again (``Replayed``)."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
    raise err


def make_goal(
    deps: Deps, *, team_id: str, training_id: int, actor_id: str, key: str | None
) -> Training:
    """**Make it a goal**: the training's next step becomes the owner's goal (saved by the goals
    room, which tells them), linked to the training in the goal's own transaction. Only the
    owner; once (a second click: ``AlreadyAGoalError``; a replay: ``Replayed``)."""
    now = deps.clock()
    with deps.db.read() as session:
        row = store.get_training(session, team_id=team_id, training_id=training_id)
        shared = store.shared_with_coaches(session, team_id=team_id, user_id=actor_id)
    if row is None or row.user_id != actor_id:
        _refuse(deps, team_id, key, TrainingNotFoundError())
    if row.goal_id is not None:
        _refuse(deps, team_id, key, AlreadyAGoalError())
    if not row.next_step.strip():
        _refuse(deps, team_id, key, NoNextStepError())
    zone = deps.directory.person(team_id=team_id, user_id=actor_id, now=now).zone
    today = now.astimezone(zone).date()
    draft = _draft(row, deps.config(team_id).kudos.values, today, shared)
    linked: list[Training] = []

    def link(session: Session, goal: Goal) -> None:
        once(session=session, team_id=team_id, key=key, now=now)
        locked = _own(session, team_id, training_id, actor_id, lock=True)
        if locked.goal_id is not None:
            raise AlreadyAGoalError()  # a second click meanwhile: its goal rolls back
        locked.goal_id, locked.updated_at = goal.id, now
        store.save(session, locked)
        linked.append(locked)

    form = GoalForm(draft, None, None)
    errors = save_goal(deps, team_id=team_id, owner_id=actor_id, form=form, on_saved=link)
    if errors:
        _refuse(deps, team_id, key, GoalNotMadeError(" ".join(errors.values())))
    return linked[0]


# The person's choice -------------------------------------------------------------------------


def set_shared_with_coaches(deps: Deps, *, team_id: str, user_id: str, on: bool) -> None:
    """The person's choice (only they make it: the caller is the person)."""
    with deps.db.write() as session:
        store.set_shared_with_coaches(session, team_id=team_id, user_id=user_id, on=on)


def shared_in(session: Session, *, team_id: str, user_id: str) -> bool:
    return store.shared_with_coaches(session, team_id=team_id, user_id=user_id)


def recent_in(session: Session, *, team_id: str, user_id: str, limit: int) -> list[Training]:
    """The person's latest training, for their own Home tab (one bounded read)."""
    return store.trainings_of(session, team_id=team_id, user_id=user_id, limit=limit)
