"""``/suggest`` text that is a mistyped or misplaced command is answered, never previewed; what a
preview's buttons carry reads back whole."""

from __future__ import annotations

import pytest

from bot.errors import error_text
from bot.suggestions.errors import DraftGoneError, NotASuggestionError
from bot.suggestions.parse import (
    DraftValue,
    SetupBox,
    Suggest,
    SuggestHelp,
    draft_value,
    parse_draft_value,
    parse_suggest_command,
)


@pytest.mark.parametrize(("typed", "meant"), [("setpu", "setup"), ("halp", "help")])
def test_a_word_close_to_a_subcommand_asks_what_was_meant(typed: str, meant: str) -> None:
    with pytest.raises(NotASuggestionError) as info:
        parse_suggest_command(typed)
    words = error_text(info.value)
    assert f"Did you mean `/suggest {meant}`?" in words and "Nothing was posted" in words


@pytest.mark.parametrize("typed", ["list", "stats", "LEADERBOARD", "inbox", "optout", "lsit"])
def test_another_commands_word_is_not_a_suggestion(typed: str) -> None:
    with pytest.raises(NotASuggestionError) as info:
        parse_suggest_command(typed)
    assert f"`/suggest {typed}` is not a command" in error_text(info.value)


@pytest.mark.parametrize("typed", ["standups", "Retros", "kindness", "more quiet hours", "list it"])
def test_ordinary_words_and_sentences_are_suggestions(typed: str) -> None:
    assert isinstance(parse_suggest_command(typed), Suggest)


def test_the_subcommands_themselves() -> None:
    assert parse_suggest_command(" setup ") == SetupBox()
    assert parse_suggest_command("help") == SuggestHelp()


def test_a_draft_value_reads_back_and_a_bad_one_has_expired() -> None:
    nonce = "0123456789abcdef" * 2
    draft = DraftValue(nonce, "tag", "2026-12-03", "a &amp; b “quoted”")
    assert parse_draft_value(draft_value(draft)) == draft
    long = DraftValue(nonce, "tag", "2026-12-03", None)
    assert parse_draft_value(draft_value(long)) == long
    too_long = draft_value(DraftValue(nonce + "0", "tag", "2026-12-03", None))
    for bad in ["more snacks", "[]", '{"n":"x"}', '{"n":1,"a":"t","d":"x"}', too_long]:
        with pytest.raises(DraftGoneError):
            parse_draft_value(bad)
