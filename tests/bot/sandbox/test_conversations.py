"""conversations.* (bot/sandbox/api/conversations.py)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, RANDOM, error_of


def test_conversations_members_paginates(fake: FakeSlack, client: WebClient) -> None:
    pages = [page["members"] for page in client.conversations_members(channel=KUDOS, limit=3)]
    assert pages == [["UBRAVO", "UANA", "UBEN"], ["UCY"]]
    assert error_of(client.conversations_members, channel="C0NOPE") == "channel_not_found"
    info = client.conversations_info(channel=KUDOS)["channel"]
    assert (info["name"], info["is_member"], info["num_members"]) == ("kudos", True, 4)
    assert client.conversations_info(channel=RANDOM)["channel"]["is_member"] is False
