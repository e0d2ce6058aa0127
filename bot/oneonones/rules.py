"""When one-on-ones fall: pure calendar arithmetic in the coach's time zone, through
``bot.cadence`` (weekly, or every other week from an anchor Monday; daylight saving handled
there). The only thing added here: refusing a first meeting at a local time that does not
exist that day, so nobody is told "14:00" and meets at 15:00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cadence import Cadence, local_time, monday_of, next_due

PREP_AHEAD = timedelta(hours=3)  # the prep note goes this long before a meeting


def cadence_of(*, weekday: int, minute: int, every_weeks: int, anchor: date) -> Cadence:
    kind = "biweekly" if every_weeks == 2 else "weekly"
    return Cadence(kind, weekday=weekday, minute=minute, anchor=anchor)


def exists(day: date, minute: int, zone: ZoneInfo) -> bool:
    """Whether ``minute`` past midnight happens on ``day`` in ``zone`` (not in a DST gap)."""
    shown = local_time(day, minute, zone).astimezone(zone)
    return shown.date() == day and shown.hour * 60 + shown.minute == minute


@dataclass(frozen=True)
class FirstMeeting:
    at: datetime  # UTC
    day: date  # local
    anchor: date  # the Monday every-other-week counts from
    real: bool  # False: the local time falls in a daylight-saving gap that day


def first_meeting(*, weekday: int, minute: int, zone: ZoneInfo, now: datetime) -> FirstMeeting:
    """The next ``weekday`` at ``minute`` local after ``now``; a biweekly series counts its
    weeks from that meeting's Monday."""
    weekly = cadence_of(weekday=weekday, minute=minute, every_weeks=1, anchor=date(2024, 1, 1))
    at = next_due(weekly, zone, now)
    day = at.astimezone(zone).date()
    return FirstMeeting(at, day, monday_of(day), exists(day, minute, zone))


def following(
    *, weekday: int, minute: int, every_weeks: int, anchor: date, zone: ZoneInfo, after: datetime
) -> datetime:
    """The meeting after ``after`` (a later gap day meets just after the gap, as check-ins do)."""
    cadence = cadence_of(weekday=weekday, minute=minute, every_weeks=every_weeks, anchor=anchor)
    return next_due(cadence, zone, after)
