"""Queue mode's straight path (``bot.web.Straight``, ``handlers.straight``): the web process
records an event or a ``/kudos`` with text for a worker without running Bolt, and a worker
replays it exactly as it replays what a listener handed on.

The web app here records through Bolt into a list that fails the test if used for a straight
request (``through_bolt``), so a request the straight path should have taken, or took twice,
shows."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import col, select

from bot.sandbox.server import FakeSlack
from bot.web import Straight
from bot.work import WorkQueue
from bot.worker import record_for
from handlers.app import build_app, replayer
from handlers.straight import recorded_as_is
from storage import work as store
from storage.db import Database
from storage.models import WorkItem
from tests.handlers.conftest import CHANNEL, TEAM, Bravo, start_bravo
from tests.handlers.test_kudos import command, kudos_rows, posts, reaction, reply
from tests.handlers.test_queue_mode import a_worker, run_all, waiting, worker_deps

Recorded = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def through_bolt() -> Recorded:
    return []


@pytest.fixture
def web(slack: FakeSlack, db: Database, through_bolt: Recorded) -> Iterator[Bravo]:
    """The web process of the split shape with the straight path, as ``bravo run --http
    --queue`` builds it with one SLACK_BOT_TOKEN. What its listeners hand on through Bolt is
    recorded too, and noted in ``through_bolt``."""
    bolt_record = record_for(db)

    def record(team_id: str, body: dict[str, Any]) -> None:
        through_bolt.append((team_id, body))
        bolt_record(team_id, body)

    straight = Straight(takes=recorded_as_is, team=TEAM, record=record_for(db))
    yield from start_bravo(slack, db, work=WorkQueue(record=record), straight=straight)


def recorded_bodies(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        items = session.exec(select(WorkItem).order_by(col(WorkItem.id))).all()
        return [store.body_of(i) for i in items]


def test_kudos_with_text_is_recorded_without_bolt_and_given_once_by_a_worker(
    web: Bravo, through_bolt: Recorded
) -> None:
    result = command(web, "<@UBEN|ben> for calming an angry caller #empathy")
    assert result.body == ""  # Slack's plain ack
    time.sleep(0.2)
    assert through_bolt == []  # no listener ran on the web process
    assert web.slack.calls("response_url") == [] and kudos_rows(web) == []
    [body] = recorded_bodies(web.deps.db)
    assert body["command"] == "/kudos" and body["team_id"] == TEAM
    assert body["text"] == "<@UBEN|ben> for calming an angry caller #empathy"
    deps = worker_deps(web)
    assert run_all(a_worker(deps)) == 1
    assert "kudos left today" in reply(web)["text"]
    assert [k.recipient_id for k in kudos_rows(web)] == ["UBEN"]
    deps.deliverer.drain()
    assert len(posts(web, CHANNEL)) == 1
    assert run_all(a_worker(deps)) == 0  # one item, done once


def test_a_retried_reaction_gives_one_kudos(web: Bravo, through_bolt: Recorded) -> None:
    reaction(web, "reaction_added", event_id="Ev7")
    reaction(web, "reaction_added", event_id="Ev7", retry=1)  # Slack's retry of the same event
    assert through_bolt == []
    bodies = recorded_bodies(web.deps.db)
    assert [b["event_id"] for b in bodies] == ["Ev7", "Ev7"]  # recorded as Slack sent them...
    run_all(a_worker(worker_deps(web)))
    [row] = kudos_rows(web)  # ...given once: the event id keeps the second from counting
    assert (row.giver_id, row.recipient_id, row.source) == ("UANA", "UBEN", "reaction")
    assert waiting(web.deps.db) == 0


def test_a_request_that_cannot_be_recorded_is_not_acked(slack: FakeSlack, db: Database) -> None:
    def down(team_id: str, body: dict[str, Any]) -> None:
        raise OSError("the database went away")

    straight = Straight(takes=recorded_as_is, team=TEAM, record=down)
    for web in start_bravo(slack, db, work=WorkQueue(record=record_for(db)), straight=straight):
        result = web.send.slash_command("UANA", "/kudos", "<@UBEN|ben> for it", channel_id=CHANNEL)
        assert result.status == 503  # not a 200 for work nobody will do
        event = {"type": "reaction_added", "user": "UANA", "reaction": "clap", "item_user": "UBEN"}
        assert web.send.event(event).status == 503  # Slack sends it again
        assert waiting(db) == 0


def test_unsigned_forged_or_stale_requests_are_not_recorded(web: Bravo) -> None:
    send = web.send
    text = "<@UBEN|ben> for the fix"
    assert (
        send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL, bad_signature=True).status
        == 401
    )
    assert (
        send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL, timestamp_offset=-600).status
        == 401
    )
    body = b"command=%2Fkudos&text=hi&team_id=T0SANDBOX&user_id=UANA"
    assert send.post(body, "application/x-www-form-urlencoded", bad_signature=True).status == 401
    assert waiting(web.deps.db) == 0
    assert kudos_rows(web) == []


def test_what_the_web_must_answer_still_goes_through_bolt(
    web: Bravo, through_bolt: Recorded
) -> None:
    assert web.send.url_verification("ch4llenge").json() == {"challenge": "ch4llenge"}
    command(web, "")  # the form opens here: its trigger_id lasts 3 seconds
    [opened] = web.slack.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["UANA"]}
        },
        "kudos_reason": {"reason": {"type": "plain_text_input", "value": "me!"}},
    }
    answer = web.send.view_submission("UANA", view, values).json()
    assert answer["response_action"] == "errors"  # the form's mistakes still show
    assert "yourself" in answer["errors"]["kudos_recipients"]
    assert waiting(web.deps.db) == 0 and through_bolt == []


def test_a_request_from_another_workspace_is_refused_by_bolt_and_not_recorded(
    web: Bravo,
) -> None:
    from bot.sandbox.signing import SlackRequester

    other = SlackRequester(web.send.bot_url, web.send.signing_secret, team_id="T0OTHER")
    other.fake = web.send.fake
    result = other.slash_command("UANA", "/kudos", "<@UBEN|ben> for it", channel_id=CHANNEL)
    assert result.status == 200
    assert "another workspace" in reply(web)["text"]
    assert waiting(web.deps.db) == 0


def test_a_straight_request_is_replayed_as_bolt_would_have_handed_it_on(
    web: Bravo, through_bolt: Recorded, slack: FakeSlack, db: Database
) -> None:
    """The body a worker gets is the one Bolt parses: the same listener input either way."""
    command(web, "<@UBEN|ben> for the fix")
    [straight_body] = recorded_bodies(db)
    for bolt_web in start_bravo(slack, db, work=WorkQueue(record=record_for(db))):
        command(bolt_web, "<@UBEN|ben> for the fix")
    bodies = recorded_bodies(db)
    assert len(bodies) == 2
    bolt_body = bodies[1]
    different = {k for k in bolt_body if bolt_body[k] != straight_body.get(k)}
    assert different <= {"trigger_id", "response_url"}  # minted per request by the fake
    assert set(bolt_body) == set(straight_body)
    deps = worker_deps(web)
    replay = replayer(build_app(deps, http=False, verify_token=False))
    replay(straight_body)
    assert [k.recipient_id for k in kudos_rows(web)] == ["UBEN"]
