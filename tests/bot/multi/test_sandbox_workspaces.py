"""The fake Slack hosts several workspaces: each Web API call is answered by the workspace its
token names, and recorded with that team."""

from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from tests.bot.multi.conftest import TOKEN_A, TOKEN_B, A, B


def client(fake: FakeSlack, token: str) -> WebClient:
    return WebClient(token=token, base_url=fake.base_url, timeout=5)


def error_of(call: object, **args: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call(**args)  # type: ignore[operator]
    return str(caught.value.response["error"])


def test_each_token_is_answered_by_its_own_workspace(fake: FakeSlack, beta: WorkspaceHandle):
    alpha_client, beta_client = client(fake, TOKEN_A), client(fake, TOKEN_B)
    assert alpha_client.auth_test()["team_id"] == A
    assert beta_client.auth_test()["team_id"] == B
    assert beta_client.auth_test()["user_id"] == "UBRAVOB"
    # Each sees only its own people and channels.
    assert error_of(beta_client.users_info, user="UANA") == "user_not_found"
    assert error_of(alpha_client.users_info, user="UZED") == "user_not_found"
    assert error_of(alpha_client.chat_postMessage, channel="C0B", text="hi") == "channel_not_found"
    beta_client.chat_postMessage(channel="C0B", text="for beta")
    assert [m["text"] for m in beta.messages("C0B")] == ["for beta"]
    assert fake.messages() == []  # the first workspace's messages (FakeSlack is its handle)
    # Calls are recorded with the team they were answered for.
    assert {c.team_id for c in fake.calls("chat.postMessage")} == {A, B}
    assert [c.ok for c in beta.calls("chat.postMessage")] == [True]
    assert [c.ok for c in fake.calls("chat.postMessage", team_id=A)] == [False]


def test_unknown_and_revoked_tokens_are_refused(fake: FakeSlack, beta: WorkspaceHandle) -> None:
    assert error_of(client(fake, "xoxb-nobody").auth_test) == "invalid_auth"
    beta.revoke()
    assert error_of(client(fake, TOKEN_B).chat_postMessage, channel="C0B", text="x") == (
        "token_revoked"
    )
    assert beta.messages() == []
    assert [c.response["error"] for c in beta.calls()] == ["token_revoked"]
    assert client(fake, TOKEN_A).auth_test()["team_id"] == A  # the other one is untouched


def test_lookup_by_token_and_team(fake: FakeSlack, beta: WorkspaceHandle) -> None:
    assert fake.workspace_for_token(TOKEN_B) is beta
    assert fake.workspace_for_token(TOKEN_A) is fake
    assert fake.workspace_for_token("xoxb-nobody") is None
    assert fake.workspace(B) is beta and fake.hosted() == [fake, beta]
    with pytest.raises(ValueError):
        fake.add_workspace(B, token="xoxb-other")


def test_files_and_triggers_reach_their_workspace(fake: FakeSlack, beta: WorkspaceHandle) -> None:
    client(fake, TOKEN_A).files_upload_v2(channel="C0A", content=b"alpha", filename="a.txt")
    client(fake, TOKEN_B).files_upload_v2(channel="C0B", content=b"beta", filename="b.txt")
    assert [f["content"] for f in fake.files()] == [b"alpha"]
    assert [f["content"] for f in beta.files()] == [b"beta"]
    assert {f["id"] for f in fake.files()}.isdisjoint(f["id"] for f in beta.files())
    trigger = beta.new_trigger_id("UZED")
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    assert client(fake, TOKEN_B).views_open(trigger_id=trigger, view=view)["ok"]
    assert len(beta.views()) == 1 and fake.views() == []
    assert beta.calls("views.open")[0].context == {"user": "UZED"}  # B's trigger, known in B


def test_reset_forgets_every_workspace_s_activity(fake: FakeSlack, beta: WorkspaceHandle):
    client(fake, TOKEN_B).chat_postMessage(channel="C0B", text="x")
    fake.reset()
    assert beta.messages() == [] and fake.calls() == []
    assert beta.user_name("UZED") == "zed"  # the people stay


def test_a_response_url_is_answered_by_the_workspace_that_gave_it(
    fake: FakeSlack, beta: WorkspaceHandle
) -> None:
    url = beta.new_response_url(user_id="UZED", channel_id="C0B")
    body = json.dumps({"text": "only you", "response_type": "ephemeral"}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    assert [c.args["text"] for c in beta.calls("response_url")] == ["only you"]
    assert fake.calls("response_url", team_id=A) == []


def control(fake: FakeSlack, command: str, data: dict[str, object] | None = None) -> dict:
    url = f"{fake.root_url}/_sandbox/{command}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return dict(json.loads(answer.read()))


def test_the_control_api_hosts_and_seeds_another_workspace(fake: FakeSlack) -> None:
    """For a fake run in another process (``bravo sandbox``)."""
    assert control(fake, "workspaces", {"team_id": B, "token": TOKEN_B})["team_id"] == B
    control(fake, "users", {"team_id": B, "user_id": "UZED", "name": "zed"})
    control(fake, "channels", {"team_id": B, "channel_id": "C0B", "name": "kudos"})
    beta = fake.workspace(B)
    assert beta is not None and beta.user_name("UZED") == "zed" and fake.user_name("UZED") is None
    client(fake, TOKEN_B).chat_postMessage(channel="UZED", text="hello")
    assert [c["team_id"] for c in control(fake, f"calls?team_id={B}")["calls"]] == [B]
    assert control(fake, f"calls?team_id={A}")["calls"] == []
    assert [m["text"] for m in control(fake, f"messages?team_id={B}")["messages"]] == ["hello"]
