"""Kudos rules inside the caller's transaction: give, undo, take back, stats and leaderboards.
Typed, Slack-free."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.errors import NoRecipientError
from bot.kudos.errors import (
    AllowanceExceededError,
    BotRecipientError,
    DuplicateKudosError,
    InactiveRecipientError,
    MissingReasonError,
    RecipientCapError,
    SelfKudosError,
    TooManyRecipientsError,
    UndoNotAllowedError,
    UnknownUserError,
    UnknownValueError,
)
from bot.kudos.ids import COMMAND, Period, UndoRefusal
from bot.settings import KudosRules
from bot.users import Person, local_day_bounds, zone_or_utc
from storage import kudos as ledger
from storage import users as user_store
from storage.models import GivingStreak, Kudos
from storage.models.kudos import KudosSource, MilestoneKind, RevocationReason

RECEIVED_MILESTONES = (1, 10, 50, 100)
STREAK_MILESTONES = (4, 12, 26, 52)
PERIOD_DAYS = {Period.WEEK: 7, Period.MONTH: 30}


@dataclass(frozen=True)
class Celebration:
    user_id: str
    kind: MilestoneKind  # RECEIVED or GIVING_STREAK
    threshold: int


@dataclass(frozen=True)
class Place:
    """Where a kudos is really posted (``channel_id``; None: the recipients hear by DM only),
    and the channel it was given in when Bravo cannot post there (``passed_over``, ``why``)."""

    channel_id: str | None = None
    passed_over: str | None = None
    why: str = ""  # "not_in_channel" | "is_archived" | "channel_not_found"


@dataclass(frozen=True)
class KudosResult:
    team_id: str
    batch_id: str
    giver_id: str
    recipient_ids: tuple[str, ...]
    reason: str
    values: tuple[str, ...]
    channel_id: str | None
    source: KudosSource
    source_ref: str | None
    created_at: datetime
    remaining_today: int
    allowance: int
    streak_weeks: int
    celebrations: tuple[Celebration, ...]
    place: Place = Place()
    left_giver_out: bool = False  # the giver named themselves (or is in a group) among others


def leave_giver_out(giver_id: str, named: Sequence[str], from_groups: Sequence[str]) -> bool:
    """Whether the giver, among those named or in a named group, is left out so that the others
    get their kudos. Alone, they are not: ``check_recipients`` refuses self-kudos."""
    everyone = [*named, *from_groups]
    return giver_id in everyone and any(u != giver_id for u in everyone)


def check_recipients(giver: Person, recipients: Sequence[Person], rules: KudosRules) -> None:
    """Who may receive kudos; raises the first rule a request breaks."""
    if not recipients:
        raise NoRecipientError(COMMAND)
    if len(recipients) > rules.max_recipients:
        raise TooManyRecipientsError(rules.max_recipients, len(recipients))
    if unknown := tuple(p.user_id for p in recipients if not p.known):
        raise UnknownUserError(unknown)
    if any(p.user_id == giver.user_id for p in recipients):
        raise SelfKudosError()
    if bots := tuple(p.user_id for p in recipients if p.is_bot):
        raise BotRecipientError(bots)
    if inactive := tuple(p.user_id for p in recipients if p.deleted):
        raise InactiveRecipientError(inactive)


def check_request(
    giver: Person,
    recipients: Sequence[Person],
    reason: str,
    values: Sequence[str],
    rules: KudosRules,
) -> None:
    """What a request must be, whatever has been given before; raises the first rule it breaks."""
    check_recipients(giver, recipients, rules)
    if not reason.strip():
        raise MissingReasonError()
    if unknown := tuple(v for v in values if v not in rules.values):
        raise UnknownValueError(unknown, rules.values)


def give_kudos(
    *,
    session: Session,
    team_id: str,
    giver: Person,
    recipients: Sequence[Person],
    reason: str,
    values: Sequence[str],
    channel_id: str | None,
    source: KudosSource,
    rules: KudosRules,
    now: datetime,
    source_ref: str | None = None,
) -> KudosResult:
    """Record one batch of kudos in the caller's transaction, with the streak and milestones it
    brings; raises the first rule the request breaks, having written nothing."""
    check_request(giver, recipients, reason, values, rules)
    ledger.lock_giver(session, team_id=team_id, giver_id=giver.user_id)
    if source_ref:
        _check_not_given_for(session, team_id, giver, recipients, source_ref)
    used = _check_allowance(session, team_id, giver, recipients, rules, now)
    result = KudosResult(
        team_id=team_id,
        batch_id=str(uuid.uuid4()),
        giver_id=giver.user_id,
        recipient_ids=tuple(p.user_id for p in recipients),
        reason=reason,
        values=tuple(values),
        channel_id=channel_id,
        source=source,
        source_ref=source_ref,
        created_at=now,
        remaining_today=rules.daily_allowance - used - len(recipients),
        allowance=rules.daily_allowance,
        streak_weeks=0,
        celebrations=(),
    )
    ledger.add_kudos(session, _ledger_rows(result))
    weeks, streak_party = _advance_streak(session, team_id, giver, now)
    received = _received_milestones(session, team_id, recipients, now)
    return replace(result, streak_weeks=weeks, celebrations=(*received, *streak_party))


def _check_not_given_for(
    session: Session,
    team_id: str,
    giver: Person,
    recipients: Sequence[Person],
    source_ref: str,
) -> None:
    """One giver recognises a person for one message once (another skin tone is no second)."""
    earlier = {
        k.recipient_id
        for k in ledger.active_by_source(
            session, team_id=team_id, giver_id=giver.user_id, source_ref=source_ref
        )
    }
    if again := tuple(p.user_id for p in recipients if p.user_id in earlier):
        raise DuplicateKudosError(again)


def _check_allowance(
    session: Session,
    team_id: str,
    giver: Person,
    recipients: Sequence[Person],
    rules: KudosRules,
    now: datetime,
) -> int:
    """The giver's daily allowance and per-person cap (their local day); returns how many
    kudos they have given today."""
    day_start, day_end = local_day_bounds(now, giver.zone)
    used = ledger.count_given(session, team_id=team_id, giver_id=giver.user_id, since=day_start)
    if used + len(recipients) > rules.daily_allowance:
        raise AllowanceExceededError(rules.daily_allowance, used, len(recipients), day_end)
    if rules.per_recipient_daily_cap:
        for person in recipients:
            already = ledger.count_given(
                session,
                team_id=team_id,
                giver_id=giver.user_id,
                since=day_start,
                recipient_id=person.user_id,
            )
            if already + 1 > rules.per_recipient_daily_cap:
                raise RecipientCapError(person.user_id, rules.per_recipient_daily_cap)
    return used


def _ledger_rows(result: KudosResult) -> list[Kudos]:
    """One ledger row per recipient, sharing the batch id."""
    return [
        Kudos(
            team_id=result.team_id,
            batch_id=result.batch_id,
            giver_id=result.giver_id,
            recipient_id=recipient_id,
            reason=result.reason,
            values=",".join(result.values),
            channel_id=result.channel_id,
            source=result.source,
            source_ref=result.source_ref,
            created_at=result.created_at,
        )
        for recipient_id in result.recipient_ids
    ]


def week_of(now: datetime, person: Person) -> date:
    """Monday of the person's local week."""
    local = now.astimezone(person.zone).date()
    return local - timedelta(days=local.weekday())


