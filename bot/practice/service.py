"""Practice use cases: a scenario sent (``practise``), the reply written (``answer``), the
self-assessment with its optional ask for ratings (``assess``), a rater's rating (``rate``) or
pass (``decline``), skipping a scenario, the weekday plan (``set_plan``, ``stop_plan``) and
``/practice history``; and, for coaching, what a person practised in a week.

Each use case resolves the people it needs before its transaction (Slack is never asked while
a lock is held), owns its transaction, records its request's key (``bot.events.once``: a
replayed request does nothing), queues what the result sends (``messages``) and returns what
happened.

Who sees a round (``visible_to``): the person who practised, and the raters they asked, each
rater their own rating only. Nobody else: not an admin, not the person's coach unless asked."""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cadence import Cadence, local_time, next_due
from bot.commands import meant
from bot.deps import Deps
from bot.events import once
from bot.outbox.envelope import OutMessage
from bot.practice import catalog, ids, messages
from bot.practice.errors import (
    AlreadyRatedError,
    ChecksError,
    NoPlanError,
    NoScenarioError,
    NotAskedError,
    NoteError,
    PlanGapError,
    RaterError,
    ReplyError,
    RoundDoneError,
    RoundNotFoundError,
    UnknownSkillError,
)
from bot.practice.scenarios import Scenario, scenario_from
from storage import practice as store
from storage.models.practice import (
    PracticePlan,
    PracticeRating,
    PracticeRound,
    RatingStatus,
    RoundStatus,
)

WEEKDAYS = "weekdays"
OPEN = (RoundStatus.SENT, RoundStatus.ANSWERED)


def _queue(deps: Deps, session: Session, team_id: str, out: list[OutMessage]) -> None:
    if out:
        deps.outbox.enqueue(session, team_id, out, deps.clock())


def scenario_of(row: PracticeRound) -> Scenario:
    """The scenario as it was sent (kept on the round, so it reads the same later)."""
    return scenario_from(json.loads(row.scenario), row.scenario_key)


def cadence_of(plan: PracticePlan) -> Cadence:
    return Cadence(WEEKDAYS, minute=plan.minute)


# Skills ---------------------------------------------------------------------------------------


def check_skill(deps: Deps, team_id: str, typed: str | None) -> str | None:
    """A skill of the workspace, or ``UnknownSkillError`` with the nearest one ("did you
    mean"): a skill close in spelling, else a subcommand (``/practice histroy``)."""
    if typed is None:
        return None
    skills = catalog.skills_of(deps, team_id)
    word = typed.strip().lower()
    if word in skills:
        return word
    near = get_close_matches(word, list(skills), n=1, cutoff=0.6)
    hint = near[0] if near else meant(ids.PRACTICE_COMMAND, word)
    raise UnknownSkillError(typed, hint, skills)


# A scenario sent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    round: PracticeRound
    scenario: Scenario
    fresh: bool  # False: a replay of a request already done


def _pick(
    session: Session,
    scenarios: Mapping[str, Scenario],
    team_id: str,
    user_id: str,
    skill: str | None,
    seed: str,
) -> Scenario:
    seen = store.seen_keys(session, team_id=team_id, user_id=user_id)
    found = catalog.choose(scenarios, skill=skill, seen=seen, rng=random.Random(seed))
    if found is None:
        raise NoScenarioError(skill)
    return found


