"""bot.text.clean: invisible padding and control characters out, everything visible kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text import clean


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("\u200b\u200c\u200d\u2060\ufeff", ""),
        ("a\u200bb", "ab"),
        ("x\u200dy", "x\u200dy"),  # a joiner between two visible characters shapes them
        ("\U0001f469\u200d\U0001f4bb", "\U0001f469\u200d\U0001f4bb"),
        ("end\u200c", "end"),
        ("a\x00b\x07c", "abc"),
        ("line\nnext\ttab\r\n", "line\nnext\ttab\r\n"),
    ],
)
def test_clean(typed: str, seen: str) -> None:
    assert clean(typed) == seen


@given(st.text())
def test_clean_is_idempotent_and_leaves_no_nul_or_invisible_only_text(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert "\x00" not in once
    assert once == "" or once.strip("\u200b\u200c\u200d\u2060\ufeff \t\r\n") or once.isspace()
