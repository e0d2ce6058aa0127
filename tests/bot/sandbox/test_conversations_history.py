"""conversations.history and conversations.replies: what a channel or thread holds since a time,
newest first (a thread oldest first), with message metadata when include_all_metadata asks."""

from __future__ import annotations

import time

from slack_sdk.web import WebClient

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, SECRET_ROOM, error_of

TAG = {"event_type": "bravo_outbox", "event_payload": {"outbox_id": 7}}


def test_history_is_newest_first_with_metadata_when_asked(fake, client) -> None:
    first = client.chat_postMessage(channel=KUDOS, text="one", metadata=TAG)
    client.chat_postMessage(channel=KUDOS, text="two")

    page = client.conversations_history(channel=KUDOS, include_all_metadata=True)
    assert [m["text"] for m in page["messages"]] == ["two", "one"]
    assert page["messages"][1]["metadata"] == TAG
    bare = client.conversations_history(channel=KUDOS)
    assert "metadata" not in bare["messages"][1]
    since = client.conversations_history(channel=KUDOS, oldest=first["ts"])
    assert [m["text"] for m in since["messages"]] == ["two"]


def test_history_pages_and_leaves_thread_replies_to_replies(fake, client) -> None:
    parent = client.chat_postMessage(channel=KUDOS, text="parent")["ts"]
    for n in range(3):
        client.chat_postMessage(channel=KUDOS, text=f"reply {n}", thread_ts=parent, metadata=TAG)
    client.chat_postMessage(channel="UANA", text="a DM")

    page = client.conversations_history(channel=KUDOS, limit=1)
    assert [m["text"] for m in page["messages"]] == ["parent"]
    assert page["has_more"] is False
    thread = client.conversations_replies(
        channel=KUDOS, ts=parent, limit=2, include_all_metadata=True
    )
    assert [m["text"] for m in thread["messages"]] == ["parent", "reply 0"]
    assert thread["messages"][1]["metadata"] == TAG
    rest = client.conversations_replies(
        channel=KUDOS, ts=parent, cursor=thread["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["reply 1", "reply 2"]
    dm = client.conversations_open(users="UANA")["channel"]["id"]
    assert [m["text"] for m in client.conversations_history(channel=dm)["messages"]] == ["a DM"]


def test_history_refuses_what_the_bot_cannot_read(fake, client) -> None:
    assert error_of(client.conversations_history, channel=SECRET_ROOM) == "channel_not_found"
    assert error_of(client.conversations_replies, channel=KUDOS, ts="1.2") == "thread_not_found"
    fake.set_scopes(["chat:write"])
    assert error_of(client.conversations_history, channel=KUDOS) == "missing_scope"


def test_message_ts_follow_the_wall_clock() -> None:
    with FakeSlack() as fake:  # no fixed ts_start: Slack-like times
        fake.add_channel("C1", "general", members=("UBRAVO",))
        before = time.time()

        client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
        first = float(client.chat_postMessage(channel="C1", text="a")["ts"])
        second = float(client.chat_postMessage(channel="C1", text="b")["ts"])
    assert before - 1 <= first < second <= time.time() + 1
