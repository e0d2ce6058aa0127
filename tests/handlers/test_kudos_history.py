"""Kudos history end to end: ``/kudos history [@someone]`` and its page buttons over signed
requests, and the Home tab's "See more" modal; what Slack was asked to show, and to whom."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.kudos import ids
from tests.bot.kudos.test_history import seed
from tests.handlers.conftest import CHANNEL, TEAM, Bravo
from tests.handlers.test_kudos import command, reply

PRIVATE = "G0SECRET"


def button(blocks: list[dict[str, Any]], action_id: str) -> str:
    """The value of the button ``action_id`` in these blocks."""
    for block in blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {json.dumps(blocks)[:500]}")


def reasons(blocks: list[dict[str, Any]]) -> list[str]:
    """The reason quoted on each kudos line, in order."""
    return [
        b["text"]["text"].split("\n> ", 1)[1].split("\n")[0]
        for b in blocks
        if b["type"] == "section" and "\n> " in b["text"]["text"]
    ]


def twelve(bravo: Bravo) -> list[str]:
    """Twelve kudos for Ana (odd ones given by her), oldest first; returns their reasons."""
    start = bravo.clock.at - timedelta(days=2)
    words = [f"deed {n}" for n in range(12)]
    for n, word in enumerate(words):
        gift = ("UANA", "UBEN", CHANNEL) if n % 2 else ("UBEN", "UANA", CHANNEL)
        seed(bravo.deps.db, TEAM, [gift], start=start + timedelta(hours=n), reason=word)
    return words


def responses(bravo: Bravo, count: int) -> list[dict[str, Any]]:
    return [c.args for c in bravo.slack.wait_for("response_url", count=count)]


def test_history_pages_replace_the_message_and_only_its_owner_turns_them(bravo: Bravo) -> None:
    words = twelve(bravo)
    command(bravo, "history")
    first = reply(bravo)
    assert first["response_type"] == "ephemeral"
    assert reasons(first["blocks"]) == words[::-1][:10]
    assert "*From* <@UBEN>" in json.dumps(first) and "*To* <@UBEN>" in json.dumps(first)
    older = button(first["blocks"], ids.HISTORY_PAGE)

    bravo.send.block_action("UBEN", ids.HISTORY_PAGE, older, channel_id=CHANNEL)
    refused = responses(bravo, 2)[-1]
    assert "Someone else opened" in refused["text"] and refused["replace_original"] is False

    bravo.send.block_action("UANA", ids.HISTORY_PAGE, older, channel_id=CHANNEL)
    second = responses(bravo, 3)[-1]
    assert second["replace_original"] is True
    assert reasons(second["blocks"]) == words[::-1][10:]
    newer = button(second["blocks"], ids.HISTORY_NEWER)
    bravo.send.block_action("UANA", ids.HISTORY_NEWER, newer, channel_id=CHANNEL)
    back = responses(bravo, 4)[-1]
    assert back["replace_original"] is True and reasons(back["blocks"]) == reasons(first["blocks"])
    assert not bravo.slack.calls("chat.postMessage") and not bravo.slack.calls("views.open")


def test_someone_elses_history_shows_only_kudos_given_in_public(bravo: Bravo) -> None:
    bravo.slack.add_channel(PRIVATE, "secret", members=("UBRAVO", "UANA", "UBEN"), is_private=True)
    start = bravo.clock.at - timedelta(days=1)
    for n, (where, word) in enumerate(
        [(CHANNEL, "in the open"), ("D0ANA", "a quiet word"), (PRIVATE, "behind doors")]
    ):
        seed(bravo.deps.db, TEAM, [("UANA", "UBEN", where)], start=start, reason=word)
        start += timedelta(minutes=n + 1)
    command(bravo, "history <@UBEN|ben>", user="UCY")
    theirs = reply(bravo)
    assert "Only public kudos" in json.dumps(theirs)
    assert reasons(theirs["blocks"]) == ["in the open"]
    command(bravo, "history", user="UBEN")
    assert reasons(reply(bravo, 2)["blocks"]) == ["behind doors", "a quiet word", "in the open"]
    command(bravo, "history <@UANA|ana>", user="UANA")  # naming yourself: all of your own
    assert len(reasons(reply(bravo, 3)["blocks"])) == 3


def test_bad_history_requests_are_answered_in_kudos_words(bravo: Bravo) -> None:
    cases = [
        ("history <@UBEN|ben> <@UCY|cy>", "takes one person at a time"),
        ("history sdf", "I don't understand `/kudos history sdf`"),
        ("histroy", "Did you mean `/kudos history`"),
        ("history @ben", "couldn't tell who @ben is"),
        ("history <@UROBOT|deploybot>", "is a bot"),
        ("history <@UNOPE|nope>", "couldn't find"),
        ("history", "No kudos yet"),
        ("history <@UBEN|ben>", "<@UBEN> has no public kudos yet"),
        ("history <@UGONE|gone>", "no longer active"),
        ("history " + "x" * 40_000, "please keep it under"),
    ]
    for n, (text, expected) in enumerate(cases, 1):
        command(bravo, text)
        answer = json.dumps(reply(bravo, n))
        assert expected in answer, text[:80]
        assert "was sent" not in answer, text[:80]  # reading a history sends nothing


def test_a_forged_page_button_changes_nothing(bravo: Bravo) -> None:
    twelve(bravo)
    forged = [
        "not json",
        '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["x", 1]}',
        json.dumps({"s": "UBEN", "v": "UANA", "k": "own"}),  # Ben's, as if Ana's own
    ]
    for n, value in enumerate(forged[:2], 1):
        bravo.send.block_action("UANA", ids.HISTORY_PAGE, value, channel_id=CHANNEL)
        answer = responses(bravo, n)[-1]
        assert "couldn't read that kudos history button" in answer["text"]
        assert answer["replace_original"] is False
    # A value claiming Ben's whole history is Ana's: she still sees only what is public of it.
    bravo.send.block_action("UANA", ids.HISTORY_PAGE, forged[2], channel_id=CHANNEL)
    shown = responses(bravo, 3)[-1]
    assert "Only public kudos" in json.dumps(shown)


def test_see_more_opens_a_modal_and_its_pages_update_it(bravo: Bravo) -> None:
    words = twelve(bravo)
    home = {"type": "home", "id": "VHOME", "blocks": []}
    bravo.send.block_action("UANA", ids.HISTORY_OPEN, '{"subject": "UANA"}', view=home)
    opened = bravo.slack.wait_for("views.open")[-1]
    first = bravo.slack.wait_for("views.update")[-1].args
    assert first["view_id"] == opened.response["view"]["id"]
    assert reasons(first["view"]["blocks"]) == words[::-1][:10]

    [modal] = [v for v in bravo.slack.views() if v["id"] == first["view_id"]]
    older = button(modal["blocks"], ids.HISTORY_PAGE)
    bravo.send.block_action("UANA", ids.HISTORY_PAGE, older, view=modal)
    second = bravo.slack.wait_for("views.update", count=2)[-1]
    assert second.ok and second.args["hash"] == modal["hash"]
    assert second.args["view_id"] == modal["id"]
    assert reasons(second.args["view"]["blocks"]) == words[::-1][10:]

    bravo.send.block_action("UANA", ids.HISTORY_PAGE, "garbage", view=modal)
    pushed = bravo.slack.wait_for("views.push")[-1].args["view"]
    assert "couldn't read that kudos history button" in json.dumps(pushed)
    assert len(bravo.slack.calls("views.update")) == 2  # the page stayed as it was
    assert not bravo.slack.calls("response_url")


def test_see_more_with_a_forged_value_says_so_in_the_modal(bravo: Bravo) -> None:
    home = {"type": "home", "id": "VHOME", "blocks": []}
    bravo.send.block_action("UANA", ids.HISTORY_OPEN, '{"subject": "<!channel>"}', view=home)
    bravo.slack.wait_for("views.open")
    shown = bravo.slack.wait_for("views.update")[-1].args["view"]
    assert "couldn't read that kudos history button" in json.dumps(shown)
    bravo.send.block_action("UCY", ids.HISTORY_OPEN, '{"subject": "UROBOT"}', view=home)
    bot = bravo.slack.wait_for("views.update", count=2)[-1].args["view"]
    assert "is a bot" in json.dumps(bot)