def _advance_streak(
    session: Session, team_id: str, giver: Person, now: datetime
) -> tuple[int, list[Celebration]]:
    week = week_of(now, giver)
    row = ledger.streak(session, team_id=team_id, user_id=giver.user_id)
    if row is None:
        row = GivingStreak(
            team_id=team_id, user_id=giver.user_id, last_week=week, current=1, best=1
        )
    elif row.last_week == week:
        return row.current, []
    else:
        row.current = row.current + 1 if row.last_week == week - timedelta(days=7) else 1
        row.last_week = week
        row.best = max(row.best, row.current)
    ledger.save_streak(session, row)
    kind = MilestoneKind.GIVING_STREAK
    party = [
        Celebration(giver.user_id, kind, t)
        for t in STREAK_MILESTONES
        if row.current == t
        and ledger.reach_milestone(
            session, team_id=team_id, user_id=giver.user_id, kind=kind, threshold=t, now=now
        )
    ]
    return row.current, party


def _received_milestones(
    session: Session, team_id: str, recipients: Sequence[Person], now: datetime
) -> list[Celebration]:
    kind = MilestoneKind.RECEIVED
    party: list[Celebration] = []
    for person in recipients:
        count = ledger.received_count(session, team_id=team_id, user_id=person.user_id)
        new = [
            t
            for t in RECEIVED_MILESTONES
            if count >= t
            and ledger.reach_milestone(
                session, team_id=team_id, user_id=person.user_id, kind=kind, threshold=t, now=now
            )
        ]
        if new:  # several at once (e.g. after an import): celebrate the highest only
            party.append(Celebration(person.user_id, kind, max(new)))
    return party