def new_round(
    deps: Deps,
    session: Session,
    scenarios: Mapping[str, Scenario],
    *,
    team_id: str,
    user_id: str,
    skill: str | None,
    key: str,
    planned: bool,
    now: datetime,
) -> Sent:
    """A round for ``user_id`` in the caller's transaction, with its scenario DM queued; keyed
    by ``key`` (a second call with it finds the first round and queues nothing). ``scenarios``:
    the workspace's catalog, read before the transaction (``catalog.scenarios_for``)."""
    scenario = _pick(session, scenarios, team_id, user_id, skill, key)
    row, fresh = store.insert_round(
        session,
        {
            "team_id": team_id,
            "user_id": user_id,
            "skill": scenario.skill,
            "scenario_key": scenario.key,
            "scenario": json.dumps(scenario.as_dict()),
            "status": RoundStatus.SENT,
            "planned": planned,
            "request_key": key[:64],
            "created_at": now,
            "self_note": "",
        },
    )
    if fresh:
        _queue(deps, session, team_id, [messages.scenario(row, scenario_of(row))])
    return Sent(row, scenario_of(row), fresh)


def practise(deps: Deps, *, team_id: str, user_id: str, skill: str | None, key: str | None) -> Sent:
    """``/practice [skill]``: a scenario for the skill (any skill: one not seen yet), by DM.
    ``key``: the command's (``bot.payload.request_key``); a replay finds the first round."""
    key = key or f"command:{uuid4().hex}"  # a request without a key is its own
    chosen = check_skill(deps, team_id, skill)
    scenarios = catalog.scenarios_for(deps, team_id)
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        sent = new_round(
            deps,
            session,
            scenarios,
            team_id=team_id,
            user_id=user_id,
            skill=chosen,
            key=key,
            planned=False,
            now=deps.clock(),
        )
    deps.deliverer.kick()
    return sent


# The person's round ---------------------------------------------------------------------------


def _own(row: PracticeRound | None, actor_id: str) -> PracticeRound:
    if row is None or row.user_id != actor_id:
        raise RoundNotFoundError()
    return row


def _open(row: PracticeRound, *statuses: RoundStatus) -> PracticeRound:
    if row.status not in (statuses or OPEN):
        raise RoundDoneError(row.status)
    return row


def reply_form(deps: Deps, *, team_id: str, round_id: int, actor_id: str) -> Sent:
    """The round its owner is about to answer (before the reply modal opens)."""
    with deps.db.read() as session:
        row = _own(store.get_round(session, team_id=team_id, round_id=round_id), actor_id)
    _open(row)
    return Sent(row, scenario_of(row), False)


def answer(
    deps: Deps, *, team_id: str, round_id: int, actor_id: str, reply: str, key: str | None
) -> Sent:
    """The reply the person would give. Empty, or longer than ``MAX_REPLY`` (whatever the
    modal let through): refused, nothing saved. Writing it again before the self-assessment
    replaces it."""
    reply = reply.strip()
    if not reply or len(reply) > ids.MAX_REPLY:
        raise ReplyError(ids.MAX_REPLY, len(reply))
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _own(store.lock_round(session, team_id=team_id, round_id=round_id), actor_id)
        _open(row)
        row.reply, row.status, row.answered_at = reply, RoundStatus.ANSWERED, now
        store.save(session, row)
    return Sent(row, scenario_of(row), True)


@dataclass(frozen=True)
class Assessed:
    round: PracticeRound
    scenario: Scenario
    raters: tuple[str, ...]
    streak: int


def _check_raters(deps: Deps, team_id: str, owner_id: str, raters: tuple[str, ...]) -> None:
    if len(raters) > ids.MAX_RATERS:
        raise RaterError("many", limit=ids.MAX_RATERS)
    if owner_id in raters:
        raise RaterError("self", owner_id)
    if not raters:
        return
    people = deps.directory.people(team_id=team_id, user_ids=list(raters), now=deps.clock())
    for user_id in raters:
        found = people[user_id]
        if not found.known:
            raise RaterError("unknown", user_id)
        if found.is_bot:
            raise RaterError("bot", user_id)
        if found.deleted:
            raise RaterError("deactivated", user_id)


def _check_marks(checks: tuple[int, ...], note: str, scenario: Scenario) -> None:
    if any(not 0 <= c < len(scenario.checklist) for c in checks):
        raise ChecksError()
    if len(note) > ids.MAX_NOTE:
        raise NoteError(ids.MAX_NOTE, len(note))


