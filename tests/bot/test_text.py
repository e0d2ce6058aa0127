"""bot.text: clean (invisible padding and control characters out, everything visible kept), and
whole numbers from button values (ASCII digits only)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cadence import parse_hhmm
from bot.text import clean, is_number, whole_number


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


@pytest.mark.parametrize("raw", ["²", "١٢", "１", "12a", "", "-3", "1" * 13, None])
def test_only_ascii_digits_make_a_number(raw: object) -> None:
    # "²".isdigit() is True but int("²") raises: a button value like that once crashed a parse
    assert whole_number(raw) is None


def test_a_number_is_read() -> None:
    assert whole_number("42") == 42
    assert whole_number(7) == 7
    assert is_number("0042") and not is_number("４２")


@pytest.mark.parametrize("raw", ["²:00", "1²:00", "٣:00"])
def test_times_with_unicode_digits_are_not_times(raw: str) -> None:
    assert parse_hhmm(raw) is None
