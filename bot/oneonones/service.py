"""One-on-one use cases: set, move and cancel a recurring one-on-one, list them. Each owns its
transaction and queues what it sends (``messages``) in it; a replayed request does nothing.

Only a coach with an active pairing sets one, in the coach's own time zone; either of the two
moves or cancels it, and both are told by DM. One-on-ones sit above coaching and use it through
``bot.coaching.service`` only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.coaching.service import live_between
from bot.deps import Deps
from bot.events import once
from bot.goals.service import GoalForm, save_goal
from bot.oneonones import messages, rules
from bot.oneonones.errors import (
    ItemAnswered,
    MeetingGone,
    MeetingPast,
    NoOneOnOne,
    NotAPerson,
    NothingWritten,
    NotYourCoachee,
    OneOnOneSelf,
    TimeMissing,
    TooLong,
    TooManyTopics,
)
from bot.oneonones.parse import NotesForm
from bot.oneonones.prep import ITEMS, OPEN_STATES, PrepNote, gather
from bot.oneonones.render import TOPIC_LIMIT, TOPICS_SHOWN
from bot.text import clean
from bot.users import Person, zone_or_utc
from storage import oneonones as store
from storage.goals import away_until
from storage.models.coaching import PairingStatus
from storage.models.goals import Goal
from storage.models.oneonones import ActionItem, ItemOwner, ItemState, Meeting, OneOnOne
from storage.users import away_among

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


# The prep note -----------------------------------------------------------------------------------


def meeting_of(session: Session, row: OneOnOne, now: datetime) -> Meeting:
    """The series' next meeting (made when first needed: its topics and notes hang on it)."""
    at = row.next_at or now
    found = store.meeting_at(session, team_id=row.team_id, series_id=row.id or 0, at=at)
    if found is not None:
        return found
    meeting = Meeting(team_id=row.team_id, series_id=row.id or 0, at=at, created_at=now)
    store.save(session, meeting)
    return meeting


def is_away(session: Session, row: OneOnOne, at: datetime, now: datetime) -> bool:
    """Whether the coachee is away: their Slack status now, or ``/goal away`` on the day."""
    team, ana = row.team_id, row.coachee_id
    if ana in away_among(session, team_id=team, user_ids=[ana], now=now):
        return True
    until = away_until(session, team_id=team, user_id=ana)
    return until is not None and at.astimezone(zone_or_utc(row.tz)).date() <= until


def prep_now(
    deps: Deps, *, team_id: str, coach_id: str, coachee_id: str, key: str | None = None
) -> PrepNote:
    """``/coach prep @ana``: the prep note of the next one-on-one, to the coach by DM."""
    now = deps.clock()
    if coachee_id == coach_id:
        raise OneOnOneSelf()
    with deps.db.write() as session:
        once(session=session, team_id=team_id, key=key, now=now)
        if not coaches(session, team_id=team_id, coach_id=coach_id, coachee_id=coachee_id):
            raise NotYourCoachee(coachee_id, for_prep=True)
        row = store.series(session, team_id=team_id, coach_id=coach_id, coachee_id=coachee_id)
        if row is None or not row.active:
            raise NoOneOnOne(coachee_id)
        meeting = meeting_of(session, row, now)
        note = gather(
            session,
            series=row,
            meeting=meeting,
            coach_id=coach_id,
            now=now,
            skills=deps.config(team_id).kudos.values,
        )
        note = replace(note, away=is_away(session, row, meeting.at, now))
        deps.outbox.enqueue(session, team_id, [messages.prep(note)], now)
    deps.deliverer.kick()
    return note


def prep_due(session: Session, deps: Deps, *, team_id: str, series_id: int, at: datetime) -> str:
    """One series, in the job's transaction (locked): a prep note once per meeting (or a word
    to the coach that the coachee is away), a past meeting left behind, an ended coaching's
    series closed. What happened, as a word."""
    row = store.lock_series(session, team_id=team_id, series_id=series_id)
    if row is None or not row.active or row.next_at is None:
        return "gone"
    if not coaches(session, team_id=team_id, coach_id=row.coach_id, coachee_id=row.coachee_id):
        row.active, row.next_at, row.updated_at = False, None, at
        store.save(session, row)
        return "ended"
    if row.next_at <= at:
        row.next_at = rules.following(
            weekday=row.weekday,
            minute=row.minute,
            every_weeks=row.every_weeks,
            anchor=row.anchor,
            zone=zone_or_utc(row.tz),
            after=at,
        )
        row.updated_at = at
        store.save(session, row)
        return "advanced"
    if row.prepped_for == row.next_at or row.next_at - rules.PREP_AHEAD > at:
        return "done"
    meeting = meeting_of(session, row, at)
    if is_away(session, row, meeting.at, at):
        out = [messages.away(row, meeting.at)]
        what = "away"
    else:
        note = gather(
            session,
            series=row,
            meeting=meeting,
            coach_id=row.coach_id,
            now=at,
            skills=deps.config(row.team_id).kudos.values,
        )
        out = [messages.prep(note, once=True), messages.ask_topics(row, meeting)]
        what = "prepped"
    row.prepped_for, row.updated_at = row.next_at, at
    store.save(session, row)
    deps.outbox.enqueue(session, team_id, out, at)
    return what


