"""`make demo` works offline and shows each part of the scenario."""

from __future__ import annotations

import pytest

from bot.demo import run_demo


def test_demo_plays_the_whole_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo() == 0
    out = capsys.readouterr().out
    assert "#team-wins  Bravo: :clap: @ana gave kudos to @ben and @cy" in out
    assert "only @ben sees  Bravo: Nice try!" in out
    assert '@cy sees a modal "Give kudos"' in out
    assert "(in thread)  Bravo: :clap: @dee gave kudos to @ben" in out
    assert out.count("@dee gave kudos to @ben") == 1  # the retried event had one effect
    assert "@ben gave kudos to @cy and @dee" in out  # the @support group, minus the giver
    assert "(updated) Bravo: :leftwards_arrow_with_hook: @ana withdrew this kudos." in out
    assert ":first_place_medal: @dee  3" in out
    assert "0 refused by Slack" in out
