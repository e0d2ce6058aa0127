"""Queue mode: a worker that dies after doing a request's work, before marking it done, leaves
the item claimed; another worker replays it after the claim's timeout. Each replayed use case
records the request's key (``bot.payload.request_key``) in its own transaction, so the second
replay writes nothing, sends nothing and answers nothing (``bot.work.Replayed``).

Every test: the web process records the request; a "dead" worker claims it and does it; a
second worker takes it again after ``CLAIM_FOR`` and replays the same body. One record, one
message, one answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.errors import BUSY
from bot.sandbox.server import Call, FakeSlack
from bot.work import WorkQueue
from bot.worker import record_for
from handlers.app import build_app, replayer
from storage import work as store
from storage.db import Database
from storage.models import (
    CheckIn,
    CheckInPrompt,
    CoachPairing,
    CustomerFeedback,
    Feedback,
    FeedbackRequest,
    Goal,
    Kudos,
    KudosRevocation,
    Suggestion,
)
from storage.models.goals import GoalStatus
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo
from tests.handlers.test_queue_mode import a_worker, waiting, worker_deps

T = "T0SANDBOX"


@pytest.fixture
def web(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user("UADMIN", "ada", is_admin=True)
    slack.add_user("UDEV", "dev")
    yield from start_bravo(slack, db, work=WorkQueue(record=record_for(db)))


def work_all(web: Bravo) -> None:
    """A healthy worker does everything recorded so far, and its deliverer sends it."""
    deps = worker_deps(web)
    worker = a_worker(deps)
    while worker.run_once():
        pass
    deps.deliverer.drain()


def done_twice(web: Bravo) -> None:
    """The one item waiting is done by a worker that dies before marking it, then taken again
    and replayed by another after the claim's timeout; then everything queued is delivered."""
    deps = worker_deps(web)
    now = datetime.now(UTC)
    with web.deps.db.write() as session:
        [item] = store.claim(session, worker="dead", now=now, stale_before=now)
        body = store.body_of(item)
    replayer(build_app(deps, http=False, verify_token=False))(body)
    deps.deliverer.drain()
    later = a_worker(deps, now=lambda: datetime.now(UTC) + timedelta(minutes=6))
    assert later.run_once() is True
    deps.deliverer.drain()
    assert waiting(web.deps.db) == 0


def count(web: Bravo, model: Any) -> int:
    with web.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def answers(web: Bravo, words: str) -> int:
    return sum(words in json.dumps(c.args) for c in web.slack.calls("response_url"))


def dms(web: Bravo, user: str, words: str = "") -> list[Call]:
    return [
        c
        for c in web.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == user and words in json.dumps(c.args)
    ]


def buttons(call: Call) -> dict[str, str]:
    """A message's buttons: action_id -> value."""
    found: dict[str, str] = {}
    for block in call.args.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found[element["action_id"]] = element.get("value", "")
    return found


def press(web: Bravo, user: str, call: Call, action_id: str) -> None:
    message = {"type": "message", "ts": call.response.get("ts"), "blocks": call.args["blocks"]}
    channel = call.response.get("channel") or CHANNEL
    result = web.send.block_action(
        user, action_id, buttons(call)[action_id], channel_id=channel, message=message
    )
    assert result.status == 200


def test_an_anonymous_suggestion_replayed_is_posted_once(web: Bravo) -> None:
    web.send.slash_command("UADMIN", "/suggest", "setup", channel_id=CHANNEL)
    web.send.slash_command("UANA", "/suggest", "Quiet hours on Fridays, please", channel_id=CHANNEL)
    work_all(web)
    [preview] = [c for c in web.slack.calls("response_url") if "suggest_post" in buttons(c)]
    press(web, "UANA", preview, "suggest_post")
    done_twice(web)
    assert count(web, Suggestion) == 1
    new = [
        c for c in web.slack.calls("chat.postMessage", ok=True) if "New anonymous" in c.args["text"]
    ]
    assert len(new) == 1
    assert answers(web, "already") == 0  # the replay does not say "already posted" either


def test_a_coaching_offer_and_its_acceptance_replayed_happen_once(web: Bravo) -> None:
    web.send.slash_command("UBEN", "/coach", "<@UANA|ana>", channel_id=CHANNEL)
    done_twice(web)
    assert count(web, CoachPairing) == 1
    [offer] = dms(web, "UANA")
    assert answers(web, "nothing is shared") == 1
    press(web, "UANA", offer, "coach_accept")
    done_twice(web)
    assert len(dms(web, "UBEN", "accepted")) == 1
    said = [c.args.get("text", "") for c in web.slack.calls("response_url")]
    assert sum("You accepted" in s for s in said) == 1
    assert not any("no longer" in s or "already" in s for s in said)
    web.send.slash_command("UBEN", "/coach", "end <@UANA|ana>", channel_id=CHANNEL)
    done_twice(web)
    assert len(dms(web, "UANA", "ended")) == 1
    assert answers(web, "No coaching") == 0


