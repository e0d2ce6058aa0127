"""users.* and usergroups.* (bot/sandbox/api/users.py)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import error_of


def test_users_info_and_list(fake: FakeSlack, client: WebClient) -> None:
    ben = client.users_info(user="UBEN")["user"]
    assert (ben["name"], ben["real_name"], ben["tz"]) == ("Ben", "Ben Ode", "Europe/Berlin")
    assert ben["tz_offset"] in (3600, 7200) and ben["is_bot"] is False and ben["deleted"] is False
    assert ben["profile"]["display_name"] == "Ben" and ben["profile"]["real_name"] == "Ben Ode"
    assert client.users_info(user="UGONE")["user"]["deleted"] is True
    assert error_of(client.users_info, user="UNOPE") == "user_not_found"
    ids = [m["id"] for page in client.users_list(limit=2) for m in page["members"]]
    assert ids == ["UBRAVO", "UANA", "UBEN", "UCY", "UROBOT", "UGONE"]
    assert error_of(client.users_list, cursor="bogus") == "invalid_cursor"


def test_usergroup_members(fake: FakeSlack, client: WebClient) -> None:
    assert client.usergroups_users_list(usergroup="S0SUPPORT")["users"] == ["UBEN", "UCY"]
    assert error_of(client.usergroups_users_list, usergroup="S0NOPE") == "no_such_subteam"
