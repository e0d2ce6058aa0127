"""Birthdays and work anniversaries: who is celebrated on a local working day.

Dates are celebrated at 09:00 in the team channel's time zone on working days; Saturday's and
Sunday's are celebrated on the Friday before. A 29 February birthday is celebrated on 28
February in other years. Only month and day of a birthday are ever stored or shown.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from storage import celebrations as store
from storage.models.celebrations import DateKind

CELEBRATE_AT = 9 * 60


@dataclass(frozen=True)
class DateToCelebrate:
    user_id: str
    kind: DateKind
    on: date  # the calendar day it falls on (a weekend day when celebrated on Friday)
    years: int = 0  # work anniversaries: years since the start date


def days_covered(today: date) -> list[date]:
    """The calendar days celebrated on ``today``: Friday takes the weekend; weekends none."""
    if today.weekday() >= 5:
        return []
    if today.weekday() == 4:
        return [today + timedelta(days=n) for n in range(3)]
    return [today]


def _falls_on(month: int, day: int, on: date) -> bool:
    if (month, day) == (on.month, on.day):
        return True
    return (
        (month, day) == (2, 29) and (on.month, on.day) == (2, 28) and not calendar.isleap(on.year)
    )


def dates_to_celebrate(
    *, session: Session, team_id: str, members: list[str], today: date
) -> list[DateToCelebrate]:
    days = days_covered(today)
    leap_day = any((d.month, d.day) == (2, 28) for d in days)
    lookup = [*days, date(2024, 2, 29)] if leap_day else days
    found: list[DateToCelebrate] = []
    for row in store.dates_on(session, team_id=team_id, users=members, days=lookup):
        on = next((d for d in days if _falls_on(row.month, row.day, d)), None)
        if on is None:
            continue
        if row.kind == DateKind.BIRTHDAY:
            found.append(DateToCelebrate(row.user_id, DateKind.BIRTHDAY, on))
        elif row.year is not None and row.year < on.year:
            found.append(DateToCelebrate(row.user_id, DateKind.STARTED, on, on.year - row.year))
    return sorted(found, key=lambda c: (c.on, c.kind, c.user_id))
