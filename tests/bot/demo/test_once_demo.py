"""The demo's transcript is the same every run, each step's messages under that step (part one,
kudos, played twice: the whole demo takes too long to play twice in a test)."""

from __future__ import annotations

import contextlib
import io
import re

from bot.demo.play import run_demo
from bot.demo.stage import TEAM
from bot.sandbox.server import FakeSlack
from handlers.app import build_app


def part_one() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            run_demo(
                build_app, fake=FakeSlack(team_id=TEAM, ts_start=1_800_000_000), parts=("kudos",)
            )
            == 0
        )
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", out.getvalue())
    return re.sub(r"bravo-demo-\w+", "bravo-demo-DIR", text)


def steps(transcript: str) -> dict[str, str]:
    """Each step's title and what was shown under it."""
    parts = transcript.split("\n▶ ")[1:]
    return {p.split("\n", 1)[0]: p.split("\n", 1)[1] if "\n" in p else "" for p in parts}


def test_part_one_prints_the_same_transcript_every_run() -> None:
    first, second = part_one(), part_one()
    assert first == second
    shown = steps(first)
    group = shown["@ben thanks the whole @support group: /kudos @support for covering the phones"]
    assert "#team-wins  Bravo: :clap: @ben gave kudos to @cy and @dee" in group
    assert group.count("DM to @") == 2  # @cy's and @dee's, nothing from another step
    undo = shown["...and presses Undo within 10 minutes"]
    assert "(updated) Bravo: :leftwards_arrow_with_hook: @ana withdrew this kudos." in undo
    first_kudos = shown["@ana types: /kudos @ben @cy for calming an angry caller #empathy"]
    assert first_kudos.count("First kudos ever for @ben and @cy!") == 1
