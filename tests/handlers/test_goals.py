"""Goals and check-ins end to end: signed requests and scheduled jobs in, what Slack was asked
to show out, and who could see what."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import func, select

from bot.cadence import Cadence
from bot.deps import Deps, build_deps
from bot.goals import jobs
from bot.goals import service as goals
from bot.sandbox.server import Call, FakeSlack
from bot.settings import load_settings
from handlers.common import DEPS
from handlers.goals import on_goal, on_goal_modal
from storage.db import Database
from storage.models import CheckIn, CheckInPrompt, Goal, ScheduledSend
from tests.handlers.conftest import CHANNEL, SECRET, Bravo, Clock, Recorder

T = "T0SANDBOX"
# The fixture clock: Monday 2026-11-23 15:00 UTC (10:00 in New York, Ana's zone).
NY_MONDAY_0930 = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def listener_deps(slack: FakeSlack, db: Database) -> Deps:
    """What the composition root builds, as tests/handlers/conftest.py does, without the app."""
    env = {
        "SLACK_BOT_TOKEN": "xoxb-sandbox",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.base_url,
    }
    return build_deps(load_settings(env), db, clock=Clock())


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def goal_values(**over: Any) -> dict[str, Any]:
    fields = {
        "what": ("plain_text_input", "value", "Summarise the caller's issue before fixing it"),
        "measure": ("plain_text_input", "value", "QA listening score 4/5 or more"),
        "skill": ("static_select", "selected_option", {"value": "active-listening"}),
        "target": ("datepicker", "selected_date", "2027-02-01"),
        "cadence": ("static_select", "selected_option", {"value": "weekly"}),
        "day": ("static_select", "selected_option", {"value": "0"}),
        "time": ("timepicker", "selected_time", "09:30"),
        "visibility": ("radio_buttons", "selected_option", {"value": "coach"}),
    }
    out = {}
    for block, (kind, key, value) in fields.items():
        value = over.get(block, value)
        out[block] = {"input": {"type": kind, key: value}}
    return out


def make_goal(bravo: Bravo, owner: str = "UANA", tz: str = "America/New_York", **kw: Any) -> Goal:
    from bot.users import Person

    spec = goals.GoalSpec(
        what=kw.pop("what", "Answer every chat within 2 minutes"),
        measure="Median first response under 2 min",
        skill="empathy",
        target_date=date(2027, 3, 1),
        cadence=kw.pop("cadence", Cadence("weekly", weekday=0, minute=9 * 60 + 30)),
        visibility=kw.pop("visibility", "coach"),
    )
    with bravo.deps.db.write() as s:
        return goals.create_goal(
            s,
            team_id=T,
            owner=Person(owner, tz=tz),
            spec=spec,
            channel_id=CHANNEL,
            now=kw.pop("now", datetime(2026, 11, 23, 12, tzinfo=UTC)),
        )


def prompts_to(bravo: Bravo, user: str) -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user and "Time to check in" in c.args.get("text", "")
    ]


def click(bravo: Bravo, user: str, post: Call, action_id: str, value: str) -> None:
    message = {
        "type": "message",
        "ts": post.response["ts"],
        "blocks": post.args["blocks"],
        "text": post.args["text"],
    }
    result = bravo.send.block_action(
        user, action_id, value, channel_id=post.response["channel"], message=message
    )
    assert result.status == 200


def menu(bravo: Bravo, user: str, value: str) -> None:
    """A choice in a goal's overflow menu (in the ephemeral /goal list)."""
    option = {"text": {"type": "plain_text", "text": value}, "value": value}
    result = bravo.send.block_action(
        user,
        "goal_menu",
        None,
        channel_id=CHANNEL,
        action={"type": "overflow", "selected_option": option},
    )
    assert result.status == 200


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_the_goal_modal_refuses_bad_input_then_saves_and_confirms(bravo: Bravo) -> None:
    assert bravo.send.slash_command("UANA", "/goal", "", channel_id=CHANNEL).status == 200
    [opened] = bravo.slack.wait_for("views.open")
    view = view_of(opened)
    assert view["callback_id"] == "goal_modal"
    bad = goal_values(target="2026-11-20", measure="  ")
    body = bravo.send.view_submission("UANA", view, bad).json() or {}
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"target", "measure"}
    assert count(bravo, Goal) == 0  # nothing half-saved
    result = bravo.send.view_submission("UANA", view, goal_values())
    assert result.status == 200 and not result.body.strip()
    with bravo.deps.db.read() as s:
        [goal] = s.exec(select(Goal)).all()
    assert (goal.skill, goal.visibility, goal.cadence_minute) == ("active-listening", "coach", 570)
    assert goal.next_due_at == NY_MONDAY_0930 + timedelta(days=7)  # today's 09:30 NY has passed
    bravo.deliver()
    [saved] = [c for c in bravo.slack.calls("chat.postMessage") if c.args["channel"] == "UANA"]
    assert "Goal set" in saved.args["text"]


