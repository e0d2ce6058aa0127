"""The fake Slack Web API, driven over real HTTP by slack_sdk's WebClient: a seeded workspace
(`fake`), a client for it, and helpers the tests here share."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack

KUDOS, RANDOM, OLD, SECRET_ROOM = "C0KUDOS", "C0RANDOM", "C0OLD", "C0SECRET"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(ts_start=1732350000) as slack:
        slack.add_user("UANA", "Ana")
        slack.add_user("UBEN", "Ben", tz="Europe/Berlin", real_name="Ben Ode")
        slack.add_user("UCY", "Cy", tz="Asia/Tokyo")
        slack.add_user("UROBOT", "deploybot", is_bot=True)
        slack.add_user("UGONE", "Gone", deleted=True)
        slack.add_channel(KUDOS, "kudos", members=("UBRAVO", "UANA", "UBEN", "UCY"))
        slack.add_channel(RANDOM, "random", members=("UANA", "UBEN"))
        slack.add_channel(OLD, "old", members=("UBRAVO",), is_archived=True)
        slack.add_channel(SECRET_ROOM, "secret", members=("UANA",), is_private=True)
        slack.add_usergroup("S0SUPPORT", "support", ("UBEN", "UCY"))
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.base_url, timeout=5)


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        call(**kwargs)
    return str(info.value.response["error"])


def post_json(url: str, data: Any) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def control(fake: FakeSlack, path: str, data: Any = None) -> Any:
    url = f"{fake.root_url}/_sandbox/{path}"
    body = None if data is None else json.dumps(data).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as response:
        raw = response.read().decode()
    return json.loads(raw) if raw.startswith("{") else raw
