"""FakeSlack itself: waiting for calls, reset, the control API and `python -m`
(bot/sandbox/server.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, control, post_json


def test_wait_for_sees_calls_from_other_threads_and_explains_timeouts(
    fake: FakeSlack, client: WebClient
) -> None:
    timer = threading.Timer(0.05, lambda: client.chat_postMessage(channel=KUDOS, text="later"))
    timer.start()
    [call] = fake.wait_for("chat.postMessage", timeout=2)
    assert call.args["text"] == "later"
    with pytest.raises(AssertionError) as info:
        fake.wait_for("views.open", timeout=0.05)
    assert "views.open" in str(info.value) and "chat.postMessage [200 ok]" in str(info.value)
    found = fake.wait_for("chat.postMessage", predicate=lambda c: c.args["text"] == "later")
    assert len(found) == 1


def test_reset_forgets_activity_but_keeps_the_workspace(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel=KUDOS, text="hi")
    fake.fail_next("auth.test", error="fatal_error")
    fake.reset()
    assert fake.calls() == [] and fake.messages() == []
    assert client.auth_test()["ok"] is True
    assert client.users_info(user="UANA")["ok"] is True


def test_control_api_seeds_fails_records_and_resets(fake: FakeSlack, client: WebClient) -> None:
    control(fake, "users", {"user_id": "UDEV", "name": "Dev", "tz": "Asia/Kolkata"})
    control(fake, "channels", {"channel_id": "C0DEV", "name": "dev", "members": ["UBRAVO"]})
    control(fake, "usergroups", {"group_id": "S0DEV", "handle": "devs", "members": ["UDEV"]})
    assert client.users_info(user="UDEV")["user"]["tz_offset"] == 19800
    control(fake, "fail_next", {"method": "chat.postMessage", "status": 500})
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0DEV", text="hi")
    client.chat_postMessage(channel="C0DEV", text="hi")
    calls = control(fake, "calls?method=chat.postMessage")["calls"]
    assert [c["status"] for c in calls] == [500, 200] and calls[1]["args"]["text"] == "hi"
    assert "#dev  Bravo: hi" in control(fake, "transcript")
    url = control(fake, "response_urls", {"user_id": "UDEV"})["url"]
    assert post_json(url, {"text": "psst"}) == (200, "ok")
    control(fake, "reset", {})
    assert control(fake, "calls")["calls"] == []
    assert client.usergroups_users_list(usergroup="S0DEV")["users"] == ["UDEV"]


def test_control_api_shows_the_workspace_and_refuses_bad_requests(
    fake: FakeSlack, client: WebClient
) -> None:
    state = control(fake, "state")
    assert state == {"ok": True, **fake.state()} and state["base_url"] == fake.base_url
    assert [u["id"] for u in state["users"]] == ["UBRAVO", "UANA", "UBEN", "UCY", "UROBOT", "UGONE"]
    assert [c["id"] for c in state["channels"]] == [KUDOS, "C0RANDOM", "C0OLD", "C0SECRET"]
    assert state["usergroups"] == [
        {"id": "S0SUPPORT", "handle": "support", "users": ["UBEN", "UCY"]}
    ]
    client.chat_postMessage(channel="UBEN", text="hi Ben")
    assert [m["text"] for m in control(fake, "messages?channel=UBEN")["messages"]] == ["hi Ben"]
    sandbox = f"{fake.root_url}/_sandbox/"
    assert post_json(sandbox + "teleport", {}) == (
        404,
        json.dumps({"ok": False, "error": "unknown_command"}),
    )
    status, body = post_json(sandbox + "users", {"user_id": "UX"})  # no name
    assert status == 400 and json.loads(body)["error"] == "invalid_arguments"
    assert post_json(sandbox + "users", ["UX", "X"]) == (
        400,
        json.dumps({"ok": False, "error": "invalid_json"}),
    )
    assert fake.user_name("UX") is None


def test_runs_as_a_module_in_the_foreground() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox.server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        base_url = next(word for word in banner.split() if word.endswith("/api/"))
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/")
        client = WebClient(token="xoxb-sandbox", base_url=base_url)
        assert client.auth_test()["user_id"] == "UBRAVO"
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
