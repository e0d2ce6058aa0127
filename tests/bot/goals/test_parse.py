"""Parsing /goal text, and the goal modals' and buttons' payloads (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.errors import BadDateError, UnknownCommandError
from bot.goals import ids, parse
from bot.goals.errors import FieldMissingError, OutOfDateError
from bot.goals.ids import MenuVerb
from storage.models.goals import CheckInStatus


def view(values: dict[str, tuple[str, Any]], meta: str = "{}") -> dict[str, Any]:
    return {
        "private_metadata": meta,
        "state": {"values": {b: {ids.INPUT: {k: v}} for b, (k, v) in values.items()}},
    }


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", parse.OpenGoalModal()),
        ("help", parse.GoalHelp()),
        ("list", parse.ListGoals(None)),
        ("ls <@UANA|ana>", parse.ListGoals("UANA")),
        ("back", parse.SetAway(None)),
        ("away off", parse.SetAway(None)),
        ("away until 2026-12-24", parse.SetAway(date(2026, 12, 24))),
    ],
)
def test_goal_commands(text: str, parsed: parse.GoalCommand) -> None:
    assert parse.parse_goal_command(text) == parsed


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("away until someday", BadDateError),
        ("away", BadDateError),
        ("frobnicate", UnknownCommandError),
    ],
)
def test_goal_command_mistakes(text: str, error: type) -> None:
    with pytest.raises(error):
        parse.parse_goal_command(text)


def test_buttons_and_menus_carry_an_id_and_a_choice() -> None:
    assert parse.answer("12:blocked") == parse.Answer(12, CheckInStatus.BLOCKED)
    assert parse.menu_choice("archive:7") == parse.MenuChoice(MenuVerb.ARCHIVE, 7)
    for value in ("12:sleeping", "12", "x:on_track", "1234567890123:done"):
        with pytest.raises(OutOfDateError):
            parse.answer(value)
    with pytest.raises(OutOfDateError):
        parse.menu_choice("explode:1")
    assert parse.number("42") == 42 and parse.number("forty") is None


def test_the_goal_modal_becomes_a_draft_and_where_it_came_from() -> None:
    form = parse.goal_form(
        view(
            {
                ids.WHAT: ("value", "Answer every chat within 2 minutes"),
                ids.TARGET: ("selected_date", "not a date"),
                ids.DAY: ("selected_option", {"value": "3"}),
            },
            meta='{"goal": 9, "channel": "C1"}',
        )
    )
    assert form.goal_id == 9 and form.channel_id == "C1"
    draft = form.draft
    assert draft.what == "Answer every chat within 2 minutes" and draft.measure == ""
    assert draft.target_date is None and draft.weekday == 3 and draft.cadence == "weekly"


def test_a_note_needs_progress_and_a_status() -> None:
    with pytest.raises(FieldMissingError) as err:
        parse.note(view({ids.NOTE_PROGRESS: ("value", "  ")}))
    assert err.value.block == ids.NOTE_PROGRESS
    with pytest.raises(FieldMissingError) as err:
        parse.note(
            view(
                {
                    ids.NOTE_PROGRESS: ("value", "3 of 5"),
                    ids.NOTE_STATUS: ("selected_option", {"value": "sleeping"}),
                }
            )
        )
    assert err.value.block == ids.NOTE_STATUS
    note = parse.note(view({ids.NOTE_PROGRESS: ("value", "3 of 5")}, meta='{"prompt": 4}'))
    assert (note.prompt_id, note.goal_id, note.status) == (4, None, CheckInStatus.ON_TRACK)


def test_a_pause_needs_a_date() -> None:
    with pytest.raises(FieldMissingError):
        parse.pause(view({}, meta='{"goal": 3}'))
    asked = parse.pause(view({ids.PAUSE_UNTIL: ("selected_date", "2026-12-06")}, '{"goal": 3}'))
    assert asked == parse.Pause(3, date(2026, 12, 6))
