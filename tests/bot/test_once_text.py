"""bot.text.trim: quotes cut at a word boundary, with an ellipsis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text import trim


def test_trim_keeps_short_text_and_cuts_long_text_between_words() -> None:
    assert trim("calming an angry caller", 40) == "calming an angry caller"
    assert trim("calming an angry caller", 15) == "calming an…"
    assert trim("calming an angry caller", 11) == "calming an…"
    assert trim("supercalifragilistic", 8) == "superca…"  # one long word: cut where it must


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=80), st.integers(1, 60))
def test_trim_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = trim(text, limit)
    assert len(out) <= limit
    assert out == text or out.endswith("…")
