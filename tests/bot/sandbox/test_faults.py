"""Injected failures, rate limits and latency (bot/sandbox/faults.py)."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, control, error_of


def test_rate_limited_429_with_retry_after_then_success(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=KUDOS, text="hi")
    assert info.value.response.status_code == 429
    assert info.value.response.headers["Retry-After"] == "7"
    assert info.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel=KUDOS, text="hi")["ok"] is True
    assert [c.status for c in fake.calls("chat.postMessage")] == [429, 200]
    assert len(fake.calls("chat.postMessage", ok=True)) == 1


def test_server_errors_and_injected_errors(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", status=503, times=2)
    fake.fail_next("users.info", error="fatal_error")
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel=KUDOS, text="hi")
        assert info.value.response.status_code == 503
    assert client.chat_postMessage(channel=KUDOS, text="hi")["ok"] is True
    assert error_of(client.users_info, user="UANA") == "fatal_error"
    assert client.users_info(user="UANA")["ok"] is True


def test_fake_enforces_a_per_channel_rate(fake: FakeSlack, client: WebClient) -> None:
    fake.set_rate_limit("chat.postMessage", 1)
    client.chat_postMessage(channel=KUDOS, text="1")
    client.chat_postMessage(channel="UBEN", text="other channel is fine")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=KUDOS, text="2")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) >= 1
    fake.set_rate_limit("chat.postMessage", None)
    assert client.chat_postMessage(channel=KUDOS, text="3")["ok"] is True


def test_fake_enforces_a_workspace_wide_rate(fake: FakeSlack, client: WebClient) -> None:
    fake.set_workspace_rate_limit(60, burst=3)  # one a second after a burst of three
    for channel in (KUDOS, "UANA", "UBEN"):  # different channels all count
        client.chat_postMessage(channel=channel, text="in the burst")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel="UCY", text="one too many")
    assert info.value.response.status_code == 429
    assert info.value.response["error"] == "ratelimited"
    assert int(info.value.response.headers["Retry-After"]) >= 1
    with pytest.raises(SlackApiError):  # an edit counts against the same limit
        client.chat_update(channel=KUDOS, ts="1732350000.000100", text="x")
    assert client.users_info(user="UANA")["ok"] is True  # other methods are not limited
    fake.set_workspace_rate_limit(None)
    assert client.chat_postMessage(channel="UCY", text="limit off")["ok"] is True
    statuses = [c.status for c in fake.calls("chat.postMessage")]
    assert statuses == [200, 200, 200, 429, 200]


def test_workspace_rate_refills_and_keeps_the_channel_limit(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_workspace_rate_limit(600, burst=1)  # ten a second, no burst
    fake.set_rate_limit("chat.postMessage", 1)
    assert client.chat_postMessage(channel=KUDOS, text="1")["ok"] is True
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="UANA", text="too soon for the workspace")
    time.sleep(0.15)
    with pytest.raises(SlackApiError) as info:  # the workspace has room, the channel does not
        client.chat_postMessage(channel=KUDOS, text="too soon for the channel")
    assert info.value.response.status_code == 429
    # The refused call took no workspace token: another channel may post at once.
    assert client.chat_postMessage(channel="UANA", text="2")["ok"] is True
    control(fake, "workspace_rate_limit", {"per_minute": None})
    fake.set_rate_limit("chat.postMessage", None)
    assert client.chat_postMessage(channel="UBEN", text="3")["ok"] is True


def test_latency_delays_answers(fake: FakeSlack, client: WebClient) -> None:
    fake.set_latency(0.2)
    started = time.perf_counter()
    client.auth_test()
    assert time.perf_counter() - started >= 0.2


def test_each_hosted_workspace_has_its_own_rate_limits(fake: FakeSlack, client: WebClient) -> None:
    other = fake.add_workspace("T0OTHER", token="xoxb-other", bot_user_id="UBRAVOO")
    other.add_user("UZED", "Zed")
    other.add_channel(KUDOS, "kudos", members=("UBRAVOO", "UZED"))  # the same channel id
    theirs = WebClient(token="xoxb-other", base_url=fake.base_url, timeout=5)
    fake.set_workspace_rate_limit(60, burst=2)  # set once, for every workspace
    fake.set_rate_limit("chat.postMessage", 1)
    # The first workspace uses up its burst and its channel's turn...
    client.chat_postMessage(channel=KUDOS, text="1")
    client.chat_postMessage(channel="UANA", text="2")
    assert error_of(client.chat_postMessage, channel="UBEN", text="3") == "ratelimited"
    assert error_of(client.chat_postMessage, channel=KUDOS, text="4") == "ratelimited"
    # ... and the other has all of its own: the same channel id, and two posts in its burst.
    assert theirs.chat_postMessage(channel=KUDOS, text="a")["ok"] is True
    assert theirs.chat_postMessage(channel="UZED", text="b")["ok"] is True
    # Then the other is held to the same limits in its turn.
    assert error_of(theirs.chat_postMessage, channel="UZED", text="c") == "ratelimited"
    assert [c.status for c in fake.calls("chat.postMessage", team_id=fake.team_id)] == [
        200, 200, 429, 429,
    ]  # fmt: skip
    assert [c.status for c in other.calls("chat.postMessage")] == [200, 200, 429]
