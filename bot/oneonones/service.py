"""One-on-one use cases: set, move and cancel a recurring one-on-one, list them. Each owns its
transaction and queues what it sends (``messages``) in it; a replayed request does nothing.

Only a coach with an active pairing sets one, in the coach's own time zone; either of the two
moves or cancels it, and both are told by DM. One-on-ones sit above coaching and use it through
``bot.coaching.service`` only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.coaching.service import live_between
from bot.deps import Deps
from bot.events import once
from bot.oneonones import messages, rules
from bot.oneonones.errors import (
    NoOneOnOne,
    NotAPerson,
    NotYourCoachee,
    OneOnOneSelf,
    TimeMissing,
)
from bot.users import Person, zone_or_utc
from storage import oneonones as store
from storage.models.coaching import PairingStatus
from storage.models.oneonones import OneOnOne

LISTED = 50  # one-on-ones shown in /coach 1on1 list


def coaches(session: Session, *, team_id: str, coach_id: str, coachee_id: str) -> bool:
    """Whether ``coach_id`` actively coaches ``coachee_id`` right now."""
    pairs = live_between(session, team_id=team_id, one=coach_id, other=coachee_id)
    return any(
        p.coach_id == coach_id and p.coachee_id == coachee_id and p.status == PairingStatus.ACTIVE
        for p in pairs
    )


def _check_person(person: Person, actor_id: str) -> None:
    if person.user_id == actor_id:
        raise OneOnOneSelf()
    if not person.known:
        raise NotAPerson(person.user_id, "unknown")
    if person.is_bot:
        raise NotAPerson(person.user_id, "bot")
    if person.deleted:
        raise NotAPerson(person.user_id, "deactivated")


def _live(session: Session, *, team_id: str, actor_id: str, other_id: str) -> OneOnOne:
    """The active one-on-one between the two of them, whichever of them coaches."""
    for coach, coachee in ((actor_id, other_id), (other_id, actor_id)):
        row = store.series(session, team_id=team_id, coach_id=coach, coachee_id=coachee)
        if row is not None and row.active:
            return row
    raise NoOneOnOne(other_id)


def _first(row: OneOnOne, *, weekday: int, minute: int, now: datetime) -> None:
    """Point ``row`` at its first meeting from ``now`` (refused in a daylight-saving gap)."""
    zone = zone_or_utc(row.tz)
    first = rules.first_meeting(weekday=weekday, minute=minute, zone=zone, now=now)
    if not first.real:
        raise TimeMissing(weekday, minute, first.day.isoformat(), row.tz)
    row.weekday, row.minute, row.anchor = weekday, minute, first.anchor
    row.next_at, row.prepped_for, row.updated_at = first.at, None, now


@dataclass(frozen=True)
class Changed:
    row: OneOnOne
    actor_id: str
    what: str  # "set" | "moved" | "cancelled"


def set_series(
    deps: Deps,
    *,
    team_id: str,
    coach_id: str,
    coachee_id: str,
    weekday: int,
    minute: int,
    every_weeks: int,
    key: str | None = None,
) -> Changed:
    """``/coach 1on1 @ana every [other] tuesday 14:00``: (re)set the series; both told."""
    now = deps.clock()
    if coachee_id == coach_id:
        raise OneOnOneSelf()
    people = deps.directory.people(team_id=team_id, user_ids=[coach_id, coachee_id], now=now)
    _check_person(people[coachee_id], coach_id)
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        if not coaches(session, team_id=team_id, coach_id=coach_id, coachee_id=coachee_id):
            raise NotYourCoachee(coachee_id)
        row = store.series(session, team_id=team_id, coach_id=coach_id, coachee_id=coachee_id)
        if row is None:
            row = OneOnOne(
                team_id=team_id,
                coach_id=coach_id,
                coachee_id=coachee_id,
                anchor=now.date(),
                created_by=coach_id,
                created_at=now,
                updated_at=now,
            )
        row.tz, row.every_weeks, row.active = people[coach_id].tz, every_weeks, True
        _first(row, weekday=weekday, minute=minute, now=now)
        store.save(session, row)
        done = Changed(row, coach_id, "set")
        deps.outbox.enqueue(session, team_id, messages.changed(row, done.actor_id, done.what), now)
    deps.deliverer.kick()
    return done


def move_series(
    deps: Deps,
    *,
    team_id: str,
    actor_id: str,
    other_id: str,
    weekday: int,
    minute: int,
    key: str | None = None,
) -> Changed:
    """``/coach 1on1 @x move thursday 10:30``, by the coach or the coachee; both told."""
    now = deps.clock()
    if other_id == actor_id:
        raise OneOnOneSelf()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _live(session, team_id=team_id, actor_id=actor_id, other_id=other_id)
        if not coaches(session, team_id=team_id, coach_id=row.coach_id, coachee_id=row.coachee_id):
            raise NoOneOnOne(other_id)  # the coaching ended: so did the one-on-ones
        _first(row, weekday=weekday, minute=minute, now=now)
        store.save(session, row)
        done = Changed(row, actor_id, "moved")
        deps.outbox.enqueue(session, team_id, messages.changed(row, done.actor_id, done.what), now)
    deps.deliverer.kick()
    return done


def cancel_series(
    deps: Deps, *, team_id: str, actor_id: str, other_id: str, key: str | None = None
) -> Changed:
    """``/coach 1on1 @x cancel``, by either of the two: the series ends; both told."""
    now = deps.clock()
    if other_id == actor_id:
        raise OneOnOneSelf()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        row = _live(session, team_id=team_id, actor_id=actor_id, other_id=other_id)
        row.active, row.next_at, row.updated_at = False, None, now
        store.save(session, row)
        done = Changed(row, actor_id, "cancelled")
        deps.outbox.enqueue(session, team_id, messages.changed(row, done.actor_id, done.what), now)
    deps.deliverer.kick()
    return done


@dataclass(frozen=True)
class Listing:
    user_id: str
    rows: list[OneOnOne]


def list_series(deps: Deps, *, team_id: str, user_id: str) -> Listing:
    """``/coach 1on1 list``: the caller's active one-on-ones, as coach or coachee."""
    with deps.db.read() as session:
        rows = store.active_of(session, team_id=team_id, user_id=user_id, limit=LISTED)
    return Listing(user_id, rows)
