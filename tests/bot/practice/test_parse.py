"""``/practice`` text -> what was asked, and the payload readers: pure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BravoError, error_text
from bot.payload import UnreadableError
from bot.practice import ids
from bot.practice.errors import PlanTimeError, PlanUsageError
from bot.practice.parse import (
    History,
    Plan,
    PracticeHelp,
    Practise,
    Scenarios,
    Stop,
    checks_of,
    parse_practice_command,
    raters_of,
    round_id_of,
)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("", Practise(None)),
        ("  ", Practise(None)),
        ("Empathy", Practise("empathy")),
        ("#empathy", Practise("empathy")),
        ("stop", Stop()),
        ("history", History()),
        ("HELP", PracticeHelp()),
        ("scenarios add x", Scenarios(("add", "x"))),
        ("every weekday 09:00", Plan(540, None)),
        ("every weekdays at 7:05 empathy", Plan(425, "empathy")),
    ],
)
def test_what_was_asked(text: str, asked: object) -> None:
    assert parse_practice_command(text) == asked


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("every weekday", PlanTimeError),
        ("every weekday 24:00", PlanTimeError),
        ("every weekday 9", PlanTimeError),
        ("every day 09:00", PlanUsageError),
        ("every weekday 09:00 empathy extra", PlanUsageError),
        ("weekday 09:00", PlanUsageError),
    ],
)
def test_a_plan_said_wrong(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_practice_command(text)


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_in_words(text: str) -> None:
    try:
        asked = parse_practice_command(text)
    except BravoError as err:
        words = error_text(err)
        assert "/practice" in words and "<@" not in words and len(words) < 600
        return
    assert isinstance(asked, Practise | Plan | Stop | History | PracticeHelp | Scenarios)


def test_payload_readers_refuse_what_bravo_did_not_write() -> None:
    assert round_id_of({"value": "12"}) == 12
    for value in ("", "0", "-3", "x", "9" * 30, None):
        with pytest.raises(UnreadableError):
            round_id_of({"value": value})
    view = {
        "state": {
            "values": {
                ids.CHECKS_BLOCK: {
                    ids.INPUT: {"selected_options": [{"value": "2"}, {"value": "0"}]}
                },
                ids.RATERS_BLOCK: {ids.INPUT: {"selected_users": ["UBEN", "UBEN", "UCY"]}},
            }
        }
    }
    assert checks_of(view) == (0, 2) and raters_of(view) == ("UBEN", "UCY")
    bad = {
        "state": {"values": {ids.CHECKS_BLOCK: {ids.INPUT: {"selected_options": [{"value": "a"}]}}}}
    }
    with pytest.raises(UnreadableError):
        checks_of(bad)
