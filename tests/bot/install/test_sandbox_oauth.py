"""The fake Slack's oauth.v2.access: a code it issued is exchanged once for the workspace's bot
token; the app proves itself with its client id and secret; with token rotation on, a refresh
token gives a new token (and is spent)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.sandbox.api.oauth import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.calls import SlackError
from bot.sandbox.server import FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T1", team_name="Acme") as fake:
        yield fake


def exchange(slack: FakeSlack, *, secret: str = CLIENT_SECRET, **args: str) -> dict:
    client = WebClient(base_url=slack.base_url)
    return client.oauth_v2_access(client_id=CLIENT_ID, client_secret=secret, **args).data  # type: ignore[return-value]


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["error"])


def test_a_code_is_exchanged_once_for_the_workspaces_token(slack: FakeSlack) -> None:
    code = slack.new_oauth_code(installer="UADA")
    answer = exchange(slack, code=code)
    assert answer["access_token"] == slack.token == "xoxb-sandbox"
    assert answer["team"] == {"id": "T1", "name": "Acme"}
    assert (answer["bot_user_id"], answer["app_id"]) == (slack.bot_user_id, slack.app_id)
    assert answer["authed_user"] == {"id": "UADA"} and "chat:write" in answer["scope"]
    assert "refresh_token" not in answer
    assert error_of(lambda: exchange(slack, code=code)) == "invalid_code"
    assert error_of(lambda: exchange(slack, code="made-up")) == "invalid_code"
    recorded = slack.calls("oauth.v2.access")[0]
    assert CLIENT_SECRET not in str(recorded.args)


def test_the_app_must_bring_its_client_secret(slack: FakeSlack) -> None:
    code = slack.new_oauth_code()
    assert error_of(lambda: exchange(slack, code=code, secret="wrong")) == "bad_client_secret"
    no_auth = WebClient(base_url=slack.base_url)
    assert error_of(lambda: no_auth.api_call("oauth.v2.access", params={"code": code})) == (
        "invalid_client_id"
    )


def test_with_rotation_a_refresh_token_gives_a_new_token_once(slack: FakeSlack) -> None:
    slack.rotate_tokens(expires_in=600)
    first = exchange(slack, code=slack.new_oauth_code())
    assert first["access_token"].startswith("xoxe.xoxb-T1-") and first["expires_in"] == 600
    assert first["access_token"] == slack.token
    refresh = first["refresh_token"]
    second = exchange(slack, grant_type="refresh_token", refresh_token=refresh)
    assert second["access_token"] not in (first["access_token"], None)
    assert second["access_token"] == slack.token and second["refresh_token"] != refresh
    assert WebClient(token=second["access_token"], base_url=slack.base_url).auth_test()["ok"]
    old = WebClient(token=first["access_token"], base_url=slack.base_url)
    assert error_of(old.auth_test) == "invalid_auth"
    assert (
        error_of(lambda: exchange(slack, grant_type="refresh_token", refresh_token=refresh))
        == "invalid_refresh_token"
    )


def test_an_org_wide_code_gives_the_organisation_s_one_token(slack: FakeSlack) -> None:
    two = slack.add_workspace("T2", token="xoxb-t2", team_name="Two")
    two.add_channel("C2", "general", members=(two.bot_user_id,))
    with pytest.raises(SlackError, match="not_an_enterprise"):
        slack.new_oauth_code(org=True)  # not in an organisation yet
    slack.make_org("E1", token="xoxb-org", team_ids=["T1", "T2"])
    answer = exchange(slack, code=slack.new_oauth_code(org=True))
    assert answer["access_token"] == "xoxb-org" and answer["is_enterprise_install"] is True
    assert answer["team"] is None and answer["enterprise"]["id"] == "E1"
    org = WebClient(token="xoxb-org", base_url=slack.base_url)
    assert [t["id"] for t in org.auth_teams_list()["teams"]] == ["T1", "T2"]
    org.chat_postMessage(channel="C2", text="hi", team_id="T2")
    assert [c.team_id for c in slack.calls("chat.postMessage")] == ["T2"]  # answered as T2
    assert WebClient(token="xoxb-t2", base_url=slack.base_url).auth_test()["team_id"] == "T2"
