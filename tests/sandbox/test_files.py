"""files.*: uploads (files_upload_v2's three steps) and the files:write scope they need
(bot/sandbox/api/files.py; scopes in bot/sandbox/faults.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.sandbox.server import FakeSlack
from bot.uploads import upload, upload_payload
from tests.sandbox.conftest import KUDOS


@pytest.fixture
def team() -> Iterator[FakeSlack]:
    """A workspace of its own: team T1 with one channel, C1, that the bot is in."""
    with FakeSlack(team_id="T1") as slack:
        slack.add_channel("C1", "team", members=("UBRAVO",), creator="UANA")
        yield slack


def web(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-sandbox", base_url=fake.base_url)


def test_file_upload_records_bytes_and_title(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel=KUDOS, content=b"name,kudos\nBen,3\n", filename="kudos.csv", title="Kudos export"
    )
    assert result["file"]["title"] == "Kudos export"
    [stored] = fake.files()
    assert stored["content"] == b"name,kudos\nBen,3\n" and stored["channels"] == [KUDOS]
    assert fake.calls("file_upload")[0].args["length"] == len(stored["content"])


def test_an_upload_goes_through_the_three_steps_to_the_channel(team: FakeSlack) -> None:
    payload = upload_payload(
        channel="C1", filename="week.png", title="Week", alt_text="bars", content=b"\x89PNG..."
    )
    upload(web(team), payload)
    methods = [c.method for c in team.calls()]
    assert methods == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    [stored] = team.files()
    assert stored["content"] == b"\x89PNG..." and stored["channels"] == ["C1"]
    assert stored["completed"] and stored["alt_txt"] == "bars"


def test_without_files_write_slack_says_missing_scope(team: FakeSlack) -> None:
    team.set_scopes(["chat:write", "channels:read"])
    payload = upload_payload(channel="C1", filename="w.png", title="W", alt_text="", content=b"x")
    with pytest.raises(SlackApiError) as caught:
        upload(web(team), payload)
    assert caught.value.response["error"] == "missing_scope"
    assert caught.value.response["needed"] == "files:write"
    assert team.files() == []
    assert web(team).conversations_info(channel="C1")["channel"]["creator"] == "UANA"
    team.set_scopes(["chat:write"])
    with pytest.raises(SlackApiError):
        web(team).conversations_members(channel="C1")
    team.set_scopes(None)
    assert web(team).conversations_members(channel="C1")["members"] == ["UBRAVO"]
