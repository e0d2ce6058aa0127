"""``bravo run`` in its default mode, Socket Mode, end to end: one real ``python -m bot run``
process against the sandbox (SQLite) for the whole module, every request sent as a Socket Mode
envelope. A slash command, a button, a modal (with its form errors carried back in the ack) and
events work over the socket; a dropped connection is re-opened, an event sent meanwhile is
redelivered once Bravo is back and counts once, an event whose ack was lost on the way is
redelivered and still counts once, and an envelope not shaped as Slack's is refused cleanly."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.server import Call, FakeSlack
from bot.sandbox.signing import SlackRequester, SlackResult
from tests.handlers.conftest import CHANNEL, TEAM, people_and_channels
from tests.handlers.test_goals import goal_values, view_of
from tests.ops_run import Bravo, bravo_env


class SocketRequester(SlackRequester):
    """The requests ``SlackRequester`` builds, sent as Slack sends them in Socket Mode: each an
    envelope on the live WebSocket; the result is the app's ack (its payload as the body)."""

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__("socket-mode", "unused", team_id=TEAM, fake=fake)
        self.sandbox = fake
        self.last = ""  # the envelope_id of the last envelope sent

    def post_form(self, fields: Mapping[str, Any], **options: Any) -> SlackResult:
        return self.envelope("slash_commands", dict(fields))

    def post_payload(self, payload: Mapping[str, Any], **options: Any) -> SlackResult:
        return self.envelope("interactive", dict(payload))

    def post_json(self, data: Mapping[str, Any], **options: Any) -> SlackResult:
        return self.envelope("events_api", dict(data))

    def envelope(self, kind: str, payload: dict[str, Any]) -> SlackResult:
        started = time.perf_counter()
        extra = {} if kind == "events_api" else {"accepts_response_payload": True}
        self.last = self.sandbox.sockets.send_envelope(kind, payload, **extra)
        acks = self.sandbox.sockets.wait_ack(self.last)
        assert len(acks) == 1, f"{kind}: acks {acks}"
        answer = acks[0].get("payload")
        body = json.dumps(answer) if answer is not None else ""
        return SlackResult(200, body, time.perf_counter() - started)


class Running:
    def __init__(self, fake: FakeSlack, bravo: Bravo, db: Path) -> None:
        self.fake, self.bravo, self.db = fake, bravo, db
        self.send = SocketRequester(fake)

    def kudos_rows(self, source: str) -> int:
        with sqlite3.connect(self.db) as conn:
            found = conn.execute("SELECT count(*) FROM kudos WHERE source = ?", (source,))
            return int(found.fetchone()[0])

    def wait_rows(self, source: str, count: int) -> None:
        self.bravo.wait_until(lambda: self.kudos_rows(source) >= count, 10, f"{count} rows")

    def reaction(self, ts: str) -> dict[str, Any]:
        """Ana claps on a message of Ben's."""
        return {
            "type": "reaction_added",
            "user": "UANA",
            "reaction": "clap",
            "item_user": "UBEN",
            "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        }


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("socket")
    with FakeSlack(team_id=TEAM, bot_user_id="UBRAVO") as fake:
        people_and_channels(fake)
        bravo = Bravo(bravo_env(tmp, fake.base_url), tmp)
        try:
            fake.sockets.wait_connected(1, timeout=30)
            yield Running(fake, bravo, tmp / "bravo.db")
        finally:
            assert bravo.stop() == 0, bravo.output
        assert "Traceback" not in bravo.output, bravo.output


@pytest.fixture
def app(running: Running) -> Running:
    """The module's Bravo, connected (a test before may have dropped its connection)."""
    running.bravo.wait_until(lambda: running.fake.sockets.live() > 0, 10, "live connection")
    return running


def posted(fake: FakeSlack, channel: str, words: str) -> list[Call]:
    return [
        c
        for c in fake.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == channel and words in json.dumps(c.args)
    ]


def test_a_slash_command_and_a_button_over_the_socket(app: Running) -> None:
    fake = app.fake
    result = app.send.slash_command(
        "UANA", "/kudos", "<@UBEN|ben> for calming an angry caller #empathy", channel_id=CHANNEL
    )
    assert result.status == 200  # acked over the socket, with the envelope's id
    app.bravo.wait_until(lambda: posted(fake, CHANNEL, "angry caller"), 10, "the channel post")
    [confirmation] = fake.wait_for("response_url", 1, 10, lambda c: "Undo" in json.dumps(c.args))
    with sqlite3.connect(app.db) as conn:
        [(batch,)] = conn.execute("SELECT batch_id FROM kudos WHERE source = 'command'")
    assert batch in json.dumps(confirmation.args)  # the Undo button carries the batch
    app.send.block_action("UANA", "kudos_undo", batch, channel_id=CHANNEL)
    fake.wait_for("response_url", 1, 10, lambda c: "withdrawn" in str(c.args.get("text")))
    fake.wait_for("chat.update", 1, 10, lambda c: c.args.get("channel") == CHANNEL)  # withdrawn


def test_a_modal_over_the_socket_its_errors_carried_back_in_the_ack(app: Running) -> None:
    fake = app.fake
    app.send.slash_command("UCY", "/goal", "", channel_id=CHANNEL)
    [opened] = fake.wait_for("views.open", timeout=10)
    view = view_of(opened)
    bad = app.send.view_submission("UCY", view, goal_values(target="2026-11-20", measure="  "))
    answer = bad.json() or {}
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"target", "measure"}
    [ack] = fake.sockets.wait_ack(app.send.last)  # as the sandbox received it
    assert ack == {"envelope_id": app.send.last, "payload": answer}
    good = app.send.view_submission("UCY", view, goal_values())
    assert good.body == ""  # acked without a payload: the modal closes
    app.bravo.wait_until(lambda: posted(fake, "UCY", "Goal set"), 10, "the goal's DM")