def test_a_prompt_is_answered_once_by_its_owner_only(bravo: Bravo) -> None:
    goal = make_goal(bravo)
    counts = jobs.run_checkins(bravo.deps, NY_MONDAY_0930 + timedelta(minutes=1))
    assert counts["prompt"] == 1
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    blocks = json.dumps(post.args["blocks"])
    assert "Tip for #empathy" in blocks and "On track" in blocks and "Add a note" in blocks
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(bravo, "UBEN", post, "checkin_answer", f"{prompt.id}:on_track")
    refused = bravo.slack.wait_for("response_url")[-1].args
    assert "isn't yours" in refused["text"] and refused.get("replace_original") is False
    click(bravo, "UANA", post, "checkin_answer", f"{prompt.id}:on_track")
    replaced = bravo.slack.wait_for("response_url", count=2)[-1].args
    assert replaced["replace_original"] is True and "Checked in" in replaced["text"]
    assert "actions" not in json.dumps(replaced.get("blocks"))  # the buttons are gone
    click(bravo, "UANA", post, "checkin_answer_blocked", f"{prompt.id}:blocked")
    again = bravo.slack.wait_for("response_url", count=3)[-1].args
    assert "already answered" in again["text"]
    with bravo.deps.db.read() as s:
        [checkin] = s.exec(select(CheckIn)).all()
        assert checkin.status == "on_track"
        assert s.get(Goal, goal.id).streak == 1  # type: ignore[union-attr]