def assess(
    deps: Deps,
    *,
    team_id: str,
    round_id: int,
    actor_id: str,
    checks: tuple[int, ...],
    note: str,
    raters: tuple[str, ...],
    key: str | None,
) -> Assessed:
    """The self-assessment on the scenario's checklist: the round counts as practice done (the
    streak grows, once a day), and each rater asked gets the reply to rate by DM. Everything is
    checked before anything is written: a bad rater or note saves nothing."""
    note = note.strip()
    _check_raters(deps, team_id, actor_id, raters)
    zone = deps.directory.person(team_id=team_id, user_id=actor_id, now=deps.clock()).zone
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _own(store.lock_round(session, team_id=team_id, round_id=round_id), actor_id)
        if row.status == RoundStatus.SENT or not row.reply:
            raise ReplyError(ids.MAX_REPLY)
        _open(row, RoundStatus.ANSWERED)
        scenario = scenario_of(row)
        _check_marks(checks, note, scenario)
        row.self_checks, row.self_note = json.dumps(list(checks)), note
        row.status, row.assessed_at = RoundStatus.ASSESSED, now
        store.save(session, row)
        streak = count_practice(session, team_id=team_id, user_id=actor_id, zone=zone, now=now)
        assert row.id is not None
        store.add_ratings(
            session,
            [
                PracticeRating(team_id=team_id, round_id=row.id, rater_id=r, asked_at=now)
                for r in raters
            ],
        )
        out = [messages.rate_ask(row, scenario, r) for r in raters]
        out.append(messages.result(row, scenario, raters, streak))
        _queue(deps, session, team_id, out)
        _close_scenario(deps, session, row, scenario, "done")
    deps.deliverer.kick()
    return Assessed(row, scenario, raters, streak)


def _close_scenario(
    deps: Deps, session: Session, row: PracticeRound, scenario: Scenario, how: str
) -> None:
    """The round's scenario DM loses its buttons and says how the round ended ("done" or
    "skipped")."""
    deps.outbox.redraw(
        session,
        row.team_id,
        messages.scenario_ref(row),
        [ids.SCENARIO_DM],
        lambda posted: messages.scenario_closed(row, scenario, posted.id or 0, how),
        deps.clock(),
    )


def _close_ask(
    deps: Deps, session: Session, row: PracticeRound, scenario: Scenario, rater: str, how: str
) -> None:
    """The rater's DM loses its buttons and says what they did ("rated" or "passed")."""
    deps.outbox.redraw(
        session,
        row.team_id,
        messages.ask_ref(row, rater),
        [ids.RATE_ASK_DM],
        lambda posted: messages.ask_closed(row, scenario, rater, posted.id or 0, how),
        deps.clock(),
    )