def test_a_check_in_answer_replayed_is_recorded_and_answered_once(web: Bravo) -> None:
    from bot.goals import jobs
    from tests.handlers.test_goals import NY_MONDAY_0930, click, make_goal, prompts_to

    make_goal(web)
    assert jobs.run_checkins(web.deps, NY_MONDAY_0930 + timedelta(minutes=1))["prompt"] == 1
    web.deliver()
    [post] = prompts_to(web, "UANA")
    with web.deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
    click(web, "UANA", post, "checkin_answer", f"{prompt.id}:on_track")
    done_twice(web)
    assert count(web, CheckIn) == 1
    assert len(web.slack.calls("response_url")) == 1


def test_a_feedback_request_and_a_thanks_replayed_are_sent_once(web: Bravo) -> None:
    web.send.slash_command("UBEN", "/feedback", "request <@UANA|ana> my calls", channel_id=CHANNEL)
    done_twice(web)
    assert count(web, FeedbackRequest) == 1
    assert len(dms(web, "UANA")) == 1
    assert len(web.slack.calls("response_url")) == 1
    with web.deps.db.write() as s:
        s.add(
            Feedback(
                team_id=T,
                giver_id="UCY",
                recipient_id="UBEN",
                situation="On the Tuesday call",
                behaviour="you summarised the customer's problem",
                impact="they calmed down",
                skill="",
                fingerprint="f1",
                created_at=web.clock(),
            )
        )
    with web.deps.db.read() as s:
        [fb] = s.exec(select(Feedback)).all()
    web.send.block_action("UBEN", "feedback_thank", str(fb.id), channel_id="D0DM")
    done_twice(web)
    assert len(dms(web, "UCY")) == 1  # the giver is thanked once


def test_an_undo_replayed_is_done_and_answered_once(web: Bravo) -> None:
    web.send.slash_command("UANA", "/kudos", "<@UBEN|ben> for the fix", channel_id=CHANNEL)
    work_all(web)
    [kudos] = web.slack.calls("response_url")
    press(web, "UANA", kudos, next(a for a in buttons(kudos) if "undo" in a))
    done_twice(web)
    assert count(web, Kudos) == 1 and count(web, KudosRevocation) == 1
    assert len(web.slack.calls("response_url")) == 2  # the kudos' answer, then the undo's


@pytest.fixture
def web_without_db(slack: FakeSlack, db: Database, tmp_path: Path) -> Iterator[Bravo]:
    """The web process of the split shape, whose database is gone when it records."""
    gone = Database.from_url(f"sqlite:///{tmp_path / 'no-such-dir' / 'gone.db'}")
    yield from start_bravo(slack, db, work=WorkQueue(record=record_for(gone)))
    gone.dispose()


def test_a_command_that_cannot_be_recorded_is_answered_busy(web_without_db: Bravo) -> None:
    web = web_without_db
    said = web.send.slash_command("UANA", "/kudos", "<@UBEN|ben> for the fix", channel_id=CHANNEL)
    assert said.status == 200
    [busy] = web.slack.wait_for("response_url")
    assert busy.args["text"].startswith(BUSY)
    assert "for the fix" in busy.args["text"]  # what they typed, to send again
    web.send.block_action("UANA", "coach_accept", "1", channel_id=CHANNEL)
    assert web.slack.wait_for("response_url", 2)[-1].args["text"].startswith(BUSY)
    assert waiting(web.deps.db) == 0 and count(web, Kudos) == 0


def test_an_event_that_cannot_be_recorded_fails_so_slack_sends_it_again(
    web_without_db: Bravo,
) -> None:
    event = {
        "type": "reaction_added",
        "user": "UANA",
        "reaction": "clap",
        "item_user": "UBEN",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1700000000.000100"},
        "event_ts": "1700000001.000200",
    }
    assert web_without_db.send.event(event, event_id="Ev9").status == 500
    assert web_without_db.slack.calls("response_url") == []


def test_a_goal_completed_from_its_menu_replayed_is_completed_and_answered_once(
    web: Bravo,
) -> None:
    from tests.handlers.test_goals import make_goal, menu

    goal = make_goal(web)
    menu(web, "UANA", f"complete:{goal.id}")
    done_twice(web)
    with web.deps.db.read() as s:
        assert s.exec(select(Goal)).one().status == GoalStatus.COMPLETED
    [said] = web.slack.calls("response_url")  # no "already closed" after it
    assert "already" not in json.dumps(said.args)


def test_customer_praise_turned_into_kudos_replayed_is_one_kudos(web: Bravo) -> None:
    from tests.handlers.test_feedback import customer_form, log_customer, submit

    view, _ = log_customer(web, "UANA")
    assert submit(web, view, customer_form("UBEN"), user="UANA") == {}
    with web.deps.db.read() as s:
        row = s.exec(select(CustomerFeedback)).one()
    web.send.block_action("UANA", "customer_kudos", str(row.id), channel_id="D0DM")
    done_twice(web)
    assert count(web, Kudos) == 1
    assert answers(web, "Kudos sent") == 1 and answers(web, "already") == 0
    assert len(dms(web, "UBEN", "gave you kudos")) == 1


def test_away_replayed_is_set_and_answered_once(web: Bravo) -> None:
    web.send.slash_command("UANA", "/goal", "away until 2026-12-24", channel_id=CHANNEL)
    done_twice(web)
    assert len(web.slack.calls("response_url")) == 1
