"""Block Kit limits, checked without Slack."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.sandbox.blockkit import check_blocks, check_message, check_view


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def button(text: str = "Go", value: str = "v", action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "value": value, "action_id": action_id}


def option(value: str) -> dict[str, Any]:
    return {"text": plain(value[:75]), "value": value}


GOOD_MESSAGE = [
    {"type": "header", "text": plain("Kudos!")},
    {"type": "section", "text": mrkdwn("*Ana* thanks *Ben*"), "accessory": button()},
    {"type": "section", "fields": [mrkdwn("a"), mrkdwn("b")]},
    {"type": "context", "elements": [mrkdwn("3 of 5 left")]},
    {"type": "actions", "block_id": "acts", "elements": [button(action_id="a"), button()]},
    {"type": "divider"},
    {"type": "image", "image_url": "https://x.io/a.png", "alt_text": "confetti"},
]


def modal(**extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "kudos_modal",
        "title": plain("Give kudos"),
        "submit": plain("Send"),
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "label": plain("Why?"),
                "element": {"type": "plain_text_input", "action_id": "reason"},
            }
        ],
        **extra,
    }


def test_valid_payloads_have_no_problems() -> None:
    assert check_blocks(GOOD_MESSAGE) == []
    assert check_message({"text": "hi"}) == []
    assert check_view(modal()) == []
    assert check_view({"type": "home", "blocks": GOOD_MESSAGE}) == []


@pytest.mark.parametrize(
    ("blocks", "where"),
    [
        ([{"type": "divider"}] * 51, "/blocks]"),
        ([{"type": "section", "text": mrkdwn("a" * 3001)}], "/blocks/0/text/text]"),
        ([{"type": "section", "fields": [mrkdwn("a")] * 11}], "/blocks/0/fields]"),
        ([{"type": "section", "fields": [mrkdwn("a" * 2001)]}], "/blocks/0/fields/0/text]"),
        ([{"type": "section"}], "/blocks/0]"),
        ([{"type": "header", "text": plain("a" * 151)}], "/blocks/0/text/text]"),
        ([{"type": "header", "text": mrkdwn("a")}], "/blocks/0/text/type]"),
        ([{"type": "actions", "elements": [button("a" * 76)]}], "/elements/0/text/text]"),
        ([{"type": "actions", "elements": [button(value="v" * 2001)]}], "/elements/0/value]"),
        ([{"type": "actions", "elements": [button(action_id="a" * 256)]}], "/action_id]"),
        ([{"type": "divider", "block_id": "b" * 256}], "/blocks/0/block_id]"),
        ([{"type": "actions", "elements": [button()] * 26}], "/blocks/0/elements]"),
        ([{"type": "context", "elements": [mrkdwn("a")] * 11}], "/blocks/0/elements]"),
        (
            [
                {
                    "type": "section",
                    "text": mrkdwn("pick"),
                    "accessory": {
                        "type": "static_select",
                        "action_id": "s",
                        "options": [option(str(i)) for i in range(101)],
                    },
                }
            ],
            "/accessory/options]",
        ),
        (
            [
                {
                    "type": "section",
                    "text": mrkdwn("pick"),
                    "accessory": {
                        "type": "static_select",
                        "action_id": "s",
                        "options": [option("v" * 151)],
                    },
                }
            ],
            "/accessory/options/0/value]",
        ),
        ([{"type": "carousel"}], "/blocks/0/type]"),
        ([{"text": mrkdwn("no type")}], "/blocks/0/type]"),
        (
            [{"type": "divider", "block_id": "x"}, {"type": "divider", "block_id": "x"}],
            "/blocks/1/block_id]",
        ),
    ],
)
def test_each_message_limit_is_reported_where_it_is_broken(blocks: list[Any], where: str) -> None:
    problems = check_blocks(blocks)
    assert problems, blocks
    assert any(p.endswith(where) for p in problems), problems


@pytest.mark.parametrize(
    ("view", "where"),
    [
        (modal(title=plain("a" * 25)), "/view/title/text]"),
        (modal(submit=plain("a" * 25)), "/view/submit/text]"),
        (modal(close=plain("a" * 25)), "/view/close/text]"),
        (modal(private_metadata="m" * 3001), "/view/private_metadata]"),
        (modal(callback_id="c" * 256), "/view/callback_id]"),
        (modal(submit=None), "/view/submit]"),
        (modal(blocks=[{"type": "divider"}] * 101), "/view/blocks]"),
        (modal(type="dialog"), "/view/type]"),
    ],
)
def test_each_view_limit_is_reported(view: dict[str, Any], where: str) -> None:
    problems = check_view(view)
    assert any(p.endswith(where) for p in problems), problems


def test_views_allow_100_blocks_and_cap_the_size_at_250_kb() -> None:
    assert check_view({"type": "home", "blocks": [{"type": "divider"}] * 100}) == []
    big = [{"type": "section", "text": mrkdwn("a" * 2990)} for _ in range(90)]
    view = {"type": "home", "blocks": big}
    assert len(json.dumps(view)) > 250_000
    assert [p for p in check_view(view) if "bytes" in p]
