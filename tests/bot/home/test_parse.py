"""Reading the home's payloads: who acted, which goal, which toggle."""

from __future__ import annotations

from bot.home import parse
from bot.home.ids import Toggle


def test_the_actor_of_a_click_a_command_and_an_event() -> None:
    assert parse.actor({"user": {"id": "UANA"}, "team": {"id": "T1"}}) == ("T1", "UANA")
    assert parse.actor({"user_id": "UANA", "team_id": "T1"}) == ("T1", "UANA")
    assert parse.actor({"team_id": "T1", "event": {"user": "UBEN"}}) == ("T1", "UBEN")
    assert parse.actor({"team_id": "T1", "event": {"user": {"id": "UBEN"}}}) is None
    assert parse.actor({"team_id": "T1"}) is None
    assert parse.actor({"user": {"id": ""}, "team": {"id": "T1"}}) is None


def test_requests_that_change_nothing() -> None:
    assert parse.changes_nothing({"event": {"type": "app_home_opened"}})
    assert parse.changes_nothing({"type": "block_suggestion"})
    assert parse.changes_nothing({"type": "view_closed"})
    assert not parse.changes_nothing({"type": "block_actions"})
    assert not parse.changes_nothing({"event": {"type": "reaction_added"}})


def test_goal_ids_and_toggles() -> None:
    assert parse.goal_id("42") == 42
    assert parse.goal_id("-1") is None and parse.goal_id("4" * 13) is None
    assert parse.goal_id(None) is None and parse.goal_id("1 OR 1=1") is None
    assert parse.toggle("leaderboards_out") == Toggle.LEADERBOARDS_OUT
    assert parse.toggle("admins_on") is None and parse.toggle(None) is None
