"""conversations.open asks for the scope Slack asks for: ``im:write`` for one person's DM,
``mpim:write`` for a group DM of several."""

from __future__ import annotations

from slack_sdk.web import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import error_of


def test_a_group_dm_needs_mpim_write_and_a_dm_im_write(fake: FakeSlack, client: WebClient) -> None:
    fake.set_scopes(["chat:write", "im:write"])
    assert client.conversations_open(users="UANA")["ok"]
    assert error_of(client.conversations_open, users="UANA,UBEN") == "missing_scope"
    fake.set_scopes(["chat:write", "mpim:write"])
    assert error_of(client.conversations_open, users="UANA") == "missing_scope"
    group = client.conversations_open(users="UANA,UBEN")["channel"]["id"]
    assert group.startswith("G")
    assert client.conversations_open(users="UBEN,UANA")["channel"]["id"] == group
