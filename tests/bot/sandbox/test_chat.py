"""chat.*: posting, DMs, channel errors, Block Kit limits, updates, deletes, permalinks,
reactions and ephemeral messages (bot/sandbox/api/chat.py, reactions.py)."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.server import FakeSlack
from tests.bot.sandbox.conftest import KUDOS, OLD, RANDOM, SECRET_ROOM, error_of, section


def test_post_message_is_recorded_with_increasing_ts(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel=KUDOS, text="Kudos to <@UBEN>", blocks=[section("a")])
    second = client.chat_postMessage(channel=KUDOS, text="again")
    assert first["channel"] == KUDOS and first["message"]["user"] == "UBRAVO"
    assert float(second["ts"]) > float(first["ts"])
    assert first["ts"] == "1732350000.000100"
    [call, _] = fake.calls("chat.postMessage")
    assert call.args["text"] == "Kudos to <@UBEN>" and call.args["blocks"] == [section("a")]
    assert call.status == 200 and call.response["ts"] == first["ts"] and call.warnings == []
    assert [m["text"] for m in fake.messages(KUDOS)] == ["Kudos to <@UBEN>", "again"]


def test_blocks_without_text_are_accepted_with_a_recorded_warning(
    fake: FakeSlack, client: WebClient
) -> None:
    with pytest.warns(UserWarning):  # slack_sdk warns client-side too
        client.chat_postMessage(channel=KUDOS, blocks=[section("no fallback")])
        assert error_of(client.chat_postMessage, channel=KUDOS) == "no_text"
    assert fake.calls("chat.postMessage")[0].warnings == ["missing_text_fallback"]


def test_dm_to_a_user_id_gets_a_stable_d_channel(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="UBEN", text="You got kudos")
    second = client.chat_postMessage(channel="UBEN", text="And more")
    assert first["channel"] == second["channel"] == fake.dm_channel("UBEN")
    assert first["channel"].startswith("D")
    assert client.conversations_open(users="UBEN")["channel"]["id"] == first["channel"]
    assert [m["text"] for m in fake.messages("UBEN")] == ["You got kudos", "And more"]
    assert fake.calls("chat.postMessage")[0].context == {"dm_user": "UBEN"}
    assert error_of(client.chat_postMessage, channel="UROBOT", text="hi") == "cannot_dm_bot"
    assert error_of(client.chat_postMessage, channel="UGONE", text="hi") == "user_disabled"


def test_channel_errors_match_slack(fake: FakeSlack, client: WebClient) -> None:
    post = client.chat_postMessage
    assert error_of(post, channel=RANDOM, text="hi") == "not_in_channel"
    assert error_of(post, channel="C0NOPE", text="hi") == "channel_not_found"
    assert error_of(post, channel=OLD, text="hi") == "is_archived"
    assert error_of(post, channel=SECRET_ROOM, text="hi") == "channel_not_found"
    assert client.chat_postMessage(channel="#kudos", text="by name")["channel"] == KUDOS
    assert fake.messages(RANDOM) == []
    assert [c.response["error"] for c in fake.calls("chat.postMessage", ok=False)] == [
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "channel_not_found",
    ]


def test_too_many_blocks_and_long_section_are_invalid_blocks(
    fake: FakeSlack, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as many:
        client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("b")] * 51)
    assert many.value.response["error"] == "invalid_blocks"
    assert any("50" in e and "/blocks" in e for e in many.value.response["errors"])
    with pytest.raises(SlackApiError) as long:
        client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("a" * 3001)])
    assert long.value.response["errors"] == [
        "must be at most 3000 characters [json-pointer:/blocks/0/text/text]"
    ]
    client.chat_postMessage(channel=KUDOS, text="x", blocks=[section("a" * 3000)] * 50)
    assert len(fake.messages(KUDOS)) == 1


def test_update_delete_permalink_and_reactions(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=KUDOS, text="Kudos!", blocks=[section("Kudos!")])
    ts = posted["ts"]
    client.chat_update(channel=KUDOS, ts=ts, text="Withdrawn")
    [message] = fake.messages(KUDOS)
    assert message["text"] == "Withdrawn" and message["blocks"] == [section("Kudos!")]
    assert "edited" in message
    theirs = fake.add_message(KUDOS, "UANA", "my own words")
    no = error_of(client.chat_update, channel=KUDOS, ts=theirs["ts"], text="x")
    assert no == "cant_update_message"
    assert (
        error_of(client.chat_update, channel=KUDOS, ts="1.000001", text="x") == "message_not_found"
    )
    dm = client.chat_postMessage(channel="UBEN", text="dm")
    assert (
        error_of(client.chat_update, channel="UBEN", ts=dm["ts"], text="x") == "channel_not_found"
    )
    client.chat_update(channel=dm["channel"], ts=dm["ts"], text="edited dm")
    link = client.chat_getPermalink(channel=KUDOS, message_ts=ts)["permalink"]
    assert link == f"https://sandbox.slack.com/archives/{KUDOS}/p{ts.replace('.', '')}"
    client.reactions_add(channel=KUDOS, name="clap", timestamp=ts)
    assert error_of(client.reactions_add, channel=KUDOS, name="clap", timestamp=ts) == (
        "already_reacted"
    )
    client.chat_delete(channel=KUDOS, ts=ts)
    assert [m["text"] for m in fake.messages(KUDOS)] == ["my own words"]


def test_ephemeral_needs_the_user_in_the_channel(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel=KUDOS, user="UBEN", text="only you")
    assert answer["message_ts"]
    no = error_of(client.chat_postEphemeral, channel=RANDOM, user="UCY", text="x")
    assert no == "user_not_in_channel"
    assert fake.messages() == []  # ephemeral messages are not stored