def test_events_over_the_socket_a_reaction_and_the_home_tab(app: Running) -> None:
    before = app.kudos_rows("reaction")
    app.send.event(app.reaction("1732350000.000100"), event_id="Ev0REACT1")
    app.wait_rows("reaction", before + 1)
    app.send.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    [home] = app.fake.wait_for("views.publish", timeout=10)
    assert home.args["user_id"] == "UANA"


def test_a_dropped_connection_comes_back_and_an_event_sent_meanwhile_counts_once(
    app: Running,
) -> None:
    fake, sockets = app.fake, app.fake.sockets
    before, connections = app.kudos_rows("reaction"), sockets.connections
    sockets.drop()
    event = app.reaction("1732350000.000200")
    result = app.send.event(event, event_id="Ev0MEANWHILE")  # waits for the ack
    assert result.status == 200 and sockets.connections == connections + 1
    tries = [d for d in sockets.deliveries if d["envelope_id"] == app.send.last]
    assert [(d["retry_attempt"], d["retry_reason"]) for d in tries] == [(1, "timeout")]
    app.wait_rows("reaction", before + 1)
    assert sockets.pending() == 0
    assert app.kudos_rows("reaction") == before + 1
    assert "dropped; reconnecting" in app.bravo.output
    assert fake.sockets.live() == 1


def test_an_event_whose_ack_was_lost_is_redelivered_and_counts_once(app: Running) -> None:
    sockets, ts = app.fake.sockets, "1732350000.000300"
    before = app.kudos_rows("reaction")
    sockets.redeliver_after = 0.5
    try:
        sockets.lose_next_acks(1)
        app.send.event(app.reaction(ts), event_id="Ev0LOSTACK")  # the second try's ack
    finally:
        sockets.redeliver_after = 3.0
    tries = [d for d in sockets.deliveries if d["envelope_id"] == app.send.last]
    assert [d["retry_attempt"] for d in tries] == [0, 1]
    app.wait_rows("reaction", before + 1)
    # Bravo handled both deliveries (each asks for the message's permalink first) ...
    app.fake.wait_for("chat.getPermalink", 2, 10, lambda c: c.args.get("message_ts") == ts)
    time.sleep(0.5)  # ... and the second one's few milliseconds after that have passed
    assert app.kudos_rows("reaction") == before + 1  # handled twice, counted once
    assert sockets.pending() == 0


def test_a_block_actions_envelope_without_actions_is_refused_and_acked(app: Running) -> None:
    payload = {
        **app.send._interactive("block_actions", "UANA"),
        "trigger_id": app.fake.new_trigger_id("UANA"),
        "actions": [],
        "channel": {"id": CHANNEL},
        "response_url": app.fake.new_response_url(user_id="UANA", channel_id=CHANNEL),
    }
    assert app.send.envelope("interactive", payload).body == ""
    assert "block_actions without actions" in app.bravo.output
    assert "Traceback" not in app.bravo.output
    app.send.slash_command("UANA", "/kudos", "help", channel_id=CHANNEL)  # still serving
    app.bravo.wait_until(
        lambda: any("/kudos" in json.dumps(c.args) for c in app.fake.calls("response_url")[-1:]),
        10,
        "the help",
    )
