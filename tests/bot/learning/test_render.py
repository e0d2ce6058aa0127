"""Lessons in Block Kit: what a person typed never pings anyone, wherever it shows (the reply,
the channel post, the author's DM, the list, the removal question); the buttons each person may
press and no others."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.learning import ids, render
from bot.sandbox.blockkit import check_view
from storage.models.learning import Lesson, LessonVisibility

AT = datetime(2026, 11, 23, tzinfo=UTC)
LIVE = ("<@U123>", "<!channel>", "<!here>", "<!subteam^S1", "<!everyone>")
HOSTILE = "Ask <@U123> <!channel> <!here> <!everyone> <!subteam^S1|@support> first"


def lesson(**kw: object) -> Lesson:
    base: dict[str, object] = {
        "id": 7,
        "team_id": "T1",
        "author_id": "UANA",
        "added_by": "UANA",
        "learned": HOSTILE,
        "what_happened": HOSTILE,
        "origin": "command",
        "created_at": AT,
        "updated_at": AT,
    }
    base.update(kw)
    return Lesson(**base)  # type: ignore[arg-type]


def every_rendering(row: Lesson) -> list[str]:
    return [
        json.dumps(x)
        for x in (
            render.saved(row, ("C1",), {"C1": "team"}, posted=False),
            render.post(row),
            render.author_dm(row, "UBEN", ("C1",), {}),
            render.mine([row], "UANA", set()),
            render.mine([row], "UBEN", {7}),
            render.remove_confirm(row, 2),
            render.lesson_modal(skills=("empathy",), channels=(), names={}, metadata="x", row=row),
        )
    ]


def test_no_rendering_pings_anyone() -> None:
    for shown in every_rendering(lesson()):
        for live in LIVE:
            assert live not in shown, (live, shown[:200])


@given(st.text(max_size=200))
def test_no_typed_text_becomes_a_broadcast(text: str) -> None:
    row = lesson(learned=f"<!channel> {text}", what_happened=f"{text} <!here>")
    for shown in every_rendering(row)[:5]:
        assert "<!channel>" not in shown and "<!here>" not in shown


def test_the_author_gets_post_edit_remove_a_saver_only_remove() -> None:
    row = lesson(author_id="UANA", added_by="UBEN")
    ana = json.dumps(render.mine([row], "UANA", set(), ("C1",), {}))
    ben = json.dumps(render.mine([row], "UBEN", set(), ("C1",), {}))
    assert ids.POST_LESSON in ana and ids.EDIT_LESSON in ana and ids.REMOVE_LESSON in ana
    assert ids.POST_LESSON not in ben and ids.EDIT_LESSON not in ben and ids.REMOVE_LESSON in ben
    posted = lesson(visibility=LessonVisibility.TEAM, posted_channel="C1")
    assert ids.POST_LESSON not in json.dumps(render.saved(posted, ("C1",), {}, posted=True))


def test_the_form_is_valid_block_kit_new_and_prefilled() -> None:
    new = render.lesson_modal(
        skills=("empathy", "ownership"), channels=("C1",), names={"C1": "team"}, metadata="new"
    )
    assert check_view(new) == [] and "Yes, post it to #team" in json.dumps(new)
    none = render.lesson_modal(skills=(), channels=(), names={}, metadata="new")
    assert check_view(none) == [] and "/bravo shoutouts on" in json.dumps(none)
    long = lesson(learned="x" * 5000, what_happened="y" * 5000, link="https://kb.example")
    filled = render.lesson_modal(skills=("empathy",), channels=(), names={}, metadata="e", row=long)
    assert check_view(filled) == []


def test_mine_fits_slacks_limits_at_its_bound() -> None:
    rows = [lesson(id=n, learned="z" * 1000) for n in range(ids.MINE_SHOWN)]
    shown = render.mine(rows, "UANA", set(), ("C1", "C2", "C3"), {})
    assert len(shown["blocks"]) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in shown["blocks"])
