"""``/learned search`` end to end: signed requests in, the ephemeral reply out, and who finds what
(a posted lesson anyone, a private one only its people, another workspace's never)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.learning import search_render
from bot.sandbox.blockkit import check_message
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models.learning import Lesson, LessonVisibility
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo

T = "T0SANDBOX"
ANA, BEN, CY = "UANA", "UBEN", "UCY"
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def lesson(n: int, learned: str, **kw: Any) -> Lesson:
    at = NOW - timedelta(minutes=n)
    values: dict[str, Any] = {
        "team_id": T,
        "author_id": ANA,
        "added_by": ANA,
        "learned": learned,
        "what_happened": "",
        "skill": "empathy",
        "origin": "command",
        "visibility": LessonVisibility.TEAM,
        "posted_channel": CHANNEL,
        "helped_count": 0,
        "request_key": f"k{n}",
        "created_at": at,
        "updated_at": at,
    }
    values.update(kw)
    return Lesson(**values)


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    for bravo in start_bravo(slack, db):
        with bravo.deps.db.write() as s:
            s.add(lesson(1, "Offer the refund before they ask <!channel>", helped_count=4))
            s.add(lesson(2, "Refund plus a callback calms them", skill="problem-solving"))
            s.add(
                lesson(
                    3,
                    "My private refund note",
                    author_id=CY,
                    added_by=CY,
                    visibility=LessonVisibility.PRIVATE,
                    posted_channel=None,
                )
            )
            s.add(lesson(4, "Refund in the other workspace", team_id="T0OTHER"))
            for n in range(5, 17):
                s.add(lesson(n, f"Refund lesson number {n}", skill="professionalism"))
        yield bravo


def reply(bravo: Bravo, user: str, text: str) -> dict[str, Any]:
    """``/learned text``: the reply's payload."""
    replies = len(bravo.slack.calls("response_url"))
    res = bravo.send.slash_command(user, "/learned", text, channel_id=CHANNEL)
    assert res.status == 200
    calls = bravo.slack.wait_for("response_url", replies + 1, timeout=5)
    payload: dict[str, Any] = calls[-1].args
    return payload


def words(payload: dict[str, Any]) -> str:
    return str(payload.get("text", "")) + json.dumps(payload.get("blocks") or [])


def more_button(payload: dict[str, Any]) -> dict[str, Any]:
    for block in payload.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == search_render.MORE:
                return dict(element)
    raise AssertionError("no More button")


def press_more(bravo: Bravo, user: str, value: str) -> dict[str, Any]:
    before = len(bravo.slack.calls("response_url"))
    res = bravo.send.block_action(user, search_render.MORE, value, channel_id=CHANNEL)
    assert res.status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if len(bravo.slack.calls("response_url")) > before:
            found: dict[str, Any] = bravo.slack.calls("response_url")[-1].args
            return found
        time.sleep(0.02)
    raise AssertionError("no answer to More")


def test_search_finds_posted_lessons_most_helpful_first(bravo: Bravo) -> None:
    payload = reply(bravo, BEN, "search refund")
    assert payload["response_type"] == "ephemeral"
    assert check_message(payload) == []
    shown = words(payload)
    assert shown.index("Offer the refund") < shown.index("Refund lesson number")  # helped 4
    assert "<!channel>" not in shown and "@channel" in shown
    assert "private refund note" not in shown and "other workspace" not in shown
    assert "More" in shown


def test_the_author_finds_their_private_lesson_nobody_else_does(bravo: Bravo) -> None:
    assert "My private refund note" in words(reply(bravo, CY, "search private refund"))
    assert "No lessons found" in words(reply(bravo, BEN, "search private refund"))
    assert "No lessons found" in words(reply(bravo, ANA, "search private note"))


def test_more_shows_the_next_lessons_for_whoever_presses(bravo: Bravo) -> None:
    first = reply(bravo, BEN, "search refund")
    value = more_button(first)["value"]
    assert "Offer the refund" not in value  # the button carries the search, not lessons
    second = press_more(bravo, BEN, value)
    assert second.get("replace_original") is True
    assert "(11–14)" in second["blocks"][0]["text"]["text"]
    assert "Offer the refund" not in words(second) and "More" not in words(second)
    # Cy presses a More button made for Ben: Cy's own search, Cy's private lesson may show
    for_cy = words(press_more(bravo, CY, value)) + words(press_more(bravo, CY, '{"w":"refund"}'))
    assert "other workspace" not in for_cy
    assert "No more lessons" in words(press_more(bravo, BEN, '{"w": "refund", "p": 99}'))
    assert "/learned search refund" in words(press_more(bravo, BEN, "not json"))  # the usage


def test_a_skill_alone_and_words_with_a_skill(bravo: Bravo) -> None:
    alone = words(reply(bravo, BEN, "search #empathy"))
    assert "Offer the refund" in alone and "callback" not in alone
    both = words(reply(bravo, BEN, "search refund #problem-solving"))
    assert "Refund plus a callback" in both and "Offer the refund" not in both


def test_a_misspelt_skill_gets_did_you_mean_and_an_empty_search_the_usage(bravo: Bravo) -> None:
    assert "Did you mean `#empathy`?" in words(reply(bravo, BEN, "search refund #empaty"))
    assert "/learned search refund angry caller" in words(reply(bravo, BEN, "search"))
    assert "no word to search for" in words(reply(bravo, BEN, "search the and 🙂"))


@pytest.mark.parametrize(
    "typed",
    ['"refund', "refund NEAR(x) OR -y*", "x" * 40_000, "refund\x00", "(:*)", "🙂 " * 500],
)
def test_hostile_searches_are_answered(bravo: Bravo, typed: str) -> None:
    payload = reply(bravo, BEN, "search " + typed)
    assert check_message(payload) == []
    assert payload["response_type"] == "ephemeral"
    assert "wrong" not in words(payload).lower()  # not the apology for a crash
