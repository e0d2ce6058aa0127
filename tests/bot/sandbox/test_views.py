"""views.*: trigger_ids, modal limits, updates and Home tabs (bot/sandbox/api/views.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import error_of, section


def modal(title: str = "Give kudos", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "kudos_modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("Who deserves it?")],
        **extra,
    }


def test_trigger_id_works_once(fake: FakeSlack, client: WebClient) -> None:
    trigger = fake.new_trigger_id("UANA")
    opened = client.views_open(trigger_id=trigger, view=modal())
    assert opened["view"]["id"].startswith("V") and opened["view"]["callback_id"] == "kudos_modal"
    assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "expired_trigger_id"
    assert fake.calls("views.open")[0].context == {"user": "UANA"}
    assert error_of(client.views_open, trigger_id="", view=modal()) == "invalid_arguments"


def test_stale_trigger_id_is_expired() -> None:
    with FakeSlack(trigger_ttl=0.0) as fake:
        client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
        trigger = fake.new_trigger_id("UANA")
        time.sleep(0.01)
        assert error_of(client.views_open, trigger_id=trigger, view=modal()) == "expired_trigger_id"


def test_views_limits_update_and_publish(fake: FakeSlack, client: WebClient) -> None:
    too_long = modal(title="A title that is far too long")
    with pytest.raises(SlackApiError) as info:
        client.views_open(trigger_id=fake.new_trigger_id(), view=too_long)
    assert info.value.response["error"] == "invalid_blocks"
    assert any("/view/title" in e for e in info.value.response["errors"])
    view = client.views_open(trigger_id=fake.new_trigger_id("UANA"), view=modal())["view"]
    updated = client.views_update(view_id=view["id"], view=modal("Thanks!"), hash=view["hash"])
    assert updated["view"]["id"] == view["id"] and updated["view"]["title"]["text"] == "Thanks!"
    stale = {"view_id": view["id"], "view": modal(), "hash": view["hash"]}
    assert error_of(client.views_update, **stale) == "hash_conflict"
    assert error_of(client.views_update, view_id="VNOPE", view=modal()) == "not_found"
    home = {"type": "home", "blocks": [section("Your kudos")]}
    assert client.views_publish(user_id="UBEN", view=home)["view"]["type"] == "home"
    assert fake.home_view("UBEN")["blocks"] == [section("Your kudos")]  # type: ignore[index]
    assert error_of(client.views_publish, user_id="UNOPE", view=home) == "user_not_found"
