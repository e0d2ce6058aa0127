"""Signed requests: signatures Slack's own verifier accepts, payloads shaped like Slack's,
and a real Bolt app that understands them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester, sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = 1_732_350_000
KUDOS = "C0KUDOS"


class FixedClock:
    def __init__(self, at: int) -> None:
        self.at = at

    def now(self) -> float:
        return self.at


def test_sign_matches_slack_sdk_and_the_documented_recipe() -> None:
    body = b"token=xyz&team_id=T1&command=%2Fkudos&text=hi"
    expected = hmac.new(SECRET.encode(), b"v0:%d:" % NOW + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, body) == "v0=" + expected
    verifier = SignatureVerifier(SECRET, clock=FixedClock(NOW))  # type: ignore[arg-type]
    assert verifier.generate_signature(timestamp=str(NOW), body=body) == sign(SECRET, NOW, body)


@dataclass
class Captured:
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    @property
    def last(self) -> tuple[dict[str, str], bytes]:
        return self.requests[-1]

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.last[1].decode(), keep_blank_values=True).items()}

    def payload(self) -> dict[str, Any]:
        assert list(parse_qs(self.last[1].decode())) == ["payload"]
        return dict(json.loads(self.form()["payload"]))


@pytest.fixture
def captured() -> Iterator[tuple[str, Captured]]:
    seen = Captured()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.requests.append((dict(self.headers.items()), body))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "11")
            self.end_headers()
            self.wfile.write(b'{"ok":true}')

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events", seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        slack.add_user("UANA", "ana")
        slack.add_user("UBEN", "ben")
        slack.add_channel(KUDOS, "kudos", members=("UBRAVO", "UANA", "UBEN"))
        yield slack


def test_signatures_pass_slacks_verifier_unless_forged_or_stale(
    captured: tuple[str, Captured],
) -> None:
    url, seen = captured
    send = SlackRequester(url, SECRET, clock=lambda: NOW)
    verifier = SignatureVerifier(SECRET, clock=FixedClock(NOW))  # type: ignore[arg-type]
    result = send.slash_command("UANA", "/kudos", "hi", channel_id=KUDOS)
    assert (result.status, result.json()) == (200, {"ok": True})
    headers, body = seen.last
    assert headers["X-Slack-Request-Timestamp"] == str(NOW)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert verifier.is_valid_request(body, headers)
    send.slash_command("UANA", "/kudos", "hi", channel_id=KUDOS, bad_signature=True)
    assert not verifier.is_valid_request(seen.last[1], seen.last[0])
    send.slash_command("UANA", "/kudos", "hi", channel_id=KUDOS, timestamp_offset=-600)
    headers, body = seen.last
    assert headers["X-Slack-Request-Timestamp"] == str(NOW - 600)
    assert headers["X-Slack-Signature"] == sign(SECRET, NOW - 600, body)  # well signed, but stale
    assert not verifier.is_valid_request(body, headers)


def test_slash_command_is_a_form_like_slacks(
    captured: tuple[str, Captured], fake: FakeSlack
) -> None:
    url, seen = captured
    send = SlackRequester(url, SECRET, fake=fake)
    send.slash_command("UANA", "/kudos", "<@UBEN|ben> for the demo", channel_id=KUDOS)
    first = seen.form()
    send.slash_command("UANA", "/kudos", "again", channel_id=KUDOS)
    second = seen.form()
    assert {k: first[k] for k in ("command", "text", "user_id", "user_name", "channel_name")} == {
        "command": "/kudos",
        "text": "<@UBEN|ben> for the demo",
        "user_id": "UANA",
        "user_name": "ana",
        "channel_name": "kudos",
    }
    for key in ("token", "team_id", "team_domain", "channel_id", "api_app_id", "trigger_id"):
        assert first[key], key
    assert first["response_url"].startswith(fake.root_url + "/_response/")
    assert first["trigger_id"] != second["trigger_id"]
    assert first["response_url"] != second["response_url"]


def test_interactive_payloads_are_json_in_a_payload_field(
    captured: tuple[str, Captured], fake: FakeSlack
) -> None:
    url, seen = captured
    send = SlackRequester(url, SECRET, fake=fake)
    message = {
        "type": "message",
        "ts": "1732350000.000100",
        "text": "Kudos",
        "blocks": [
            {
                "type": "actions",
                "block_id": "kudos_actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "kudos_undo",
                        "text": {"type": "plain_text", "text": "Undo"},
                        "value": "batch-1",
                    }
                ],
            }
        ],
    }
    send.block_action("UANA", "kudos_undo", "batch-1", channel_id=KUDOS, message=message)
    click = seen.payload()
    assert click["type"] == "block_actions"
    assert click["container"] == {
        "type": "message",
        "message_ts": "1732350000.000100",
        "channel_id": KUDOS,
        "is_ephemeral": False,
    }
    [action] = click["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == (
        "kudos_undo",
        "kudos_actions",
        "batch-1",
    )
    assert action["text"]["text"] == "Undo" and click["message"] == message
    assert click["response_url"].startswith(fake.root_url) and click["trigger_id"]
    assert click["user"]["id"] == "UANA" and click["team"]["id"] == "T0SANDBOX"

    send.block_action("UANA", "kudos_undo", "batch-1", channel_id=KUDOS)
    ephemeral = seen.payload()
    assert ephemeral["container"]["is_ephemeral"] is True and "message" not in ephemeral

    send.message_shortcut("UBEN", "give_kudos", channel_id=KUDOS, message=message)
    shortcut = seen.payload()
    assert (shortcut["type"], shortcut["callback_id"]) == ("message_action", "give_kudos")
    assert shortcut["message"] == message and shortcut["channel"]["id"] == KUDOS

    send.global_shortcut("UBEN", "give_kudos")
    assert seen.payload()["type"] == "shortcut"


def test_view_submission_keeps_the_opened_view(
    captured: tuple[str, Captured], fake: FakeSlack
) -> None:
    url, seen = captured
    send = SlackRequester(url, SECRET, fake=fake)
    client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    view = {
        "type": "modal",
        "callback_id": "kudos_modal",
        "private_metadata": '{"channel": "C0KUDOS"}',
        "title": {"type": "plain_text", "text": "Give kudos"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "kudos_reason",
                "label": {"type": "plain_text", "text": "Why?"},
                "element": {"type": "plain_text_input", "action_id": "reason"},
            }
        ],
    }
    opened = client.views_open(trigger_id=send.trigger_id("UANA"), view=view)["view"]
    values = {"kudos_reason": {"reason": {"type": "plain_text_input", "value": "Great FAQ"}}}
    send.view_submission("UANA", fake.calls("views.open")[0].args["view"], values)
    submitted = seen.payload()
    assert submitted["type"] == "view_submission"
    assert submitted["view"]["id"] == opened["id"]
    assert submitted["view"]["callback_id"] == "kudos_modal"
    assert submitted["view"]["private_metadata"] == '{"channel": "C0KUDOS"}'
    assert submitted["view"]["state"] == {"values": values}


def test_events_have_the_envelope_and_retry_headers(captured: tuple[str, Captured]) -> None:
    url, seen = captured
    send = SlackRequester(url, SECRET, clock=lambda: NOW)
    event = {"type": "reaction_added", "user": "UANA", "reaction": "clap"}
    send.event(event, event_id="Ev1", retry_num=1, retry_reason="http_timeout")
    headers, body = seen.last
    envelope = json.loads(body)
    assert headers["Content-Type"] == "application/json"
    assert (headers["X-Slack-Retry-Num"], headers["X-Slack-Retry-Reason"]) == ("1", "http_timeout")
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev1"
    assert envelope["event"]["reaction"] == "clap" and envelope["event_time"] == NOW
    assert envelope["team_id"] == "T0SANDBOX" and envelope["api_app_id"]
    send.event(event)
    headers, body = seen.last
    assert "X-Slack-Retry-Num" not in headers and json.loads(body)["event_id"] != "Ev1"
    send.url_verification("abc123")
    assert json.loads(seen.last[1]) == {
        "token": "sandbox-verification-token",
        "challenge": "abc123",
        "type": "url_verification",
    }


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def bolt_app(fake: FakeSlack) -> App:
    client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    app = App(signing_secret=SECRET, client=client, process_before_response=True)
    modal = {
        "type": "modal",
        "callback_id": "kudos_modal",
        "private_metadata": "meta",
        "title": {"type": "plain_text", "text": "Give kudos"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Who?"}}],
    }

    @app.command("/kudos")
    def command(ack: Any, respond: Any, command: dict[str, Any], client: WebClient) -> None:
        ack()
        respond(f"Got: {command['text']}")
        client.views_open(trigger_id=command["trigger_id"], view=modal)

    @app.action("kudos_undo")
    def undo(ack: Any, respond: Any, action: dict[str, Any]) -> None:
        ack()
        respond(f"withdrawn {action['value']}")

    @app.view("kudos_modal")
    def submitted(ack: Any, view: dict[str, Any]) -> None:
        ack(response_action="errors", errors={"b": view["private_metadata"]})

    @app.event("reaction_added")
    def reacted(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=event["item"]["channel"], text=f"saw {event['reaction']}")

    return app


def test_a_bolt_app_understands_every_request(fake: FakeSlack) -> None:
    server = make_server("127.0.0.1", 0, SlackRequestHandler(bolt_app(fake)), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        send = SlackRequester(
            f"http://127.0.0.1:{server.server_port}/slack/events", SECRET, fake=fake
        )
        assert send.slash_command("UANA", "/kudos", "hello", channel_id=KUDOS).status == 200
        assert fake.wait_for("response_url")[0].args["text"] == "Got: hello"
        [opened] = fake.wait_for("views.open")
        assert opened.ok and opened.context["user"] == "UANA"
        answer = send.view_submission("UANA", opened.args["view"], {})
        assert answer.json() == {"response_action": "errors", "errors": {"b": "meta"}}
        send.block_action("UANA", "kudos_undo", "batch-9", channel_id=KUDOS)
        assert fake.wait_for("response_url", count=2)[1].args["text"] == "withdrawn batch-9"
        item = {"type": "message", "channel": KUDOS, "ts": "1.000100"}
        event = {"type": "reaction_added", "user": "UANA", "reaction": "clap", "item": item}
        assert send.event(event).status == 200
        assert fake.wait_for("chat.postMessage")[0].args["text"] == "saw clap"
        assert send.url_verification("xyz").json() == {"challenge": "xyz"}
        forged = send.slash_command("UANA", "/kudos", "x", channel_id=KUDOS, bad_signature=True)
        stale = send.slash_command("UANA", "/kudos", "x", channel_id=KUDOS, timestamp_offset=-600)
        assert (forged.status, stale.status) == (401, 401)
        assert len(fake.calls("response_url")) == 2
    finally:
        server.shutdown()
        server.server_close()
