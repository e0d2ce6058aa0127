"""The registry owns each command's words: its subcommands, usage and examples; the shared
errors name the command that was typed and use its example."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.coaching.parse import parse_coach_command
from bot.commands import REGISTRY, commands, example, meant, subcommands, usage, who
from bot.errors import (
    BravoError,
    NoRecipientError,
    OnePersonError,
    UnknownCommandError,
    error_text,
)
from bot.feedback.parse import parse_feedback_command
from bot.goals.parse import parse_goal_command
from bot.kudos.parse import KudosLimits, parse_kudos_command
from bot.oneonones.parse import parse_1on1, parse_prep
from handlers.shoutouts import parse_bravo

PARSERS: dict[str, Callable[[str], object]] = {
    "/kudos": lambda text: parse_kudos_command(text, KudosLimits(values=("empathy",))),
    "/goal": parse_goal_command,
    "/coach": lambda text: (
        parse_1on1(text.removeprefix("1on1"))  # handed on to handlers.oneonones
        if text.startswith("1on1")
        else parse_prep(text.removeprefix("prep"))
        if text.startswith("prep")
        else parse_coach_command(text)
    ),
    "/feedback": parse_feedback_command,
    "/bravo": parse_bravo,
}


def test_the_registry_knows_each_commands_subcommands() -> None:
    assert subcommands("/kudos") == ("stats", "history", "leaderboard", "optout", "optin", "help")
    assert subcommands("/goal") == ("list", "away", "back", "help")
    assert subcommands("/coach") == ("list", "end", "1on1", "prep", "help")
    assert subcommands("/feedback") == ("request", "inbox", "help")
    assert "lead" in subcommands("/bravo") and "shoutouts" in subcommands("/bravo")
    assert all("help" in subcommands(c) for c in commands())


def test_usage_and_examples_come_from_the_registry() -> None:
    assert usage("/kudos", "stats") == "/kudos stats [@someone]"
    assert example("/kudos", "stats") == "/kudos stats @ana"
    assert example("/coach") == "/coach @ana"
    assert example("/coach", "end") == "/coach end @ana"
    assert example("/goal") == "/goal list"  # not the bare command
    assert example("/goal", "nonsense") == "/goal list"
    assert example("/feedback", "request").startswith("/feedback request @ana @ben")
    assert who("/kudos") == "Who gets the kudos?"
    assert who("/feedback", "request") == "Who should I ask for feedback?"


@pytest.mark.parametrize(
    ("command", "typed", "subcommand"),
    [
        ("/kudos", "halp", "help"),
        ("/kudos", "stat", "stats"),
        ("/kudos", "leaderbord", "leaderboard"),
        ("/goal", "lsit", "list"),
        ("/feedback", "inbx", "inbox"),
        ("/feedback", "reqest", "request"),
        ("/bravo", "shotouts", "shoutouts"),
        ("/coach", "ned", None),  # too short and too far to guess
        ("/goal", "delete", None),
    ],
)
def test_meant_guesses_a_subcommand_of_the_command_typed(
    command: str, typed: str, subcommand: str | None
) -> None:
    assert meant(command, typed) == subcommand


def test_every_example_in_the_registry_parses() -> None:
    """The words the registry shows are words the parsers take (no stale help)."""
    for line in REGISTRY:
        if line.command not in PARSERS:
            continue
        for shown in {example(line.command, w) for w in line.words} | {line.example or line.usage}:
            text = shown.removeprefix(line.command).strip()
            text = text.replace("@ana", "<@UANA|ana>").replace("@ben", "<@UBEN|ben>")
            if "[" in text or "|" in text.replace("<@UANA|ana>", "").replace("<@UBEN|ben>", ""):
                continue  # a usage with [options] or | choices is not a line to copy
            PARSERS[line.command](text)  # raises if the registry shows words a parser refuses


def test_an_unknown_word_is_answered_in_its_commands_words() -> None:
    words = error_text(UnknownCommandError("/goal", "delete"))
    assert words == "I don't understand `/goal delete`. Try `/goal help`, e.g. `/goal list`."
    guess = error_text(UnknownCommandError("/kudos", "halp"))
    assert guess == "I don't understand `/kudos halp`. Did you mean `/kudos help`?"
    option = error_text(UnknownCommandError("/kudos", "yesterday", sub="leaderboard"))
    assert "`/kudos leaderboard yesterday`" in option
    assert "e.g. `/kudos leaderboard month #empathy`" in option


def test_what_was_typed_never_comes_back_as_a_mention() -> None:
    words = error_text(UnknownCommandError("/coach", "<!channel>"))
    assert "<!channel>" not in words and "&lt;!channel&gt;" in words


def test_nobody_given_names_the_command_and_its_example() -> None:
    kudos = error_text(NoRecipientError("/kudos"))
    assert kudos.startswith("Who gets the kudos?") and "e.g. `/kudos @ana @ben" in kudos
    request = error_text(NoRecipientError("/feedback", sub="request"))
    assert request.startswith("Who should I ask for feedback? `/feedback request`")
    assert "kudos" not in request
    unresolved = error_text(NoRecipientError("/coach", ("cy",), sub="end"))
    assert "I couldn't tell who @cy is" in unresolved and "e.g. `/coach end @ana`" in unresolved


def test_one_person_at_a_time() -> None:
    coach = error_text(OnePersonError("/coach"))
    assert coach == "`/coach` takes one person at a time, e.g. `/coach @ana`."
    feedback = error_text(OnePersonError("/feedback", many="request"))
    assert feedback.startswith("`/feedback` takes one person at a time, e.g. `/feedback @ben`.")
    assert "For several people: `/feedback request @ana @ben" in feedback


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/goal", "lsit"),
        ("/goal", "delete"),
        ("/coach", "cy"),
        ("/coach", "<@UCY|cy> <@UBEN|ben>"),
        ("/coach", "end"),
        ("/feedback", "inbx"),
        ("/feedback", "request"),
        ("/kudos", "halp"),
        ("/bravo", "shotouts on"),
    ],
)
def test_each_parser_raises_with_its_own_command(command: str, text: str) -> None:
    with pytest.raises(BravoError) as info:
        PARSERS[command](text)
    words = error_text(info.value)
    assert f"`{command}" in words
    others = set(PARSERS) - {command}
    assert not any(f"`{other}" in words for other in others), words


def test_an_error_without_words_of_its_own_names_no_command() -> None:
    class Unworded(BravoError):
        pass

    assert "/kudos" not in error_text(Unworded())
