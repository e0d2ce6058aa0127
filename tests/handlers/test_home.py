"""The Home tab over HTTP: opened, it is published; its buttons work from a view (no channel,
no response_url) and the home shows the new state; whoever acts has their home refreshed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.home import jobs
from bot.sandbox.server import Call
from storage.models import CelebrationPref, CheckIn, Goal, UserPref
from tests.bot.home.history import goal
from tests.handlers.conftest import CHANNEL, TEAM, Bravo


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def open_home(bravo: Bravo, user: str, tab: str = "home") -> None:
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": tab}
    assert bravo.send.event(event).status == 200


def home_of(bravo: Bravo, user: str, count: int = 1) -> dict[str, Any]:
    calls = bravo.slack.wait_for(
        "views.publish", count, predicate=lambda c: c.args.get("user_id") == user
    )
    return view_of(calls[-1])


def publishes(bravo: Bravo, user: str) -> int:
    return sum(1 for c in bravo.slack.calls("views.publish") if c.args.get("user_id") == user)


def add_goal(bravo: Bravo, owner: str, what: str) -> int:
    with bravo.deps.db.write() as session:
        row = goal(owner, what, bravo.clock(), team_id=TEAM)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def goal_row(bravo: Bravo, goal_id: int) -> Goal:
    with bravo.deps.db.read() as session:
        row = session.get(Goal, goal_id)
        assert row is not None
        return row


def refresh(bravo: Bravo, seconds: int = 10) -> None:
    for _ in range(seconds):
        bravo.clock.at += timedelta(seconds=1)
        jobs.refresh_homes(bravo.deps, bravo.clock.at)


def test_opening_the_home_tab_publishes_the_home(bravo: Bravo) -> None:
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "No goals yet" in json.dumps(view)


def test_the_messages_tab_a_bot_or_a_stranger_get_nothing(bravo: Bravo) -> None:
    open_home(bravo, "UANA", tab="messages")
    open_home(bravo, "UROBOT")
    open_home(bravo, "UNOBODY")
    assert bravo.send.event({"type": "app_home_opened", "tab": "home"}).status == 200
    assert bravo.deps.work.wait_idle(5)
    assert bravo.slack.calls("views.publish") == []


def test_complete_from_the_home_closes_the_goal_and_shows_it(bravo: Bravo) -> None:
    goal_id = add_goal(bravo, "UANA", "Fewer escalations")
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    assert "Fewer escalations" in json.dumps(view)
    bravo.send.block_action("UANA", "home_goal_complete", str(goal_id), view=view)
    after = home_of(bravo, "UANA", 2)
    assert goal_row(bravo, goal_id).status == "completed"
    assert "Fewer escalations" not in json.dumps(after)


def test_someone_elses_goal_cannot_be_closed_from_a_home(bravo: Bravo) -> None:
    goal_id = add_goal(bravo, "UANA", "Fewer escalations")
    open_home(bravo, "UBEN")
    view = home_of(bravo, "UBEN")
    bravo.send.block_action("UBEN", "home_goal_complete", str(goal_id), view=view)
    [refusal] = bravo.slack.wait_for("views.open")
    assert view_of(refusal)["type"] == "modal"
    assert goal_row(bravo, goal_id).status == "active"
    bravo.send.block_action("UBEN", "home_goal_pause", "not-a-goal", view=view)
    bravo.slack.wait_for("views.open", 2)


def test_check_in_from_the_home_uses_the_goals_note_modal_and_refreshes(bravo: Bravo) -> None:
    goal_id = add_goal(bravo, "UANA", "Fewer escalations")
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    bravo.send.block_action("UANA", "home_goal_checkin", str(goal_id), view=view)
    [opened] = bravo.slack.wait_for("views.open")
    modal = view_of(opened)
    assert modal["callback_id"] == "checkin_note_modal"
    values = {
        "status": {"input": {"type": "static_select", "selected_option": {"value": "at_risk"}}},
        "progress": {"input": {"type": "plain_text_input", "value": "two of five <!here>"}},
    }
    assert bravo.send.view_submission("UANA", modal, values).status == 200
    with bravo.deps.db.read() as session:
        assert len(session.exec(select(CheckIn)).all()) == 1
    assert bravo.deps.work.wait_idle(5)
    refresh(bravo)
    after = json.dumps(home_of(bravo, "UANA", 2))
    assert "two of five" in after and "<!here>" not in after


def test_pause_from_the_home_opens_the_goals_pause_modal(bravo: Bravo) -> None:
    goal_id = add_goal(bravo, "UANA", "Fewer escalations")
    open_home(bravo, "UANA")
    bravo.send.block_action("UANA", "home_goal_pause", str(goal_id), view=home_of(bravo, "UANA"))
    [opened] = bravo.slack.wait_for("views.open")
    assert view_of(opened)["callback_id"] == "goal_pause_modal"


def test_toggles_set_preferences_through_their_use_cases(bravo: Bravo) -> None:
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    for n, value in enumerate(("leaderboards_out", "celebrations_out", "milestones_channel")):
        bravo.send.block_action("UANA", "home_toggle", value, view=view)
        view = home_of(bravo, "UANA", n + 2)
    with bravo.deps.db.read() as session:
        assert session.get(UserPref, (TEAM, "UANA")).leaderboard_opt_out  # type: ignore[union-attr]
        pref = session.get(CelebrationPref, (TEAM, "UANA"))
        assert pref is not None and pref.opt_out and pref.milestones == "channel"
    body = json.dumps(view)
    assert "Show me on leaderboards" in body and "Turn celebrations on" in body
    assert "Milestones by DM" in body


def test_a_forged_toggle_changes_nothing(bravo: Bravo) -> None:
    open_home(bravo, "UANA")
    view = home_of(bravo, "UANA")
    assert bravo.send.block_action("UANA", "home_toggle", "admins_on", view=view).status == 200
    assert bravo.deps.work.wait_idle(5)
    assert publishes(bravo, "UANA") == 1
    with bravo.deps.db.read() as session:
        assert session.get(UserPref, (TEAM, "UANA")) is None


def test_kudos_given_by_command_refreshes_the_givers_and_the_recipients_homes(
    bravo: Bravo,
) -> None:
    open_home(bravo, "UANA")
    open_home(bravo, "UBEN")
    home_of(bravo, "UANA")
    home_of(bravo, "UBEN")
    bravo.send.slash_command(
        "UANA", "/kudos", "<@UBEN|ben> for the calm handover", channel_id=CHANNEL
    )
    assert bravo.deps.work.wait_idle(5)
    refresh(bravo)
    assert "calm handover" in json.dumps(home_of(bravo, "UANA", 2))
    assert "calm handover" in json.dumps(home_of(bravo, "UBEN", 2))
    assert publishes(bravo, "UCY") == 0