# The coachee's topics ----------------------------------------------------------------------------


def _coachees_meeting(
    session: Session, *, team_id: str, actor_id: str, meeting_id: int, now: datetime
) -> tuple[OneOnOne, Meeting]:
    """A coming meeting of an active series whose coachee is ``actor_id``."""
    meeting = store.get_meeting(session, team_id=team_id, meeting_id=meeting_id)
    row = (
        None
        if meeting is None
        else store.get_series(session, team_id=team_id, series_id=meeting.series_id)
    )
    if meeting is None or row is None or row.coachee_id != actor_id or not row.active:
        raise MeetingGone()
    if meeting.at <= now:
        raise MeetingPast()
    return row, meeting


def topic_form(deps: Deps, *, team_id: str, actor_id: str, meeting_id: int) -> int:
    """ "Add a topic" pressed: the meeting, if it is the presser's to add to."""
    with deps.db.read() as session:
        _coachees_meeting(
            session, team_id=team_id, actor_id=actor_id, meeting_id=meeting_id, now=deps.clock()
        )
    return meeting_id


def add_topic(
    deps: Deps, *, team_id: str, actor_id: str, meeting_id: int, text: str, key: str | None
) -> int:
    """The coachee adds a topic (one line, capped); how many the meeting has, after."""
    topic = " ".join(clean(text or "").split())
    if not topic:
        raise NothingWritten("topic")
    if len(topic) > TOPIC_LIMIT:
        raise TooLong("topic", TOPIC_LIMIT)
    now = deps.clock()
    with deps.db.write() as session:
        _, meeting = _coachees_meeting(
            session, team_id=team_id, actor_id=actor_id, meeting_id=meeting_id, now=now
        )
        once(session=session, team_id=team_id, key=key, now=now)
        topics = [t for t in meeting.topics.split("\n") if t.strip()]
        if len(topics) >= TOPICS_SHOWN:
            raise TooManyTopics(TOPICS_SHOWN)
        meeting.topics = "\n".join([*topics, topic])
        store.save(session, meeting)
    return len(topics) + 1


# Notes and action items ----------------------------------------------------------------------


def _coachs_meeting(
    session: Session, *, team_id: str, actor_id: str, meeting_id: int
) -> tuple[OneOnOne, Meeting]:
    """A meeting of a series whose coach is ``actor_id`` and who still coaches."""
    meeting = store.get_meeting(session, team_id=team_id, meeting_id=meeting_id)
    row = (
        None
        if meeting is None
        else store.get_series(session, team_id=team_id, series_id=meeting.series_id)
    )
    if meeting is None or row is None or row.coach_id != actor_id:
        raise MeetingGone()
    if not coaches(session, team_id=team_id, coach_id=row.coach_id, coachee_id=row.coachee_id):
        raise MeetingGone()
    return row, meeting


def notes_form(deps: Deps, *, team_id: str, actor_id: str, meeting_id: int) -> Meeting:
    """ "Add notes" pressed: the meeting, if the presser is its coach."""
    with deps.db.read() as session:
        _, meeting = _coachs_meeting(
            session, team_id=team_id, actor_id=actor_id, meeting_id=meeting_id
        )
    return meeting


def save_notes(
    deps: Deps, *, team_id: str, actor_id: str, meeting_id: int, form: NotesForm, key: str | None
) -> list[ActionItem]:
    """The coach saves notes (replacing earlier ones) and adds action items: each coachee item
    proposed to them as a goal, each coach item a follow-up. The items made."""
    now = deps.clock()
    with deps.db.write() as session:
        row, meeting = _coachs_meeting(
            session, team_id=team_id, actor_id=actor_id, meeting_id=meeting_id
        )
        once(session=session, team_id=team_id, key=key, now=now)
        meeting.notes, meeting.noted_by, meeting.noted_at = form.notes, actor_id, now
        store.save(session, meeting)
        items = []
        for text, owner in form.items:
            coachee = owner == ItemOwner.COACHEE
            item = ActionItem(
                team_id=team_id,
                series_id=row.id or 0,
                meeting_id=meeting.id or 0,
                owner=ItemOwner.COACHEE if coachee else ItemOwner.COACH,
                owner_id=row.coachee_id if coachee else row.coach_id,
                text=text,
                state=ItemState.PROPOSED if coachee else ItemState.OPEN,
                created_at=now,
                updated_at=now,
            )
            store.save(session, item)
            items.append(item)
        deps.outbox.enqueue(session, team_id, messages.noted(row, meeting, items), now)
    deps.deliverer.kick()
    return items


