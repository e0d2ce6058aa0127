"""Training's Block Kit: nothing typed is repeated with a live mention, the button is there only
while there is a next step not yet a goal, and the form passes Slack's limits. Pure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.learning import ids
from bot.learning import training_render as render
from bot.learning.training import Saved, Shown, training_line
from bot.sandbox.blockkit import check_view
from storage.models.learning import Training

HOSTILE = "<!channel> <@U123> <!subteam^S1|@team> <!here|here> <!everyone> <@U9|ana>"
AT = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def row(next_step: str = HOSTILE, goal_id: int | None = None) -> Training:
    return Training(
        id=7,
        team_id="T",
        user_id="UANA",
        title=HOSTILE,
        skill="empathy",
        taken_on=date(2026, 11, 20),
        next_step=next_step,
        goal_id=goal_id,
        created_at=AT,
        updated_at=AT,
    )


def assert_nothing_live(payload: object) -> None:
    text = json.dumps(payload)
    for live in ("<!channel", "<!here", "<!everyone", "<!subteam", "<@U123", "<@U9"):
        assert live not in text, (live, text)


def test_nothing_typed_is_repeated_live() -> None:
    saved = Saved(row(), ZoneInfo("UTC"), True, False)
    assert_nothing_live(render.recorded(saved))
    assert_nothing_live(render.recorded_modal(saved))
    assert_nothing_live(render.listing(Shown("UANA", "UANA", [row()], True, False)))
    assert_nothing_live(training_line(row()))


def test_the_goal_button_only_while_there_is_a_next_step_not_yet_a_goal() -> None:
    def buttons(r: Training) -> bool:
        shown = render.recorded(Saved(r, ZoneInfo("UTC"), True, False))
        return ids.COURSE_GOAL in json.dumps(shown)

    assert buttons(row())
    assert not buttons(row(next_step=""))
    assert not buttons(row(goal_id=3))


def test_a_list_says_whose_and_that_there_is_more() -> None:
    mine = json.dumps(render.listing(Shown("UANA", "UANA", [row()], True, True)))
    assert "Your training" in mine and "Showing the latest 1" in mine and "coaches see" in mine
    theirs = json.dumps(render.listing(Shown("UANA", "UCOCO", [row(goal_id=2)], False, True)))
    assert "<@UANA>'s training" in theirs and "(a goal)" in theirs and "coaches see" not in theirs
    empty = json.dumps(render.listing(Shown("UANA", "UANA", [], False, False)))
    assert "haven't recorded any training" in empty


def test_the_form_passes_slacks_checks_with_or_without_skills() -> None:
    long_title = "t" * 40_000
    for skills in ((), tuple(f"skill-{i}" for i in range(150))):
        view = render.course_modal(skills, long_title, date(2026, 11, 23))
        assert check_view(view) == []
    saved = Saved(row(), ZoneInfo("UTC"), True, True)
    assert check_view(render.recorded_modal(saved)) == []
