"""Parsing /coach text (pure)."""

from __future__ import annotations

import pytest

from bot.coaching import parse
from bot.errors import NoRecipientError, OnePersonError, UnknownCommandError


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", parse.CoachHelp()),
        ("help", parse.CoachHelp()),
        ("list", parse.ListCoaching()),
        ("<@UANA|ana>", parse.AskToCoach("UANA")),
        ("end <@UANA|ana>", parse.EndCoaching("UANA")),
    ],
)
def test_coach_commands(text: str, parsed: parse.CoachCommand) -> None:
    assert parse.parse_coach_command(text) == parsed


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<@UANA|ana> <@UBEN|ben>", OnePersonError),
        ("end <@UANA|ana> <@UBEN|ben>", OnePersonError),
        ("end", NoRecipientError),
        ("end @ana", NoRecipientError),
        ("@ana", NoRecipientError),
        ("frobnicate", UnknownCommandError),
    ],
)
def test_coach_command_mistakes(text: str, error: type) -> None:
    with pytest.raises(error):
        parse.parse_coach_command(text)
