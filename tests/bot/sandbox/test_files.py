"""files.*: an upload through slack_sdk's files_upload_v2 (bot/sandbox/api/files.py).

The three steps one by one, and the files:write scope they need, are in test_fake_uploads.py.
"""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS


def test_file_upload_records_bytes_and_title(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(
        channel=KUDOS, content=b"name,kudos\nBen,3\n", filename="kudos.csv", title="Kudos export"
    )
    assert result["file"]["title"] == "Kudos export"
    [stored] = fake.files()
    assert stored["content"] == b"name,kudos\nBen,3\n" and stored["channels"] == [KUDOS]
    assert fake.calls("file_upload")[0].args["length"] == len(stored["content"])