@dataclass(frozen=True)
class Notes:
    row: OneOnOne
    meeting: Meeting | None
    items: list[ActionItem]


def notes_of(deps: Deps, *, team_id: str, actor_id: str, other_id: str) -> Notes:
    """``/coach 1on1 @x notes``: the latest notes and open items, for either of the two only."""
    if other_id == actor_id:
        raise OneOnOneSelf()
    with deps.db.read() as session:
        row = None
        for coach, coachee in ((actor_id, other_id), (other_id, actor_id)):
            row = row or store.series(session, team_id=team_id, coach_id=coach, coachee_id=coachee)
        if row is None:
            raise NoOneOnOne(other_id)
        meeting = store.latest_noted(session, team_id=team_id, series_id=row.id or 0)
        items = store.items_in(
            session, team_id=team_id, series_id=row.id or 0, states=OPEN_STATES, limit=ITEMS
        )
    return Notes(row, meeting, items)


def _coachees_item(
    session: Session, *, team_id: str, actor_id: str, item_id: int, lock: bool = False
) -> ActionItem:
    item = store.get_item(session, team_id=team_id, item_id=item_id, lock=lock)
    if item is None or item.owner != ItemOwner.COACHEE or item.owner_id != actor_id:
        raise MeetingGone()
    if item.state != ItemState.PROPOSED:
        raise ItemAnswered(item.state)
    return item


def item_goal_draft(deps: Deps, *, team_id: str, actor_id: str, item_id: int) -> Goal:
    """ "Make it my goal": an unsaved goal to start from, the item's words as its "what"."""
    with deps.db.read() as session:
        item = _coachees_item(session, team_id=team_id, actor_id=actor_id, item_id=item_id)
    today = deps.clock().date()
    return Goal(
        team_id=team_id,
        owner_id=actor_id,
        what=item.text,
        measure="",
        skill="",
        target_date=today + timedelta(days=28),
        cadence_anchor=today,
        created_at=datetime.min,
        updated_at=datetime.min,
    )


def make_item_goal(
    deps: Deps, *, team_id: str, actor_id: str, item_id: int, form: GoalForm
) -> dict[str, str]:
    """The goal modal opened from an item, saved by goals as any goal is; the item marked done
    and linked to the goal in the same transaction (a second submission saves nothing)."""
    with deps.db.read() as session:
        _coachees_item(session, team_id=team_id, actor_id=actor_id, item_id=item_id)

    def link(session: Session, goal: Goal) -> None:
        item = _coachees_item(
            session, team_id=team_id, actor_id=actor_id, item_id=item_id, lock=True
        )
        item.state, item.goal_id, item.updated_at = ItemState.DONE, goal.id, deps.clock()
        store.save(session, item)

    return save_goal(
        deps, team_id=team_id, owner_id=actor_id, form=replace(form, goal_id=None), on_saved=link
    )


def decline_item(
    deps: Deps, *, team_id: str, actor_id: str, item_id: int, key: str | None
) -> ActionItem:
    """ "No thanks": the coachee declines an item as a goal."""
    now = deps.clock()
    with deps.db.write() as session:
        item = _coachees_item(
            session, team_id=team_id, actor_id=actor_id, item_id=item_id, lock=True
        )
        once(session=session, team_id=team_id, key=key, now=now)
        item.state, item.updated_at = ItemState.DECLINED, now
        store.save(session, item)
    return item


def item_done(
    deps: Deps, *, team_id: str, actor_id: str, item_id: int, key: str | None
) -> ActionItem:
    """A coach marks their follow-up done."""
    now = deps.clock()
    with deps.db.write() as session:
        item = store.get_item(session, team_id=team_id, item_id=item_id, lock=True)
        if item is None or item.owner != ItemOwner.COACH or item.owner_id != actor_id:
            raise MeetingGone()
        if item.state != ItemState.OPEN:
            raise ItemAnswered(item.state)
        once(session=session, team_id=team_id, key=key, now=now)
        item.state, item.updated_at = ItemState.DONE, now
        store.save(session, item)
    return item
