"""The lessons scene plays on its own: @ana's lesson, posted to #team-wins, helps @ben (saved for
him, @ana thanked with a kudos, the post's count redrawn); a second click and the author's own
click give nothing; @cy finds it again with /learned search."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass

import pytest

from bot.demo.lessons import LESSON
from bot.demo.play import run_demo
from bot.demo.stage import ANA, CHANNEL, TEAM
from bot.learning import ids
from bot.sandbox.server import FakeSlack
from handlers.app import build_app


@dataclass
class Played:
    code: int
    out: str
    slack: FakeSlack


@pytest.fixture(scope="module")
def played() -> Played:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run_demo(build_app, fake=fake, parts=("lessons",))
    return Played(code, out.getvalue(), fake)


def test_a_lesson_is_shared_posted_and_found_helpful(played: Played) -> None:
    out = played.out
    assert played.code == 0, out
    assert "@ana presses [Post to #team-wins]" in out
    posts = [
        c
        for c in played.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == CHANNEL and ids.HELPED in json.dumps(c.args)
    ]
    [post] = posts
    assert LESSON in json.dumps(post.args)
    redrawn = [
        c
        for c in played.slack.calls("chat.update", ok=True)
        if c.args.get("ts") == post.response["ts"]
    ]
    assert redrawn and "Helped 1 person" in json.dumps(redrawn[-1].args)
    # @ben's thanks is a kudos to @ana, through the kudos rules (her DM, no kudos channel here).
    thanked = [
        c
        for c in played.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == ANA and "kudos" in json.dumps(c.args).lower()
    ]
    assert thanked and "sharing a lesson" in json.dumps(thanked[-1].args)
    assert "got a kudos from you for sharing it" in out
    assert "You already saved this lesson" in out and "Nothing was given twice" in out
    assert "That's your own lesson" in out


def test_the_lesson_is_found_again_by_search(played: Played) -> None:
    out = played.out
    found = out[out.index("/learned search refund") :]
    assert LESSON in found and "Lessons for" in found and "helped 1 person" in found
