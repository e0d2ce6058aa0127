"""Near misses of a subcommand are caught; ordinary words are not."""

import pytest

from bot.commands import near_miss

KUDOS = ("help", "stats", "leaderboard", "optout", "optin")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("halp", "help"),
        ("stat", "stats"),
        ("leaderbord", "leaderboard"),
        ("HELP", "help"),
        ("optotu", "optout"),
        ("leader", "leaderboard"),
    ],
)
def test_a_near_miss_names_the_subcommand(typed: str, meant: str) -> None:
    assert near_miss(typed, KUDOS) == meant


@pytest.mark.parametrize(
    "typed", ["ok", "for", "great", "thanks", "helping", "statistics", "all", "stop"]
)
def test_ordinary_words_are_not_subcommands(typed: str) -> None:
    assert near_miss(typed, KUDOS) is None


def test_goal_typos() -> None:
    assert near_miss("lsit", ("list", "away", "back", "help")) == "list"
