"""The suggestion box's Block Kit."""

from __future__ import annotations

from bot.suggestions.render import small_workspace_warning


def test_a_long_suggestion_is_not_cut_to_fit_a_button() -> None:
    short = small_workspace_warning("more snacks", 3)
    assert any(b["type"] == "actions" for b in short["blocks"])
    long = small_workspace_warning("&amp;" * 450, 3)  # 2250 characters once escaped
    assert not any(b["type"] == "actions" for b in long["blocks"])
    assert "open the form" in str(long["blocks"])
