"""A value an admin removed from the list: what was recorded with it stays, and no form Bravo
opens about it breaks (Slack refuses a select whose initial option is not among its options)."""

from __future__ import annotations

from bot.feedback.render import feedback_modal
from bot.feedback.rules import FeedbackDraft, check_draft
from bot.goals import ids as goal_ids
from bot.goals.render import goal_modal
from bot.sandbox.blockkit import check_view
from tests.handlers.hostile_kit import _goal

NOW_LISTED = ("grit", "focus")  # "empathy" was removed


def test_editing_a_goal_whose_skill_was_removed_opens_and_asks_for_a_listed_one() -> None:
    goal = _goal()
    assert goal.skill == "empathy"
    view = goal_modal(skills=NOW_LISTED, private_metadata="{}", goal=goal)
    assert check_view(view) == []
    [skill] = [b for b in view["blocks"] if b.get("block_id") == goal_ids.SKILL]
    assert "initial_option" not in skill["element"]  # the owner picks a listed skill


def test_feedback_with_a_removed_skill_is_asked_to_pick_a_listed_one() -> None:
    draft = FeedbackDraft("On the call", "You paused", "They calmed", "Keep it", "empathy", False)
    assert check_view(feedback_modal(skills=NOW_LISTED, private_metadata="{}", draft=draft)) == []
    assert check_draft(draft, skills=NOW_LISTED)  # a field error, not a crash
