"""Parsing /suggest text: a suggestion can never ping anyone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import TextTooLongError
from bot.suggestions.parse import (
    OpenSuggestModal,
    SetupBox,
    Suggest,
    parse_suggest_command,
    suggestion_text,
)


def test_suggest_commands_parse() -> None:
    assert parse_suggest_command("  ") == OpenSuggestModal()
    assert parse_suggest_command("setup") == SetupBox()
    assert parse_suggest_command("set up a coffee machine") == Suggest("set up a coffee machine")
    with pytest.raises(TextTooLongError):
        parse_suggest_command("x" * 1501)


@given(st.text(max_size=300))
def test_suggestion_text_never_pings_or_injects(raw: str) -> None:
    for escaped in (True, False):
        try:
            out = suggestion_text(raw, escaped=escaped)
        except TextTooLongError:
            continue
        assert "<!" not in out
        if not escaped:
            assert "<" not in out and ">" not in out
