"""Who each goal message goes to: the privacy of completions, alerts and prompts (pure)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.goals import messages, render
from bot.goals.checkins import CheckInResult
from bot.goals.due import Due, DueOutcome
from bot.goals.lifecycle import Closed
from bot.outbox.envelope import OutMessage
from storage.models import CheckIn, CheckInPrompt, Goal

AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def goal(
    visibility: str, status: str = "completed", what: str = "Call back <!channel> fast"
) -> Goal:
    return Goal(
        id=7,
        team_id="T1",
        owner_id="UANA",
        what=what,
        measure="<@UBOSS> happy",
        skill="empathy",
        target_date=date(2027, 1, 1),
        cadence_anchor=date(2026, 11, 23),
        visibility=visibility,
        status=status,
        channel_id="C1",
        created_at=AT,
        updated_at=AT,
    )


def recipients(sent: list[OutMessage]) -> set[str]:
    return {str(m.payload["channel"]) for m in sent if m.method == "chat.postMessage"}


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("private", set()),  # the owner, who completed it, hears it in their acknowledgement
        ("coach", {"UBEN"}),
        ("public", {"UBEN", "C1"}),
    ],
)
def test_a_completed_goal_is_celebrated_only_where_its_visibility_allows(
    visibility: str, expected: set[str]
) -> None:
    closed = Closed(goal(visibility), (), ("UBEN",), None)
    assert recipients(messages.closed_messages(closed, None)) == expected


def test_the_celebration_channel_setting_wins_for_public_goals() -> None:
    closed = Closed(goal("public"), (), (), None)
    assert recipients(messages.closed_messages(closed, "CKUDOS")) == {"CKUDOS"}


def test_an_archived_goal_is_announced_to_no_one_and_its_prompt_loses_its_buttons() -> None:
    prompt = CheckInPrompt(
        id=3, team_id="T1", goal_id=7, user_id="UANA", due_at=AT, outbox_id=41, created_at=AT
    )
    out = messages.closed_messages(Closed(goal("public", "archived"), (prompt,), ("UBEN",)), "C9")
    assert [(m.method, m.update_of) for m in out] == [("chat.update", 41)]


def checkin_of(status: str) -> CheckIn:
    return CheckIn(
        id=5, team_id="T1", goal_id=7, user_id="UANA", status=status, source="prompt", created_at=AT
    )


def test_a_blocked_check_in_alerts_only_the_coaches_the_service_names() -> None:
    checkin = checkin_of("blocked")
    shared = CheckInResult(goal("coach", "active"), checkin, None, True, None, None, ("UBEN",))
    private = CheckInResult(goal("private", "active"), checkin, None, True, None, None, ())
    assert recipients(messages.checkin_messages(shared, None, from_prompt_buttons=True)) == {"UBEN"}
    assert recipients(messages.checkin_messages(private, None, from_prompt_buttons=True)) == set()


def test_prompts_go_to_the_owner_only_and_escape_what_people_typed() -> None:
    g = goal("coach", "active")
    prompt = CheckInPrompt(id=3, team_id="T1", goal_id=7, user_id="UANA", due_at=AT, created_at=AT)
    due = Due(g, AT, DueOutcome.PROMPT, prompt=prompt, tip=None)
    [message] = messages.due_messages(due, render.ZoneInfo("America/New_York"))
    assert message.payload["channel"] == "UANA"
    assert message.dedupe_key == f"checkin:T1:7:{AT.isoformat()}"
    text = json.dumps(message.payload)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<@UBOSS>" not in text  # a mention typed into a goal pings no one


def test_a_streak_milestone_is_told_in_the_acknowledgement_unless_it_goes_to_the_channel() -> None:
    checkin = checkin_of("on_track")
    result = CheckInResult(goal("coach", "active"), checkin, None, True, 4, None, ())
    assert messages.checkin_messages(result, None, from_prompt_buttons=True) == []  # no DM
    assert messages.milestone_told(result) == 4
    assert "4 check-ins in a row" in messages.checkin_ack(result, 4)["text"]  # type: ignore[operator]
    assert messages.milestone_told(result, frozenset({"UANA"})) is None
    # From the note form with no prompt to redraw: one DM, the confirmation, telling it.
    [saved] = messages.checkin_messages(result, None, from_prompt_buttons=False)
    assert saved.payload["channel"] == "UANA" and "4 check-ins in a row" in str(saved.payload)
    # Completing the goal tells the streak in the acknowledgement, wherever milestones go.
    done = Closed(goal("private"), (), (), 4)
    finished = CheckInResult(goal("private"), checkin, None, True, 4, done, ())
    assert messages.milestone_told(finished, frozenset({"UANA"})) == 4
    assert messages.checkin_messages(finished, None, from_prompt_buttons=True) == []
