"""One acknowledgement per click: every button (and the forms they open) answers the person who
pressed it with exactly one message (the pressed message redrawn, or an ephemeral, or one DM),
never a redraw and a second message saying the same. Counted on what the fake Slack received."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.goals import jobs
from bot.sandbox.server import Call, FakeSlack
from storage.db import Database
from storage.models import CheckInPrompt, CustomerFeedback, Goal
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo
from tests.handlers.test_feedback import (
    COACH,
    GIVER,
    RECIPIENT,
    customer_form,
    give,
    log_customer,
    pair,
    posts_to,
)
from tests.handlers.test_goals import NY_MONDAY_0930, click, make_goal, menu, prompts_to, view_of

TOLD = {"response_url", "chat.postEphemeral", "chat.postMessage", "chat.update"}


@pytest.fixture
def bravo(slack: FakeSlack, sqlite_db: Database) -> Iterator[Bravo]:
    """SQLite only: what is counted here is what Slack receives, the same on either database."""
    yield from start_bravo(slack, sqlite_db)


def _to(call: Call) -> Any:
    if call.method == "response_url":
        return call.context.get("user")
    if call.method == "chat.postEphemeral":
        return call.args.get("user")
    return call.context.get("dm_user") or call.args.get("channel")


def heard(bravo: Bravo, user: str, since: int) -> list[Call]:
    """What ``user`` was told since call number ``since``, once Bravo has settled: the first
    answer, then the work queue idle and the outbox delivered."""
    deadline = time.monotonic() + 5
    while not _heard(bravo, user, since) and time.monotonic() < deadline:
        time.sleep(0.02)
        bravo.deliver()
    return settled(bravo, user, since)


def settled(bravo: Bravo, user: str, since: int) -> list[Call]:
    assert bravo.deps.work.wait_idle(5)
    bravo.deliver()
    return _heard(bravo, user, since)


def _heard(bravo: Bravo, user: str, since: int) -> list[Call]:
    calls = bravo.slack.calls()[since:]
    return [c for c in calls if c.method in TOLD and c.ok and _to(c) == user]


def mark(bravo: Bravo) -> int:
    bravo.deliver()
    return len(bravo.slack.calls())


def words(call: Call) -> str:
    return str(call.args.get("text", "")) + json.dumps(call.args.get("blocks") or [])


# Feedback: the recipient's buttons -------------------------------------------------------------


def feedback_dm(bravo: Bravo) -> tuple[Call, int]:
    fb = give(bravo)
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    return dm, fb.id or 0


def test_thank_them_redraws_the_dm_and_sends_no_second_message(bravo: Bravo) -> None:
    dm, fb_id = feedback_dm(bravo)
    since = mark(bravo)
    click(bravo, RECIPIENT, dm, "feedback_thank", str(fb_id))
    [told] = heard(bravo, RECIPIENT, since)
    assert told.method == "response_url" and told.args["replace_original"] is True
    assert "feedback_thank" not in json.dumps(told.args["blocks"])  # the used button went


def test_share_with_my_coach_redraws_the_dm_and_sends_no_second_message(bravo: Bravo) -> None:
    pair(bravo)
    dm, fb_id = feedback_dm(bravo)
    since = mark(bravo)
    click(bravo, RECIPIENT, dm, "feedback_share", str(fb_id))
    [told] = heard(bravo, RECIPIENT, since)
    assert told.args["replace_original"] is True and "coach" in words(told)
    assert posts_to(bravo, COACH)  # the coach hears it: someone else


def test_mark_acted_on_is_one_ephemeral(bravo: Bravo) -> None:
    _, fb_id = feedback_dm(bravo)
    since = mark(bravo)
    assert bravo.send.block_action(RECIPIENT, "feedback_acted_on", str(fb_id)).status == 200
    [told] = heard(bravo, RECIPIENT, since)
    assert told.method == "response_url" and told.args.get("replace_original") is False


def test_give_feedback_on_a_request_opens_the_form_and_says_nothing(bravo: Bravo) -> None:
    bravo.send.slash_command(RECIPIENT, "/feedback", "request <@UANA|ana>", channel_id=CHANNEL)
    bravo.slack.wait_for("response_url")
    assert bravo.deps.work.wait_idle(5)
    bravo.deliver()
    [request] = posts_to(bravo, "UANA", "would value your feedback")
    request_id = json.dumps(request.args["blocks"]).split('"value": "')[1].split('"')[0]
    since = mark(bravo)
    click(bravo, "UANA", request, "feedback_answer", request_id)
    bravo.slack.wait_for("views.open")
    assert settled(bravo, "UANA", since) == []


# Goals: a prompt's buttons, the note form, the goal menu ---------------------------------------


def prompt_for(bravo: Bravo, streak: int = 0) -> tuple[Goal, Call, int]:
    goal = make_goal(bravo)
    if streak:
        with bravo.deps.db.write() as s:
            row = s.get(Goal, goal.id)
            assert row is not None
            row.streak = row.best_streak = streak
            s.add(row)
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + timedelta(minutes=1))
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    return goal, post, prompt.id or 0


def test_a_status_button_redraws_the_prompt_only(bravo: Bravo) -> None:
    _, post, pid = prompt_for(bravo)
    since = mark(bravo)
    click(bravo, "UANA", post, "checkin_answer", f"{pid}:on_track")
    [told] = heard(bravo, "UANA", since)
    assert told.args["replace_original"] is True and "Checked in" in told.args["text"]


def test_a_streak_milestone_is_told_in_the_redraw_not_in_another_dm(bravo: Bravo) -> None:
    _, post, pid = prompt_for(bravo, streak=3)
    since = mark(bravo)
    click(bravo, "UANA", post, "checkin_answer", f"{pid}:on_track")
    [told] = heard(bravo, "UANA", since)
    assert told.method == "response_url" and "4 check-ins in a row" in told.args["text"]


def test_done_redraws_the_prompt_with_the_completion_and_sends_no_dm(bravo: Bravo) -> None:
    _, post, pid = prompt_for(bravo)
    since = mark(bravo)
    click(bravo, "UANA", post, "checkin_answer_done", f"{pid}:done")
    [told] = heard(bravo, "UANA", since)
    assert told.method == "response_url" and "completed your goal" in told.args["text"]


def test_a_note_updates_the_prompt_and_sends_no_check_in_saved(bravo: Bravo) -> None:
    _, post, pid = prompt_for(bravo)
    click(bravo, "UANA", post, "checkin_note", str(pid))
    view = view_of(bravo.slack.wait_for("views.open")[-1])
    values = {
        "status": {"input": {"type": "static_select", "selected_option": {"value": "at_risk"}}},
        "progress": {"input": {"type": "plain_text_input", "value": "3 of 5 calls"}},
    }
    since = mark(bravo)
    assert bravo.send.view_submission("UANA", view, values).status == 200
    [told] = heard(bravo, "UANA", since)
    assert told.method == "chat.update" and told.args["ts"] == post.response["ts"]
    assert "At risk" in told.args["text"]


def test_a_note_on_no_prompt_is_one_check_in_saved_dm(bravo: Bravo) -> None:
    goal = make_goal(bravo)
    menu(bravo, "UANA", f"checkin:{goal.id}")
    view = view_of(bravo.slack.wait_for("views.open")[-1])
    values = {
        "status": {"input": {"type": "static_select", "selected_option": {"value": "on_track"}}},
        "progress": {"input": {"type": "plain_text_input", "value": "Two calls summarised"}},
    }
    since = mark(bravo)
    assert bravo.send.view_submission("UANA", view, values).status == 200
    [told] = heard(bravo, "UANA", since)
    assert told.method == "chat.postMessage" and "Check-in saved" in told.args["text"]


def test_complete_from_the_goal_menu_is_one_ephemeral_and_no_dm(bravo: Bravo) -> None:
    goal = make_goal(bravo, visibility="public")
    since = mark(bravo)
    menu(bravo, "UANA", f"complete:{goal.id}")
    [told] = heard(bravo, "UANA", since)
    assert told.method == "response_url" and "Goal completed" in told.args["text"]
    assert posts_to(bravo, CHANNEL, "completed a goal")  # the team still hears it


# Coaching: Accept and Decline -------------------------------------------------------------------


def coach_request(bravo: Bravo, coach: str) -> tuple[Call, str]:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(coach, "/coach", "<@UANA|ana>", channel_id=CHANNEL)
    bravo.slack.wait_for("response_url", before + 1)
    assert bravo.deps.work.wait_idle(5)
    bravo.deliver()
    request = [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args["channel"] == "UANA" and f"<@{coach}>" in c.args["text"]
    ][-1]
    return request, json.dumps(request.args["blocks"]).split('"value": "')[1].split('"')[0]


def test_accept_and_decline_each_redraw_the_request_only(bravo: Bravo) -> None:
    for coach, action in (("UBEN", "coach_accept"), ("UCY", "coach_decline")):
        request, pairing = coach_request(bravo, coach)
        since = mark(bravo)
        click(bravo, "UANA", request, action, pairing)
        [told] = heard(bravo, "UANA", since)
        assert told.args["replace_original"] is True, action
        assert posts_to(bravo, coach, "accepted" if action == "coach_accept" else "declined")


# Kudos: Undo -------------------------------------------------------------------------------------


def test_undo_redraws_the_confirmation_only(bravo: Bravo) -> None:
    bravo.send.slash_command("UANA", "/kudos", "<@UBEN|ben> for the macro", channel_id=CHANNEL)
    [confirmation] = bravo.slack.wait_for("response_url")
    batch = json.dumps(confirmation.args["blocks"]).split('"value": "')[1].split('"')[0]
    since = mark(bravo)
    assert bravo.send.block_action("UANA", "kudos_undo", batch, channel_id=CHANNEL).status == 200
    [told] = heard(bravo, "UANA", since)
    assert told.args["replace_original"] is True and "withdr" in words(told).lower()


def test_turn_praise_into_kudos_is_one_ephemeral(bravo: Bravo) -> None:
    view, _ = log_customer(bravo)
    assert bravo.send.view_submission(GIVER, view, customer_form(RECIPIENT)).status == 200
    with bravo.deps.db.read() as s:
        row = s.exec(select(CustomerFeedback)).one()
    since = mark(bravo)
    assert bravo.send.block_action(GIVER, "customer_kudos", str(row.id)).status == 200
    [told] = heard(bravo, GIVER, since)
    assert told.method == "response_url" and "Kudos sent" in told.args["text"]


def test_end_a_pairing_redraws_the_list_only(bravo: Bravo) -> None:
    request, pairing = coach_request(bravo, "UBEN")
    click(bravo, "UANA", request, "coach_accept", pairing)
    heard(bravo, "UANA", mark(bravo))
    since = mark(bravo)
    assert bravo.send.block_action("UANA", "coach_end", pairing, channel_id=CHANNEL).status == 200
    [told] = heard(bravo, "UANA", since)
    assert told.args["replace_original"] is True
    assert posts_to(bravo, "UBEN", "ended")  # the other side hears it


def test_archive_from_the_goal_menu_is_one_ephemeral(bravo: Bravo) -> None:
    goal = make_goal(bravo)
    since = mark(bravo)
    menu(bravo, "UANA", f"archive:{goal.id}")
    [told] = heard(bravo, "UANA", since)
    assert told.method == "response_url" and "archived" in told.args["text"]
