"""Transcripts: what each person would see, from recorded calls."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.sandbox.server import Call, FakeSlack
from bot.sandbox.transcript import blocks_to_text, mrkdwn_to_text, render_transcript

NAMES = {"UANA": "Ana", "UBEN": "Ben"}
CHANNELS = {"C1": "kudos"}


def call(method: str, args: dict[str, Any], status: int = 200, **context: Any) -> Call:
    response = {"ok": status == 200}
    return Call(method, args, response, status, 0.0, [], dict(context))


def test_mrkdwn_to_text_names_people_channels_and_links() -> None:
    names = {"U1": "Ana", "C1": "general"}
    assert mrkdwn_to_text("<@U1> thanks <@U9|bo>", names) == "@Ana thanks @bo"
    assert mrkdwn_to_text("in <#C1|general> and <#C1>", names) == "in #general and #general"
    assert mrkdwn_to_text("<!here> <!channel> <!subteam^S1|@support>", names) == (
        "@here @channel @support"
    )
    assert mrkdwn_to_text("see <https://x.io/a?b=1&amp;c=2|the docs>", names) == (
        "see the docs (https://x.io/a?b=1&c=2)"
    )
    assert mrkdwn_to_text("&lt;!channel&gt; &amp; co", names) == "<!channel> & co"


def test_blocks_to_text_reads_like_the_message() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Kudos!"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "<@UANA> thanks <@UBEN>"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Value*"},
                {"type": "plain_text", "text": "empathy"},
            ],
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "3 of 5 left"}]},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Undo"},
                    "action_id": "u",
                },
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Stats"},
                    "action_id": "s",
                },
            ],
        },
        {"type": "image", "image_url": "https://x.io/a.png", "alt_text": "confetti"},
    ]
    assert blocks_to_text(blocks, NAMES).splitlines() == [
        "*Kudos!*",
        "@Ana thanks @Ben",
        "*Value* | empathy",
        "---",
        "3 of 5 left",
        "[Undo] [Stats]",
        "[image: confetti]",
    ]


def test_post_dm_and_ephemeral_lines() -> None:
    calls = [
        call("auth.test", {}),
        call("chat.postMessage", {"channel": "C1", "text": "<@UANA> gave kudos to <@UBEN>"}),
        call("chat.postMessage", {"channel": "DBEN", "text": "You got kudos"}, dm_user="UBEN"),
        call("chat.postMessage", {"channel": "UANA", "text": "Hi Ana"}),
        call("users.info", {"user": "UBEN"}),
        call("chat.postEphemeral", {"channel": "C1", "user": "UBEN", "text": "Only you"}),
        call(
            "response_url",
            {"url_id": "x", "response_type": "ephemeral", "text": "Sent!"},
            user="UANA",
            channel="C1",
        ),
        call("chat.postMessage", {"channel": "C1", "text": "rate limited"}, status=429),
        call("chat.update", {"channel": "C1", "ts": "1.1", "text": "withdrawn"}),
    ]
    assert render_transcript(calls, NAMES, CHANNELS).splitlines() == [
        "#kudos  Bravo: @Ana gave kudos to @Ben",
        "DM to @Ben  Bravo: You got kudos",
        "DM to @Ana  Bravo: Hi Ana",
        "only @Ben sees  Bravo: Only you",
        "only @Ana sees  Bravo: Sent!",
        "#kudos  (updated) Bravo: withdrawn",
    ]


def test_modals_and_multiline_messages() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Give kudos"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Who?"}}],
    }
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "line one\nline two"}}]
    calls = [
        call("views.open", {"trigger_id": "t", "view": view}, user="UBEN"),
        call("chat.postMessage", {"channel": "C1", "text": "x", "blocks": blocks}),
    ]
    assert render_transcript(calls, NAMES, CHANNELS).splitlines() == [
        '@Ben sees a modal "Give kudos"',
        "    Who?",
        "#kudos  Bravo: line one",
        "               line two",
    ]


def test_fake_slack_transcript_uses_its_workspace() -> None:
    with FakeSlack() as fake:
        fake.add_user("UANA", "Ana")
        fake.add_user("UBEN", "Ben")
        fake.add_channel("C1", "kudos", members=("UBRAVO", "UANA", "UBEN"))
        client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
        client.chat_postMessage(channel="C1", text="Kudos to <@UBEN>")
        client.chat_postMessage(channel="UBEN", text="You got kudos from <@UANA>")
        client.chat_postEphemeral(channel="C1", user="UANA", text="Sent")
        client.users_info(user="UBEN")
        assert fake.transcript().splitlines() == [
            "#kudos  Bravo: Kudos to @Ben",
            "DM to @Ben  Bravo: You got kudos from @Ana",
            "only @Ana sees  Bravo: Sent",
        ]
