"""The sandbox's Socket Mode endpoint, driven by slack_sdk's own Socket Mode client: the URL
comes from apps.connections.open with the app-level token, each URL is good once, envelopes
are acked, and a drop cuts the connection without a close frame."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.sandbox.calls import SlackError
from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import control


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.mark.parametrize(
    ("token", "error"),
    [("xapp-wrong", "invalid_auth"), ("xoxb-sandbox", "not_allowed_token_type")],
)
def test_connections_open_needs_the_app_token(fake: FakeSlack, token: str, error: str) -> None:
    web = WebClient(base_url=fake.base_url)
    with pytest.raises(SlackApiError) as info:
        web.apps_connections_open(app_token=token)
    assert info.value.response["error"] == error
    url = web.apps_connections_open(app_token=fake.app_token)["url"]
    assert url.startswith("ws://127.0.0.1:")


def test_envelopes_are_acked_and_a_drop_is_a_drop(fake: FakeSlack) -> None:
    web = WebClient(token=fake.token, base_url=fake.base_url)
    client = SocketModeClient(fake.app_token, web_client=web, auto_reconnect_enabled=False)
    got: list[str] = []

    def on_request(client: SocketModeClient, request: SocketModeRequest) -> None:
        got.append(request.envelope_id)
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

    client.socket_mode_request_listeners.append(on_request)  # type: ignore[arg-type]
    try:
        client.connect()
        fake.sockets.wait_connected(1)
        envelope = control(fake, "socket_envelopes", {"kind": "events_api", "payload": {}})
        acks = fake.sockets.wait_ack(envelope["envelope_id"])
        assert acks == [{"envelope_id": envelope["envelope_id"]}]
        assert got == [envelope["envelope_id"]]
        assert control(fake, "socket_acks")["live"] == 1
        control(fake, "socket_drop", {})
        assert fake.sockets.live() == 0
        with pytest.raises(SlackError, match="dispatch_failed"):
            fake.sockets.send_envelope("interactive", {})
        with pytest.raises(urllib.error.HTTPError) as refused:
            control(fake, "socket_envelopes", {"kind": "slash_commands", "payload": {}})
        assert json.loads(refused.value.read())["detail"] == "dispatch_failed"
        fake.sockets.send_envelope("events_api", {})  # waits for the next connection
        assert fake.sockets.pending() == 1
    finally:
        client.close()


def deaf_client(fake: FakeSlack, acking: bool = False) -> tuple[SocketModeClient, list[dict]]:
    """slack_sdk's client, connected; it records every envelope and acks none (or each)."""
    web = WebClient(token=fake.token, base_url=fake.base_url)
    client = SocketModeClient(fake.app_token, web_client=web, auto_reconnect_enabled=False)
    got: list[dict] = []

    def on_request(client: SocketModeClient, request: SocketModeRequest) -> None:
        got.append({"retry_attempt": request.retry_attempt, "retry_reason": request.retry_reason})
        if acking:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

    client.socket_mode_request_listeners.append(on_request)  # type: ignore[arg-type]
    return client, got


def test_an_unacked_event_is_sent_again_three_times_then_given_up(fake: FakeSlack) -> None:
    fake.sockets.redeliver_after = 0.2
    client, got = deaf_client(fake)
    try:
        client.connect()
        fake.sockets.wait_connected(1)
        envelope = fake.sockets.send_envelope("events_api", {"type": "event_callback"})
        fake.sockets.send_envelope("interactive", {"type": "block_actions"})
        deadline = time.monotonic() + 5
        while envelope not in fake.sockets.given_up and time.monotonic() < deadline:
            time.sleep(0.02)
        assert envelope in fake.sockets.given_up and fake.sockets.pending() == 0
        tries = [d for d in fake.sockets.deliveries if d["envelope_id"] == envelope]
        assert [(d["retry_attempt"], d["retry_reason"]) for d in tries] == [
            (0, ""),
            (1, "timeout"),
            (2, "timeout"),
            (3, "timeout"),
        ]
        assert len(fake.sockets.deliveries) == 5  # the interaction was sent once, never again
        assert len(got) == 5
    finally:
        client.close()


def test_an_event_sent_while_disconnected_arrives_once_connected(fake: FakeSlack) -> None:
    envelope = fake.sockets.send_envelope("events_api", {"type": "event_callback"})
    assert fake.sockets.deliveries == []
    client, got = deaf_client(fake, acking=True)
    try:
        client.connect()
        assert len(fake.sockets.wait_ack(envelope)) == 1
        assert got == [{"retry_attempt": 1, "retry_reason": "timeout"}]
        assert fake.sockets.pending() == 0
    finally:
        client.close()


def test_a_socket_url_is_good_once(fake: FakeSlack) -> None:
    url = fake.sockets.new_url()
    path = url.split(str(fake.sockets.port), 1)[1]
    request = (
        f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    for expected in (b"101", b"403"):
        with socket.create_connection(("127.0.0.1", fake.sockets.port), timeout=5) as conn:
            conn.sendall(request.encode())
            assert expected in conn.recv(200).split(b"\r\n")[0]
