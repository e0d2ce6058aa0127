"""The settings modal's fields, read and checked without Slack or a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.config import from_row
from bot.sandbox.blockkit import check_message, check_view
from bot.settings import VALUE_RE, load_settings
from bot.workspace.ids import INPUT, Setting
from bot.workspace.parse import parse_settings, parse_values
from bot.workspace.render import log_message, settings_modal
from bot.workspace.values import changed, column_values, in_effect, shown
from storage.models import SettingChange

DEFAULTS = in_effect(from_row(load_settings({}), "T1", None), None)


def view_with(**typed: Any) -> dict[str, Any]:
    texts = {
        Setting.VALUES: "empathy, grit",
        Setting.ALLOWANCE: "5",
        Setting.CAP: "0",
        Setting.EMOJI: ":clap:",
        Setting.ERASE_DEPARTED: "",
    }
    state: dict[str, Any] = {k: {INPUT: {"value": typed.get(k, v)}} for k, v in texts.items()}
    state[Setting.SHOUTOUT_DAY] = {INPUT: {"selected_option": {"value": typed.get("day", "4")}}}
    state[Setting.SHOUTOUT_TIME] = {INPUT: {"selected_time": typed.get("time", "16:00")}}
    state[Setting.ADMINS] = {INPUT: {"selected_users": typed.get("admins", [])}}
    state[Setting.KUDOS_CHANNEL] = {INPUT: {"selected_conversation": typed.get("channel")}}
    state[Setting.SUGGESTION_BOX] = {INPUT: {"selected_conversation": None}}
    return {"state": {"values": state}}


def test_a_good_form_reads_as_settings() -> None:
    proposed, errors = parse_settings(view_with(**{Setting.VALUES: "#Empathy,\n grit ,"}))
    assert errors == {} and proposed is not None
    assert proposed.values == ("empathy", "grit") and proposed.emoji == "clap"
    assert proposed.erase_departed_after_days is None  # empty: off
    assert (proposed.shoutout_weekday, proposed.shoutout_minute) == (4, 960)


def test_every_wrong_field_is_named_at_once() -> None:
    proposed, errors = parse_settings(
        view_with(
            **{Setting.ALLOWANCE: "five", Setting.EMOJI: "", Setting.ERASE_DEPARTED: "-3"},
            day="7",
            time="4pm",
            admins=["UANA", "not-an-id"],
            channel="D0DM",
        )
    )
    assert proposed is None
    assert set(errors) == {
        Setting.ALLOWANCE,
        Setting.EMOJI,
        Setting.ERASE_DEPARTED,
        Setting.SHOUTOUT_DAY,
        Setting.SHOUTOUT_TIME,
        Setting.ADMINS,
        Setting.KUDOS_CHANNEL,
    }


def test_a_missing_state_is_every_required_field_wrong_not_a_crash() -> None:
    proposed, errors = parse_settings({})
    assert proposed is None and Setting.VALUES in errors and Setting.ALLOWANCE in errors


@given(st.text(max_size=3000))
def test_values_are_read_from_any_text_or_refused_in_words(typed: str) -> None:
    values, problem = parse_values(typed)
    if problem is None:
        assert values and all(VALUE_RE.match(v) for v in values)
        assert len(set(values)) == len(values) <= 50
    else:
        assert values == () and len(problem) < 300


def test_admins_are_a_set_and_only_changed_columns_are_written() -> None:
    before = replace(DEFAULTS, admins=("UA", "UB"))
    assert changed(before, replace(before, admins=("UB", "UA"))) == []
    after = replace(before, daily_allowance=3, kudos_channel=None, admins=())
    assert changed(before, after) == [Setting.ALLOWANCE, Setting.ADMINS]
    assert column_values(after, changed(before, after)) == {"daily_allowance": 3, "admins_csv": ""}
    assert shown(after, Setting.ADMINS, {}) == "none besides the workspace's admins and owners"


def test_the_modal_and_a_long_log_fit_slack_and_mention_no_one() -> None:
    assert check_view(settings_modal(DEFAULTS)) == []
    at = datetime(2026, 12, 1, tzinfo=UTC)
    hostile = "<!channel> <@UANA> " + "x" * 2000
    changes = [
        SettingChange(
            team_id="T1", key="values", old=hostile, new="<!here>", changed_by="UB", changed_at=at
        )
        for _ in range(25)
    ]
    reply = log_message(changes, {"UB": "ben"}, page=1, pages=2)
    assert check_message(reply) == []
    text = str(reply)
    assert "<!channel>" not in text and "<!here>" not in text and "<@" not in text
    assert "@ben" in text and "Page 1 of 2" in text and "/bravo settings log 2" in text
