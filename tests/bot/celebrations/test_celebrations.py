"""Celebrations: the admins' date CSV, and which dates a working day celebrates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.celebrations import errors as e
from bot.celebrations import parse as p
from bot.celebrations.dates import dates_to_celebrate, days_covered
from storage import celebrations as store
from storage.db import Database
from storage.models.celebrations import DateKind, DateSource

T = "T1"
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)


# The date import -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_csv_is_rows_or_a_report_of_every_broken_row(text: str) -> None:
    try:
        rows = p.parse_dates_csv(text, today=date(2026, 11, 27))
    except e.CsvRejectedError as err:
        assert err.problems and e.csv_problems(err).startswith("Nothing was imported")
    else:
        assert all(
            r.kind in p.DATE_KINDS and (r.year is None) == (r.kind == "birthday") for r in rows
        )


def test_a_csv_with_broken_rows_reports_every_one() -> None:
    text = (
        "user,kind,date\n"
        "U0ANA,birthday,03-14\n"
        "ana,birthday,03-14\n"
        "U0BEN,bday,03-14\n"
        "U0CY,started,2031-01-01\n"
        "U0DEE,started,2020-02-30\n"
        "U0EVE,birthday\n"
    )
    with pytest.raises(e.CsvRejectedError) as caught:
        p.parse_dates_csv(text, today=date(2026, 11, 27))
    assert [n for n, _ in caught.value.problems] == [3, 4, 5, 6, 7]
    report = e.csv_problems(caught.value)
    assert "Nothing was imported: 5 rows" in report and "Row 7" in report
    good = p.parse_dates_csv("<@U0ANA>,birthday,1990-03-14\n", today=date(2026, 11, 27))
    assert good == [p.DateRow("U0ANA", "birthday", 3, 14, None)]  # the year is dropped


def test_the_import_takes_the_start_dates_the_command_takes() -> None:
    # somewhere it is already tomorrow: the command accepts it, and so does the CSV import
    today = date(2026, 11, 27)
    rows = p.parse_dates_csv("U0ANA,started,2026-11-28\n", today=today)
    assert rows == [p.DateRow("U0ANA", "started", 11, 28, 2026)]
    with pytest.raises(e.CsvRejectedError):
        p.parse_dates_csv("U0ANA,started,2026-11-29\n", today=today)
    assert p.latest_start(today) == date(2026, 11, 28)


# Calendar --------------------------------------------------------------------------------------


def test_weekend_dates_are_celebrated_on_friday_and_none_on_weekends() -> None:
    friday = date(2026, 11, 27)
    assert days_covered(friday) == [friday, date(2026, 11, 28), date(2026, 11, 29)]
    assert days_covered(date(2026, 11, 28)) == []
    assert days_covered(date(2026, 11, 24)) == [date(2026, 11, 24)]


def test_leap_day_birthdays_and_anniversaries(db: Database) -> None:
    with db.write() as s:
        for user_id, kind, when in [
            ("ULEAP", DateKind.BIRTHDAY, (2, 29, None)),
            ("UNEW", DateKind.STARTED, (2, 27, 2027)),
            ("UOLD", DateKind.STARTED, (2, 27, 2020)),
        ]:
            store.set_date(
                s,
                team_id=T,
                user_id=user_id,
                kind=kind,
                when=when,
                source=DateSource.SELF,
                now=NOW,
            )
        found = dates_to_celebrate(
            session=s, team_id=T, members=["ULEAP", "UNEW", "UOLD"], today=date(2027, 2, 26)
        )
    assert [(c.user_id, c.kind, c.on, c.years) for c in found] == [
        ("UOLD", "started", date(2027, 2, 27), 7),
        ("ULEAP", "birthday", date(2027, 2, 28), 0),
    ]
