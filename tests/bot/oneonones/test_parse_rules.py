"""Parsing /coach 1on1 and the calendar rules of one-on-ones (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.errors import error_text
from bot.oneonones import parse, rules
from bot.oneonones.errors import BadTime, BadWeekday, OneOnOneUsage

ANA = "<@UANA|ana>"


def test_every_and_every_other() -> None:
    assert parse.parse_1on1(f"{ANA} every tuesday 14:00") == parse.SetSeries("UANA", 1, 840, 1)
    assert parse.parse_1on1(f"{ANA} every other Tue 09:05") == parse.SetSeries("UANA", 1, 545, 2)
    assert parse.parse_1on1(f"{ANA} move fridays 10:30") == parse.MoveSeries("UANA", 4, 630)
    assert parse.parse_1on1(f"{ANA} cancel") == parse.CancelSeries("UANA")
    assert parse.parse_1on1(f"{ANA} notes") == parse.ShowNotes("UANA")
    assert parse.parse_1on1("list") == parse.ListSeries()
    assert parse.parse_1on1("") == parse.OneOnOneHelp()
    assert parse.parse_prep(ANA) == parse.Prep("UANA")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f"{ANA} every funday 14:00", BadWeekday),
        (f"{ANA} every tuesday 25:00", BadTime),
        (f"{ANA} every tuesday 14:60", BadTime),
        (f"{ANA} every tuesday 2pm", BadTime),
        (f"{ANA} every tuesday", OneOnOneUsage),
        (f"{ANA} sometimes", OneOnOneUsage),
        ("ana every tuesday 14:00", OneOnOneUsage),
        (f"{ANA} every tuesday 14:00 <@UBEN|ben>", OneOnOneUsage),
        ("<!channel> every tuesday 14:00", OneOnOneUsage),
    ],
)
def test_bad_input_is_a_clear_error(text: str, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        parse.parse_1on1(text)
    words = error_text(caught.value)
    assert "<!channel>" not in words and "<@" not in words.split("`")[0]


def test_a_pasted_essay_is_cut_and_never_mentions_anyone() -> None:
    with pytest.raises(OneOnOneUsage) as caught:
        parse.parse_1on1(f"{ANA} " + "x" * 40000)
    assert len(error_text(caught.value)) < 600


def test_prep_takes_one_person() -> None:
    with pytest.raises(OneOnOneUsage):
        parse.parse_prep(f"{ANA} <@UBEN|ben>")
    with pytest.raises(OneOnOneUsage):
        parse.parse_prep("ana")


BERLIN = ZoneInfo("Europe/Berlin")


def test_first_meeting_is_the_next_one_in_the_coach_zone() -> None:
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)  # Monday 16:00 in Berlin
    first = rules.first_meeting(weekday=1, minute=14 * 60, zone=BERLIN, now=now)
    assert first.at == datetime(2026, 11, 24, 13, tzinfo=UTC) and first.real
    assert first.anchor == date(2026, 11, 23)
    # Today, but already past: next week.
    again = rules.first_meeting(weekday=0, minute=9 * 60, zone=BERLIN, now=now)
    assert again.at == datetime(2026, 11, 30, 8, tzinfo=UTC)


def test_a_time_in_the_spring_forward_gap_is_not_real() -> None:
    now = datetime(2027, 3, 26, 12, tzinfo=UTC)  # Berlin springs forward Sunday 28 March, 02:00
    first = rules.first_meeting(weekday=6, minute=2 * 60 + 30, zone=BERLIN, now=now)
    assert not first.real and first.day == date(2027, 3, 28)
    assert rules.first_meeting(weekday=6, minute=3 * 60 + 30, zone=BERLIN, now=now).real
    assert rules.exists(date(2027, 3, 29), 2 * 60 + 30, BERLIN)


def test_every_other_week_keeps_local_time_across_dst() -> None:
    anchor = date(2027, 3, 15)
    at = datetime(2027, 3, 16, 13, tzinfo=UTC)  # Tuesday 14:00 CET
    after = rules.following(
        weekday=1, minute=840, every_weeks=2, anchor=anchor, zone=BERLIN, after=at
    )
    assert after == datetime(2027, 3, 30, 12, tzinfo=UTC)  # 14:00 CEST, two weeks on
    weekly = rules.following(
        weekday=1, minute=840, every_weeks=1, anchor=anchor, zone=BERLIN, after=at
    )
    assert weekly == datetime(2027, 3, 23, 13, tzinfo=UTC)


def _notes_view(notes: str, *items: tuple[str, str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {"oneonone_notes": {"input": {"value": notes}}}
    for n, (text, owner) in enumerate(items):
        values[f"oneonone_item_{n}"] = {"input": {"value": text}}
        option = {"value": owner} if owner else None
        values[f"oneonone_owner_{n}"] = {"input": {"selected_option": option}}
    return {"state": {"values": values}}


def test_the_notes_form_reads_items_with_their_owners() -> None:
    form, errors = parse.read_notes(
        _notes_view(" Good talk \u200b", ("Shadow Cy", "coachee"), ("", "coach"), ("Book", None))
    )
    assert errors == {} and form is not None
    assert form.notes == "Good talk"
    assert form.items == (("Shadow Cy", "coachee"), ("Book", "coachee"))


def test_the_notes_form_refuses_empty_and_pasted_essays_on_their_fields() -> None:
    assert parse.read_notes(_notes_view("  \u200b "))[1] == {
        "oneonone_notes": "Write some notes or an action item first."
    }
    form, errors = parse.read_notes(_notes_view("x" * 40000, ("y" * 301, "coach")))
    assert form is None and set(errors) == {"oneonone_notes", "oneonone_item_0"}


def test_an_item_id_from_a_goal_modal() -> None:
    assert parse.item_of({"private_metadata": '{"channel":null,"item":12}'}) == 12
    assert parse.item_of({"private_metadata": "not json"}) == 0
    assert parse.item_of({"private_metadata": '{"item":"12; drop"}'}) == 0
