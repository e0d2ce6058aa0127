"""Posts to response_urls (bot/sandbox/api/response_url.py)."""

from __future__ import annotations

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, post_json, section


def test_response_url_records_posts_and_refuses_the_sixth(fake: FakeSlack) -> None:
    url = fake.new_response_url(user_id="UANA", channel_id=KUDOS)
    assert url.startswith(fake.root_url + "/_response/")
    for n in range(5):
        assert post_json(url, {"response_type": "ephemeral", "text": f"reply {n}"}) == (200, "ok")
    assert post_json(url, {"text": "one too many"}) == (404, "used_url")
    calls = fake.calls("response_url")
    assert [c.args["text"] for c in calls[:5]] == [f"reply {n}" for n in range(5)]
    assert calls[0].args["response_type"] == "ephemeral"
    assert calls[0].args["url_id"] == url.rsplit("/", 1)[1]
    assert calls[0].context["user"] == "UANA" and calls[-1].status == 404


def test_response_url_in_channel_and_replace_original(fake: FakeSlack) -> None:
    assert (
        post_json(
            fake.new_response_url(channel_id=KUDOS),
            {"response_type": "in_channel", "text": "for all"},
        )[0]
        == 200
    )
    [shown] = fake.messages(KUDOS)
    url = fake.new_response_url(user_id="UANA", channel_id=KUDOS, message_ts=shown["ts"])
    assert post_json(url, {"replace_original": True, "text": "replaced"})[0] == 200
    assert [m["text"] for m in fake.messages(KUDOS)] == ["replaced"]
    assert post_json(url, {"delete_original": True})[0] == 200
    assert fake.messages(KUDOS) == []
    assert post_json(url, {"text": "x", "blocks": [section("a" * 3001)]}) == (400, "invalid_blocks")