@dataclass(frozen=True)
class Undone:
    revoked: tuple[Kudos, ...]
    remaining_today: int


def undo_kudos(
    *,
    session: Session,
    team_id: str,
    batch_id: str,
    giver: Person,
    rules: KudosRules,
    now: datetime,
) -> Undone:
    rows = ledger.batch(session, team_id=team_id, batch_id=batch_id)
    if not rows:
        raise UndoNotAllowedError(UndoRefusal.NOT_FOUND)
    if rows[0].giver_id != giver.user_id:
        raise UndoNotAllowedError(UndoRefusal.NOT_GIVER)
    if now - rows[0].created_at > timedelta(minutes=rules.undo_minutes):
        raise UndoNotAllowedError(UndoRefusal.EXPIRED)
    revoked = ledger.revoke(session, rows, by=giver.user_id, why=RevocationReason.UNDO, now=now)
    if not revoked:
        raise UndoNotAllowedError(UndoRefusal.ALREADY_UNDONE)
    day_start, _ = local_day_bounds(now, giver.zone)
    used = ledger.count_given(session, team_id=team_id, giver_id=giver.user_id, since=day_start)
    return Undone(tuple(revoked), max(0, rules.daily_allowance - used))


def take_back_reaction(
    *, session: Session, team_id: str, giver_id: str, source_ref: str, now: datetime
) -> list[Kudos]:
    """The giver removed their reaction: the kudos it gave is taken back, whenever that is."""
    rows = ledger.active_by_source(
        session, team_id=team_id, giver_id=giver_id, source_ref=source_ref
    )
    why = RevocationReason.REACTION_REMOVED
    return ledger.revoke(session, rows, by=giver_id, why=why, now=now)


@dataclass(frozen=True)
class Stats:
    user_id: str
    received: int
    given: int
    received_this_week: int
    by_value: dict[str, int]
    streak_weeks: int
    best_streak: int
    remaining_today: int | None  # only shown to the person themselves


def kudos_stats(
    *,
    session: Session,
    team_id: str,
    person: Person,
    viewer_id: str,
    rules: KudosRules,
    now: datetime,
) -> Stats:
    totals = ledger.totals(session, team_id=team_id, user_id=person.user_id)
    week_start = now.date() - timedelta(days=6)
    row = ledger.streak(session, team_id=team_id, user_id=person.user_id)
    current = 0
    if row is not None and row.last_week >= week_of(now, person) - timedelta(days=7):
        current = row.current
    remaining = None
    if viewer_id == person.user_id:
        day_start, _ = local_day_bounds(now, zone_or_utc(person.tz))
        used = ledger.count_given(
            session, team_id=team_id, giver_id=person.user_id, since=day_start
        )
        remaining = max(0, rules.daily_allowance - used)
    return Stats(
        user_id=person.user_id,
        received=totals.received,
        given=totals.given,
        received_this_week=ledger.received_since(
            session, team_id=team_id, user_id=person.user_id, since=week_start
        ),
        by_value=totals.by_value,
        streak_weeks=current,
        best_streak=row.best if row else 0,
        remaining_today=remaining,
    )


@dataclass(frozen=True)
class Board:
    period: Period
    value: str | None
    rows: tuple[ledger.BoardRow, ...]


def kudos_leaderboard(
    *,
    session: Session,
    team_id: str,
    period: Period,
    value: str | None,
    now: datetime,
    limit: int = 10,
) -> Board:
    since = None
    if period in PERIOD_DAYS:
        since = now.date() - timedelta(days=PERIOD_DAYS[period] - 1)
    hidden = user_store.opted_out(session, team_id)
    rows = ledger.leaderboard(
        session, team_id, value=value or ledger.ALL, since=since, exclude=hidden, limit=limit
    )
    return Board(period, value, tuple(rows))


def set_leaderboard_opt_out(*, session: Session, team_id: str, user_id: str, opt_out: bool) -> None:
    user_store.set_opt_out(session, team_id=team_id, user_id=user_id, opt_out=opt_out)
