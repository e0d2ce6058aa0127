"""The fake Slack's file uploads (files_upload_v2's three steps) and its configurable scopes."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.outbox.uploads import upload, upload_payload
from bot.sandbox.server import FakeSlack


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack(team_id="T1") as slack:
        slack.add_channel("C1", "team", members=("UBRAVO",), creator="UANA")
        yield slack


def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.base_url)


def test_an_upload_goes_through_the_three_steps_to_the_channel(fake: FakeSlack) -> None:
    payload = upload_payload(
        channel="C1", filename="week.png", title="Week", alt_text="bars", content=b"\x89PNG..."
    )
    upload(client(fake), payload)
    methods = [c.method for c in fake.calls()]
    assert methods == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    [stored] = fake.files()
    assert stored["content"] == b"\x89PNG..." and stored["channels"] == ["C1"]
    assert stored["completed"] and stored["alt_txt"] == "bars"


def test_without_files_write_slack_says_missing_scope(fake: FakeSlack) -> None:
    fake.set_scopes(["chat:write", "channels:read"])
    payload = upload_payload(channel="C1", filename="w.png", title="W", alt_text="", content=b"x")
    with pytest.raises(SlackApiError) as caught:
        upload(client(fake), payload)
    assert caught.value.response["error"] == "missing_scope"
    assert caught.value.response["needed"] == "files:write"
    assert fake.files() == []
    assert client(fake).conversations_info(channel="C1")["channel"]["creator"] == "UANA"
    fake.set_scopes(["chat:write"])
    with pytest.raises(SlackApiError):
        client(fake).conversations_members(channel="C1")
    fake.set_scopes(None)
    assert client(fake).conversations_members(channel="C1")["members"] == ["UBRAVO"]
