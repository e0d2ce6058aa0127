"""How the fake reads a request's arguments (bot/sandbox/args.py)."""

from __future__ import annotations

import json
import urllib.request

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import section


def test_form_encoded_blocks_are_decoded(fake: FakeSlack) -> None:
    body = "channel=C0KUDOS&text=hi&blocks=" + urllib.request.quote(json.dumps([section("x")]))
    request = urllib.request.Request(
        fake.base_url + "chat.postMessage",
        data=body.encode(),
        headers={
            "Authorization": "Bearer xoxb-sandbox",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["ok"] is True
    assert fake.calls("chat.postMessage")[0].args["blocks"] == [section("x")]