def test_jobs_run_twice_and_at_once_send_each_prompt_once(bravo: Bravo) -> None:
    for i in range(3):
        make_goal(bravo, what=f"Goal number {i} for Ana")
    sunday = datetime(2026, 11, 22, 12, tzinfo=UTC)
    make_goal(bravo, owner="UBEN", tz="Europe/Berlin", now=sunday)
    make_goal(bravo, owner="UCY", tz="Asia/Kolkata", now=sunday)
    at = NY_MONDAY_0930 + timedelta(minutes=5)
    threads = [threading.Thread(target=jobs.run_checkins, args=(bravo.deps, at)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    jobs.run_checkins(bravo.deps, at)  # a restart that runs the same due time again
    bravo.deliver()
    assert len(prompts_to(bravo, "UANA")) == 3
    assert len(prompts_to(bravo, "UBEN")) == 1  # 09:30 Berlin was due at 08:30 UTC
    assert len(prompts_to(bravo, "UCY")) == 1  # 09:30 in India, 04:00 UTC: late, within grace
    assert count(bravo, CheckInPrompt) == 5
    with bravo.deps.db.read() as s:
        keys = s.exec(select(ScheduledSend.key).where(ScheduledSend.kind == "checkin")).all()
    assert len(keys) == len(set(keys)) == 5


def test_one_broken_goal_does_not_hold_up_the_others_in_its_batch(bravo: Bravo) -> None:
    made = [make_goal(bravo, what=f"Goal {i}") for i in range(4)]
    with bravo.deps.db.write() as s:
        broken = s.get(Goal, made[1].id)
        assert broken is not None
        # A row no release of Bravo writes (the database refuses an unknown cadence, so the
        # minute is out of range instead): handling it raises.
        broken.cadence_minute = 24 * 60 + 5
        s.add(broken)
    at = NY_MONDAY_0930 + timedelta(minutes=1)
    counts = jobs.run_checkins(bravo.deps, at)
    assert counts == {"prompt": 3, "error": 1}
    bravo.deliver()
    assert len(prompts_to(bravo, "UANA")) == 3
    with bravo.deps.db.read() as s:
        still = s.get(Goal, made[1].id)
        assert still is not None and still.next_due_at is not None and still.next_due_at <= at
        prompted = s.exec(select(CheckInPrompt.goal_id)).all()
    assert sorted(prompted) == sorted(g.id for i, g in enumerate(made) if i != 1)


def test_two_goals_of_one_person_in_one_batch_get_different_tips(bravo: Bravo) -> None:
    for i in range(3):
        make_goal(bravo, what=f"Empathy goal {i}")  # same owner, same skill, same due time
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    with bravo.deps.db.read() as s:
        tips = s.exec(select(CheckInPrompt.tip_id)).all()
    assert len(tips) == 3 and len(set(tips)) == 3


def test_an_unanswered_prompt_gets_one_gentle_reminder(bravo: Bravo) -> None:
    make_goal(bravo)
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    assert jobs.run_reminders(bravo.deps, NY_MONDAY_0930 + timedelta(hours=3))["reminded"] == 0
    four_working_hours = NY_MONDAY_0930 + timedelta(hours=4)
    assert jobs.run_reminders(bravo.deps, four_working_hours)["reminded"] == 1
    assert jobs.run_reminders(bravo.deps, four_working_hours + timedelta(hours=1)) == {}
    bravo.clock.at = four_working_hours + timedelta(hours=1)
    bravo.deliver()
    reminders = [
        c for c in bravo.slack.calls("chat.postMessage") if "gentle nudge" in c.args["text"]
    ]
    assert len(reminders) == 1 and reminders[0].args["channel"] == "UANA"


def test_the_note_modal_records_progress_and_closes_the_prompt(bravo: Bravo) -> None:
    make_goal(bravo)
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(bravo, "UANA", post, "checkin_note", str(prompt.id))
    [opened] = bravo.slack.wait_for("views.open")
    view = view_of(opened)
    empty = {
        "status": {"input": {"type": "static_select", "selected_option": {"value": "at_risk"}}}
    }
    body = bravo.send.view_submission("UANA", view, empty).json() or {}
    assert body["response_action"] == "errors" and "progress" in body["errors"]
    values = {
        **empty,
        "progress": {"input": {"type": "plain_text_input", "value": "3 of 5 calls <!here>"}},
        "next_step": {"input": {"type": "plain_text_input", "value": "Ask Ben to listen in"}},
    }
    assert bravo.send.view_submission("UANA", view, values).status == 200
    bravo.deliver()
    with bravo.deps.db.read() as s:
        [checkin] = s.exec(select(CheckIn)).all()
        assert (checkin.status, checkin.prompt_id) == ("at_risk", prompt.id)
        assert s.get(CheckInPrompt, prompt.id).status == "answered"  # type: ignore[union-attr]
    [edit] = bravo.slack.calls("chat.update", ok=True)
    assert edit.args["ts"] == post.response["ts"] and "At risk" in edit.args["text"]
    assert "<!here>" not in json.dumps(edit.args)
    # The updated prompt is the one acknowledgement: no "Check-in saved" DM besides.
    assert not [c for c in bravo.slack.calls("chat.postMessage") if "saved" in c.args["text"]]


def test_archiving_a_goal_closes_its_prompt_and_old_buttons_explain(bravo: Bravo) -> None:
    goal = make_goal(bravo)
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    menu(bravo, "UANA", f"archive:{goal.id}")
    assert "archived" in bravo.slack.wait_for("response_url")[-1].args["text"]
    bravo.deliver()
    [edit] = bravo.slack.calls("chat.update", ok=True)
    assert edit.args["ts"] == post.response["ts"] and "no check-in needed" in edit.args["text"]
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(bravo, "UANA", post, "checkin_answer", f"{prompt.id}:on_track")
    assert "archived" in bravo.slack.wait_for("response_url", count=2)[-1].args["text"]
    assert count(bravo, CheckIn) == 0
    # Someone else's goal from a forged menu value, and a mangled value: refused, unchanged.
    menu(bravo, "UBEN", f"complete:{goal.id}")
    assert "isn't yours" in bravo.slack.wait_for("response_url", count=3)[-1].args["text"]
    menu(bravo, "UANA", "explode:1")
    assert "out of date" in bravo.slack.wait_for("response_url", count=4)[-1].args["text"]


def test_goal_commands_explain_mistakes(bravo: Bravo) -> None:
    bravo.send.slash_command("UANA", "/goal", "away until someday", channel_id=CHANNEL)
    assert "YYYY-MM-DD" in bravo.slack.wait_for("response_url")[-1].args["text"]
    bravo.send.slash_command("UANA", "/goal", "frobnicate", channel_id=CHANNEL)
    assert "frobnicate" in bravo.slack.wait_for("response_url", count=2)[-1].args["text"]
    bravo.send.slash_command("UANA", "/coach", "<@UANA|ana>", channel_id=CHANNEL)
    assert "coach yourself" in bravo.slack.wait_for("response_url", count=3)[-1].args["text"]
    bravo.send.slash_command("UANA", "/coach", "<@UROBOT|deploybot>", channel_id=CHANNEL)
    assert "is a bot" in bravo.slack.wait_for("response_url", count=4)[-1].args["text"]
    bravo.send.slash_command("UANA", "/goal", "away until 2026-12-24", channel_id=CHANNEL)
    assert "No check-ins through" in bravo.slack.wait_for("response_url", count=5)[-1].args["text"]
    bravo.send.slash_command("UANA", "/goal", "help", channel_id=CHANNEL)
    assert "/goal list" in bravo.slack.wait_for("response_url", count=6)[-1].args["text"]


def test_nobody_else_can_open_a_goals_note_or_edit_form(bravo: Bravo) -> None:
    goal = make_goal(bravo, visibility="coach")
    jobs.run_checkins(bravo.deps, NY_MONDAY_0930)
    bravo.deliver()
    [post] = prompts_to(bravo, "UANA")
    with bravo.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(bravo, "UBEN", post, "checkin_note", str(prompt.id))
    assert "isn't yours" in bravo.slack.wait_for("response_url")[-1].args["text"]
    for verb in ("edit", "checkin", "pause"):
        menu(bravo, "UBEN", f"{verb}:{goal.id}")
    bravo.slack.wait_for("response_url", count=4)
    assert bravo.slack.calls("views.open") == []  # no form with Ana's goal opened for Ben
    menu(bravo, "UANA", f"edit:{goal.id}")
    [opened] = bravo.slack.wait_for("views.open")
    assert view_of(opened)["blocks"][0]["element"]["initial_value"] == goal.what


def test_listeners_work_alone_without_the_app(slack: FakeSlack, db: Database) -> None:
    """A listener is a plain function: called with a fake ack and respond and the deps in its
    context, it answers as it does inside Bolt."""
    deps = listener_deps(slack, db)
    ack, respond = Recorder(), Recorder()
    command = {"team_id": T, "user_id": "UANA", "text": "frobnicate", "command": "/goal"}
    on_goal(ack, command, respond, deps.client, {DEPS: deps})
    assert ack.calls == [((), {})]
    [((reply,), _)] = respond.calls
    assert reply["response_type"] == "ephemeral" and "frobnicate" in reply["text"]
    ack = Recorder()
    body = {"team": {"id": T}, "user": {"id": "UANA"}}
    state = {"values": goal_values(target="2026-11-20", measure="  ")}
    view = {"private_metadata": "{}", "state": state}
    on_goal_modal(ack, body, view, {DEPS: deps})
    [((), answer)] = ack.calls
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"target", "measure"}
    with deps.db.read() as s:
        assert s.exec(select(Goal)).all() == []
