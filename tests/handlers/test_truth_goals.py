"""Goals say what really happened: a past date is called past, "back" when not away says so,
who can see a goal names the coach (or says there is none), and a coach's view of someone
else's goals says which time zone each time is in."""

from __future__ import annotations

import json

from storage.models import CoachPairing
from tests.handlers.conftest import CHANNEL, Bravo
from tests.handlers.test_goals import goal_values, make_goal, view_of

T = "T0SANDBOX"


def goal_cmd(bravo: Bravo, text: str, user: str = "UANA") -> str:
    before = len(bravo.slack.calls("response_url"))
    assert bravo.send.slash_command(user, "/goal", text, channel_id=CHANNEL).status == 200
    return json.dumps(bravo.slack.wait_for("response_url", before + 1)[-1].args)


def pair(bravo: Bravo, coach: str = "UBEN", coachee: str = "UANA") -> None:
    with bravo.deps.db.write() as s:
        s.add(
            CoachPairing(
                team_id=T,
                coach_id=coach,
                coachee_id=coachee,
                status="active",
                requested_at=bravo.clock(),
            )
        )


def saved_text(bravo: Bravo, visibility: str) -> str:
    assert bravo.send.slash_command("UANA", "/goal", "", channel_id=CHANNEL).status == 200
    view = view_of(bravo.slack.wait_for("views.open")[-1])
    values = goal_values(visibility={"value": visibility})
    assert bravo.send.view_submission("UANA", view, values).status == 200
    bravo.deliver()
    [saved] = [c for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UANA"]
    return str(saved.args["text"])


def test_away_until_yesterday_says_the_date_is_past(bravo: Bravo) -> None:
    # The fixture clock is Monday 2026-11-23 (in New York too).
    answer = goal_cmd(bravo, "away until 2026-11-22")
    assert "`2026-11-22` is in the past" in answer and "couldn't read" not in answer
    assert "No check-ins through" in goal_cmd(bravo, "away until 2026-11-23")  # today is fine


def test_back_when_not_away_says_you_were_not_away(bravo: Bravo) -> None:
    answer = goal_cmd(bravo, "back")
    assert "You weren't away" in answer and "Welcome back" not in answer
    goal_cmd(bravo, "away until 2026-12-24")
    assert "Welcome back" in goal_cmd(bravo, "back")
    assert "You weren't away" in goal_cmd(bravo, "back")


def test_a_shared_goal_without_a_coach_says_only_you(bravo: Bravo) -> None:
    text = saved_text(bravo, "coach")
    assert "Only you can see it for now: you have no coach yet." in text
    assert "your coach can see" not in text


def test_a_shared_goal_names_the_coach(bravo: Bravo) -> None:
    pair(bravo)
    text = saved_text(bravo, "public")
    assert "You and your coach <@UBEN> can see it; everyone will when you complete it." in text


def test_the_coachs_view_names_each_time_zone(bravo: Bravo) -> None:
    pair(bravo)  # Ben (Berlin) coaches Ana (New York)
    make_goal(bravo, owner="UANA", tz="America/New_York")
    as_coach = goal_cmd(bravo, "list <@UANA|ana>", user="UBEN")
    assert "your time (Europe/Berlin)" in as_coach
    assert "every Monday at 09:30 their time (America/New_York)" in as_coach
    mine = goal_cmd(bravo, "list")
    assert "their time" not in mine and "Next check-in" in mine
