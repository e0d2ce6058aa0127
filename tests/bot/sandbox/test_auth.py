"""auth.test, the bot token, and methods the fake does not know (bot/sandbox/api/auth.py)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import error_of


def test_auth_and_unknown_method(fake: FakeSlack) -> None:
    assert error_of(WebClient(base_url=fake.base_url).auth_test) == "not_authed"
    wrong = WebClient(token="xoxb-wrong", base_url=fake.base_url)
    assert error_of(wrong.auth_test) == "invalid_auth"
    right = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    assert error_of(right.api_call, api_method="chat.teleport") == "unknown_method"
    me = right.auth_test()
    assert (me["user_id"], me["team_id"], me["bot_id"]) == ("UBRAVO", "T0SANDBOX", "B0BRAVO")
