"""Check-in times in people's own time zones, across daylight-saving changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cadence import (
    Cadence,
    add_working_hours,
    local_time,
    next_due,
    parse_hhmm,
    previous_due,
)

NY = ZoneInfo("America/New_York")
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Pacific/Auckland",
    "America/St_Johns",
]


def test_weekly_monday_0930_stays_0930_local_across_both_dst_changes() -> None:
    weekly = Cadence("weekly", weekday=0, minute=9 * 60 + 30)
    at = datetime(2026, 2, 20, tzinfo=UTC)
    seen = []
    for _ in range(40):
        at = next_due(weekly, NY, at)
        seen.append(at)
    locals_ = [s.astimezone(NY) for s in seen]
    assert all((t.hour, t.minute, t.weekday()) == (9, 30, 0) for t in locals_)
    # UTC hour moves when New York changes clocks (EST 14:30 UTC, EDT 13:30 UTC).
    assert {s.hour for s in seen} == {13, 14}
    assert all(
        b - a in {timedelta(days=7), timedelta(days=7, hours=1), timedelta(days=6, hours=23)}
        for a, b in itertools.pairwise(seen)
    )


def test_a_time_in_the_spring_forward_gap_happens_just_after_it() -> None:
    sunday_0230 = Cadence("weekly", weekday=6, minute=2 * 60 + 30)
    due = next_due(sunday_0230, NY, datetime(2026, 3, 7, tzinfo=UTC))
    assert due == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT, the clocks skipped 02:30
    assert due.astimezone(NY).hour == 3


def test_a_time_that_happens_twice_at_fall_back_is_due_once() -> None:
    sunday_0130 = Cadence("weekly", weekday=6, minute=90)
    first = next_due(sunday_0130, NY, datetime(2026, 10, 31, tzinfo=UTC))
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first one
    again = next_due(sunday_0130, NY, first)
    assert again.date() == date(2026, 11, 8)  # not 06:30 UTC, the second 01:30 that night


def test_weekdays_skip_the_weekend_and_biweekly_skips_alternate_weeks() -> None:
    weekdays = Cadence("weekdays", minute=600)
    friday = datetime(2026, 11, 27, 11, tzinfo=UTC)  # after Friday's 10:00
    assert next_due(weekdays, ZoneInfo("UTC"), friday) == datetime(2026, 11, 30, 10, tzinfo=UTC)
    biweekly = Cadence("biweekly", weekday=2, minute=600, anchor=date(2026, 11, 23))
    first = next_due(biweekly, ZoneInfo("UTC"), datetime(2026, 11, 23, tzinfo=UTC))
    second = next_due(biweekly, ZoneInfo("UTC"), first)
    assert first == datetime(2026, 11, 25, 10, tzinfo=UTC)
    assert second - first == timedelta(days=14)


def test_previous_due_is_the_last_time_at_or_before() -> None:
    weekly = Cadence("weekly", weekday=4, minute=15 * 60)
    friday_3pm = datetime(2026, 11, 27, 15, tzinfo=UTC)
    zone = ZoneInfo("UTC")
    assert previous_due(weekly, zone, friday_3pm) == friday_3pm
    assert previous_due(weekly, zone, friday_3pm - timedelta(seconds=1)) == friday_3pm - timedelta(
        days=7
    )


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["weekdays", "weekly", "biweekly"]),
    weekday=st.integers(0, 6),
    minute=st.integers(0, 24 * 60 - 1),
    zone_name=st.sampled_from(ZONES),
    after=st.datetimes(min_value=datetime(2021, 1, 1), max_value=datetime(2035, 1, 1)),
)
def test_next_due_is_the_first_matching_local_time_after(
    kind: str, weekday: int, minute: int, zone_name: str, after: datetime
) -> None:
    zone = ZoneInfo(zone_name)
    cadence = Cadence(kind, weekday=weekday, minute=minute, anchor=date(2024, 1, 1))
    after = after.replace(tzinfo=UTC)
    due = next_due(cadence, zone, after)
    assert due > after
    assert due - after <= timedelta(days=15)
    local = due.astimezone(zone)
    intended = local_time(local.date(), minute, zone)
    # The right day, and the intended local time (or just after a gap that swallowed it).
    assert cadence.falls_on(local.date()) or cadence.falls_on(local.date() - timedelta(days=1))
    assert due == intended
    # Nothing due in between: the previous due time before it is at or before `after`.
    assert previous_due(cadence, zone, due - timedelta(microseconds=1)) <= after


def test_reminders_count_only_working_hours() -> None:
    utc = ZoneInfo("UTC")
    monday_0930 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert add_working_hours(monday_0930, 4, utc) == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    friday_1600 = datetime(2026, 11, 27, 16, tzinfo=UTC)
    assert add_working_hours(friday_1600, 4, utc) == datetime(2026, 11, 30, 12, tzinfo=UTC)
    saturday = datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert add_working_hours(saturday, 4, utc) == datetime(2026, 11, 30, 13, tzinfo=UTC)
    early = datetime(2026, 11, 24, 7, tzinfo=UTC)
    assert add_working_hours(early, 4, utc) == datetime(2026, 11, 24, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("09:30", 570), ("0:00", 0), ("23:59", 1439), ("24:00", None), ("9:60", None), ("nine", None)],
)
def test_parse_hhmm_refuses_impossible_times(text: str, minutes: int | None) -> None:
    assert parse_hhmm(text) == minutes
