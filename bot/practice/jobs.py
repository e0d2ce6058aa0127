"""The weekday plan: a scenario for each person whose ``practice_plan.next_at`` has come, at
their local time (``bot.cadence``: through the local calendar date, so daylight-saving changes
keep it at the same wall-clock time; weekends are not practice days).

A slot sends one round, keyed by person and local date (``plan:<user>:<date>``): a job run
twice, by a retry, a restart or a second process, sends nothing twice. The streak is forgiving,
as check-ins' is: a planned scenario still undone when the next one comes breaks it (unless the
person practised another way since), but a day away (a Slack status that says so, or ``/goal
away``) sends nothing, sets the waiting scenario aside and keeps the streak."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime

from sqlmodel import Session

from bot.cadence import next_due
from bot.deps import Deps, SendCheck
from bot.practice import catalog
from bot.practice.errors import NoScenarioError
from bot.practice.scenarios import Scenario
from bot.practice.service import cadence_of, new_round
from bot.users import person_from_cache, zone_or_utc
from storage import goals as goal_store
from storage import practice as store
from storage import users as user_store
from storage.models.practice import PracticePlan, PracticeRound, RoundStatus

log = logging.getLogger(__name__)
BATCH = 200


def run_practice_plans(deps: Deps, at: datetime) -> Counter[str]:
    """Every plan due at ``at``: a scenario sent, or the slot skipped for a reason (away, no
    scenario, the workspace cannot be sent to), and the plan moved on to its next weekday."""
    counts: Counter[str] = Counter()
    tried: set[tuple[str, str]] = set()
    skipped = SendCheck(deps, "practice plans")
    while True:
        with deps.db.read() as session:
            due = [d for d in store.due_plans(session, at, BATCH) if d not in tried]
        if not due:
            break
        tried.update(due)
        by_team: dict[str, list[str]] = {}
        for team_id, user_id in due:
            by_team.setdefault(team_id, []).append(user_id)
        for team_id, users in by_team.items():
            counts += _team_plans(deps, team_id, users, at, installed=not skipped(team_id))
    deps.deliverer.kick()
    return counts


def _team_plans(
    deps: Deps, team_id: str, users: list[str], at: datetime, *, installed: bool
) -> Counter[str]:
    counts: Counter[str] = Counter()
    scenarios: dict[str, Scenario] = {}
    if installed:
        try:
            scenarios = catalog.scenarios_for(deps, team_id)
        except Exception:
            log.exception("practice scenarios of %s could not be read", team_id)
    with deps.db.read() as session:
        away = user_store.away_among(session, team_id=team_id, user_ids=users, now=at)
    skills = catalog.skills_of(deps, team_id) if installed else ()
    for user_id in users:
        try:
            with deps.db.write() as session:
                plan = store.lock_due_plan(session, team_id=team_id, user_id=user_id, at=at)
                if plan is None:
                    counts["not_due"] += 1
                    continue
                outcome = _slot(
                    deps,
                    session,
                    plan,
                    at,
                    scenarios=scenarios,
                    skills=skills,
                    away=user_id in away,
                    installed=installed,
                )
                counts[outcome] += 1
        except Exception:
            log.exception("practice plan of %s in %s failed", user_id, team_id)
            counts["error"] += 1
    return counts


def _slot(
    deps: Deps,
    session: Session,
    plan: PracticePlan,
    at: datetime,
    *,
    scenarios: dict[str, Scenario],
    skills: tuple[str, ...],
    away: bool,
    installed: bool,
) -> str:
    """One due plan, in the caller's transaction: what became of its slot."""
    team_id, user_id = plan.team_id, plan.user_id
    cached = user_store.cached_people(session, team_id=team_id, user_ids=[user_id]).get(user_id)
    # Follow a person who moved time zones (a row made only from a status knows no zone yet).
    if cached is not None and cached.tz and cached.fetched_at > user_store.NEVER:
        plan.tz = person_from_cache(cached).tz
    zone = zone_or_utc(plan.tz)
    slot = plan.next_at or at
    day = slot.astimezone(zone).date()
    plan.next_at = next_due(cadence_of(plan), zone, max(at, slot))
    plan.updated_at = at
    if not installed:
        store.save(session, plan)
        return "not_installed"
    waiting = store.open_planned(session, team_id=team_id, user_id=user_id)
    goal_away = goal_store.away_until(session, team_id=team_id, user_id=user_id)
    if away or (goal_away is not None and goal_away >= day):
        _set_aside(session, waiting)
        store.save(session, plan)
        return "away"
    if _missed(plan, waiting):
        plan.streak = 0
    _set_aside(session, waiting)
    store.save(session, plan)
    skill = plan.skill if plan.skill in skills else None
    try:
        sent = new_round(
            deps,
            session,
            scenarios,
            team_id=team_id,
            user_id=user_id,
            skill=skill,
            key=f"plan:{user_id}:{day.isoformat()}",
            planned=True,
            now=at,
        )
    except NoScenarioError:
        return "no_scenario"
    return "sent" if sent.fresh else "already_sent"


def _missed(plan: PracticePlan, waiting: list[PracticeRound]) -> bool:
    """A planned scenario left undone, with no practice since the day it came."""
    last = plan.last_practised_on or date.min
    return any(r.created_at.astimezone(zone_or_utc(plan.tz)).date() > last for r in waiting)


def _set_aside(session: Session, waiting: list[PracticeRound]) -> None:
    for row in waiting:
        row.status = RoundStatus.DROPPED
        store.save(session, row)


def next_practice(deps: Deps, at: datetime) -> datetime | None:
    with deps.db.read() as session:
        return store.next_plan_due(session)