def skip(deps: Deps, *, team_id: str, round_id: int, actor_id: str, key: str | None) -> Sent:
    """The person passes on a scenario: it is set aside (a planned one will not count as
    missed until the next one comes)."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        row = _own(store.lock_round(session, team_id=team_id, round_id=round_id), actor_id)
        _open(row)
        row.status = RoundStatus.DROPPED
        store.save(session, row)
        _close_scenario(deps, session, row, scenario_of(row), "skipped")
    deps.deliverer.kick()
    return Sent(row, scenario_of(row), True)


# The streak -----------------------------------------------------------------------------------


def count_practice(
    session: Session, *, team_id: str, user_id: str, zone: ZoneInfo, now: datetime
) -> int:
    """A round assessed: the streak grows once per local day (kept on the person's plan; one
    is made, inactive, for someone who practises without a plan). It is forgiving, as
    check-ins' is: only a planned scenario left undone breaks it (``jobs``), never a day away,
    a weekend or a day without a plan."""
    today = now.astimezone(zone).date()
    plan = store.lock_plan(session, team_id=team_id, user_id=user_id)
    if plan is None:
        plan = PracticePlan(
            team_id=team_id,
            user_id=user_id,
            tz=str(zone),
            active=False,
            created_at=now,
            updated_at=now,
        )
    if plan.last_practised_on != today:
        plan.streak += 1
        plan.best_streak = max(plan.best_streak, plan.streak)
        plan.last_practised_on = today
        plan.updated_at = now
    store.save(session, plan)
    return plan.streak


# Ratings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToRate:
    round: PracticeRound
    scenario: Scenario
    rating: PracticeRating


def _asked(session: Session, team_id: str, round_id: int, rater_id: str) -> PracticeRating:
    rating = store.lock_rating(session, team_id=team_id, round_id=round_id, rater_id=rater_id)
    if rating is None:
        raise NotAskedError()
    if rating.status != RatingStatus.ASKED:
        raise AlreadyRatedError(rating.status)
    return rating


def rate_form(deps: Deps, *, team_id: str, round_id: int, rater_id: str) -> ToRate:
    """The round a rater was asked to rate (before the rating modal opens)."""
    with deps.db.read() as session:
        rating = store.rating_of(session, team_id=team_id, round_id=round_id, rater_id=rater_id)
        if rating is None:
            raise NotAskedError()
        if rating.status != RatingStatus.ASKED:
            raise AlreadyRatedError(rating.status)
        row = store.get_round(session, team_id=team_id, round_id=round_id)
    if row is None:
        raise NotAskedError()
    return ToRate(row, scenario_of(row), rating)


def rate(
    deps: Deps,
    *,
    team_id: str,
    round_id: int,
    rater_id: str,
    checks: tuple[int, ...],
    note: str,
    key: str | None,
) -> ToRate:
    """A rater's rating on the round's checklist, with an optional note; the person who
    practised hears it by DM. Only someone they asked may rate (``NotAskedError``, nothing
    saved), once."""
    note = note.strip()
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        rating = _asked(session, team_id, round_id, rater_id)
        row = store.get_round(session, team_id=team_id, round_id=round_id)
        if row is None:
            raise NotAskedError()
        scenario = scenario_of(row)
        _check_marks(checks, note, scenario)
        rating.checks, rating.note = json.dumps(list(checks)), note
        rating.status, rating.rated_at = RatingStatus.RATED, now
        store.save(session, rating)
        _queue(deps, session, team_id, [messages.rated(row, scenario, rating)])
        _close_ask(deps, session, row, scenario, rater_id, "rated")
    deps.deliverer.kick()
    return ToRate(row, scenario, rating)


def decline(
    deps: Deps, *, team_id: str, round_id: int, rater_id: str, key: str | None
) -> PracticeRating:
    """A rater passes; the person who practised is not nagged about it."""
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=deps.clock())
        rating = _asked(session, team_id, round_id, rater_id)
        rating.status, rating.rated_at = RatingStatus.DECLINED, deps.clock()
        store.save(session, rating)
        row = store.get_round(session, team_id=team_id, round_id=round_id)
        if row is not None:
            _close_ask(deps, session, row, scenario_of(row), rater_id, "passed")
    deps.deliverer.kick()
    return rating


# Who sees what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visible:
    """A round as ``viewer_id`` may see it: the ratings they may see with it."""

    round: PracticeRound
    scenario: Scenario
    ratings: tuple[PracticeRating, ...]


def visible_to(session: Session, *, team_id: str, round_id: int, viewer_id: str) -> Visible | None:
    """The round as ``viewer_id`` may see it: its owner, with every rating; a rater they asked,
    with their own rating only; anyone else (a coach not asked, an admin, another workspace):
    None, as for a round that does not exist."""
    row = store.get_round(session, team_id=team_id, round_id=round_id)
    if row is None or row.id is None:
        return None
    ratings = store.ratings_of(session, row.id)
    if viewer_id == row.user_id:
        return Visible(row, scenario_of(row), tuple(ratings))
    mine = tuple(r for r in ratings if r.rater_id == viewer_id)
    if mine and row.reply:
        return Visible(row, scenario_of(row), mine)
    return None


def shown_round(deps: Deps, *, team_id: str, round_id: int, viewer_id: str) -> Visible:
    with deps.db.read() as session:
        found = visible_to(session, team_id=team_id, round_id=round_id, viewer_id=viewer_id)
    if found is None:
        raise RoundNotFoundError()
    return found


@dataclass(frozen=True)
class Past:
    rounds: list[PracticeRound]
    rated: dict[int, int]  # round id -> ratings received
    plan: PracticePlan | None
    zone: ZoneInfo


def history(deps: Deps, *, team_id: str, user_id: str) -> Past:
    """``/practice history``: one's own latest rounds (never anyone else's)."""
    zone = deps.directory.person(team_id=team_id, user_id=user_id, now=deps.clock()).zone
    with deps.db.read() as session:
        rounds = store.rounds_of(session, team_id=team_id, user_id=user_id, limit=ids.HISTORY)
        rated = store.rating_counts(session, [r.id for r in rounds if r.id is not None])
        plan = store.get_plan(session, team_id=team_id, user_id=user_id)
    return Past(rounds, rated, plan, zone)


# The weekday plan -----------------------------------------------------------------------------


def gap_day(minute: int, zone: ZoneInfo, start: date, days: int = 366) -> date | None:
    """The first weekday from ``start`` on which ``minute`` does not exist in ``zone`` (the
    clocks skip it), or None."""
    for n in range(days):
        day = start + timedelta(days=n)
        if day.weekday() >= 5:
            continue
        back = local_time(day, minute, zone).astimezone(zone)
        if (back.hour * 60 + back.minute, back.date()) != (minute, day):
            return day
    return None


def set_plan(
    deps: Deps, *, team_id: str, user_id: str, minute: int, skill: str | None, key: str | None
) -> PracticePlan:
    """``/practice every weekday HH:MM [skill]``: a scenario each weekday at that local time.
    A time the person's zone skips on some day (daylight saving starts) is refused, with the
    day; the streak so far is kept."""
    chosen = check_skill(deps, team_id, skill)
    now = deps.clock()
    who = deps.directory.person(team_id=team_id, user_id=user_id, now=now)
    zone = who.zone
    gap = gap_day(minute, zone, now.astimezone(zone).date())
    if gap is not None:
        raise PlanGapError(f"{minute // 60:02d}:{minute % 60:02d}", str(zone), gap.isoformat())
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        plan = store.lock_plan(session, team_id=team_id, user_id=user_id)
        if plan is None:
            plan = PracticePlan(team_id=team_id, user_id=user_id, created_at=now, updated_at=now)
        plan.minute, plan.tz, plan.skill, plan.active = minute, str(zone), chosen, True
        plan.next_at = next_due(cadence_of(plan), zone, now)
        plan.updated_at = now
        store.save(session, plan)
    return plan


def stop_plan(deps: Deps, *, team_id: str, user_id: str, key: str | None) -> PracticePlan:
    now = deps.clock()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        plan = store.lock_plan(session, team_id=team_id, user_id=user_id)
        if plan is None or not plan.active:
            raise NoPlanError()
        plan.active, plan.next_at, plan.updated_at = False, None, now
        store.save(session, plan)
    return plan


# For coaching's digest ------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeWeek:
    """What a coach may know of a coachee's practice: how many rounds, which skills. Never the
    reply, the self-assessment or a rating."""

    rounds: int
    skills: tuple[str, ...]


def practice_week(session: Session, *, team_id: str, user_id: str, since: datetime) -> PracticeWeek:
    rows = store.assessed_since(session, team_id=team_id, user_id=user_id, since=since)
    return PracticeWeek(len(rows), tuple(sorted({r.skill for r in rows})))
