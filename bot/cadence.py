"""When check-ins fall due: pure calendar arithmetic in a person's own time zone.

Times are computed through the local calendar date, so daylight-saving changes are right: a
check-in at 09:30 stays at 09:30 local across a change; a local time that does not exist that
day (in the spring-forward gap) happens just after the gap, and one that happens twice (fall
back) happens once, the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.text import is_number

CADENCES = ("weekdays", "weekly", "biweekly")
CADENCE_LABELS = {
    "weekdays": "Every weekday",
    "weekly": "Every week",
    "biweekly": "Every two weeks",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKDAY_START = 9 * 60  # working hours for reminders: Monday-Friday, 09:00-17:00 local
WORKDAY_END = 17 * 60


@dataclass(frozen=True)
class Cadence:
    kind: str  # weekdays | weekly | biweekly
    weekday: int = 0  # 0 = Monday; ignored for weekdays
    minute: int = 9 * 60 + 30  # local time, minutes after midnight
    anchor: date = date(2024, 1, 1)  # a Monday; biweekly falls in even weeks from it

    def __post_init__(self) -> None:
        if self.kind not in CADENCES:
            raise ValueError(f"unknown cadence {self.kind!r}")
        if not 0 <= self.weekday <= 6 or not 0 <= self.minute < 24 * 60:
            raise ValueError("weekday must be 0-6 and minute 0-1439")

    @property
    def period(self) -> timedelta:
        return {
            "weekdays": timedelta(days=1),
            "weekly": timedelta(days=7),
            "biweekly": timedelta(days=14),
        }[self.kind]

    def falls_on(self, day: date) -> bool:
        if self.kind == "weekdays":
            return day.weekday() < 5
        if day.weekday() != self.weekday:
            return False
        if self.kind == "weekly":
            return True
        monday = day - timedelta(days=day.weekday())
        anchor_monday = self.anchor - timedelta(days=self.anchor.weekday())
        return ((monday - anchor_monday).days // 7) % 2 == 0

    def describe(self) -> str:
        at = f"{self.minute // 60:02d}:{self.minute % 60:02d}"
        if self.kind == "weekdays":
            return f"every weekday at {at}"
        every = "every" if self.kind == "weekly" else "every other"
        return f"{every} {WEEKDAYS[self.weekday]} at {at}"


def local_time(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """``day`` at ``minute`` past local midnight in ``zone``, as a UTC datetime."""
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    # fold=0: in a gap Python applies the offset from before the change, which lands just after
    # the gap once normalised; when the time happens twice it picks the first.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_due(cadence: Cadence, zone: ZoneInfo, after: datetime) -> datetime:
    """The first check-in time strictly after ``after`` (UTC)."""
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(30):  # a biweekly cadence repeats within 15 days
        if cadence.falls_on(day):
            due = local_time(day, cadence.minute, zone)
            if due > after:
                return due
        day += timedelta(days=1)
    raise AssertionError("no check-in day within 30 days")  # unreachable for valid cadences


def previous_due(cadence: Cadence, zone: ZoneInfo, at: datetime) -> datetime:
    """The last check-in time at or before ``at`` (UTC)."""
    day = at.astimezone(zone).date() + timedelta(days=1)
    for _ in range(30):
        if cadence.falls_on(day):
            due = local_time(day, cadence.minute, zone)
            if due <= at:
                return due
        day -= timedelta(days=1)
    raise AssertionError("no check-in day within 30 days")


def add_working_hours(start: datetime, hours: float, zone: ZoneInfo) -> datetime:
    """``hours`` of working time (Monday-Friday, 09:00-17:00 local) after ``start``."""
    remaining = timedelta(hours=hours)
    day = start.astimezone(zone).date()
    for _ in range(366):
        if day.weekday() < 5:
            opens = local_time(day, WORKDAY_START, zone)
            closes = local_time(day, WORKDAY_END, zone)
            begin = max(start, opens)
            if begin < closes:
                if closes - begin >= remaining:
                    return begin + remaining
                remaining -= closes - begin
        day += timedelta(days=1)
    raise AssertionError("working hours did not fit in a year")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_hhmm(text: str) -> int | None:
    """Minutes after midnight for ``HH:MM`` (24-hour), or None when it is not a real time."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(is_number(p) for p in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return hours * 60 + minutes
