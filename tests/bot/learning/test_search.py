"""``/learned search``: what was typed (words and a skill), the errors' words, and the results as
Block Kit: within Slack's limits, and never a live mention from a lesson's text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import error_text
from bot.learning import search_render
from bot.learning.search import (
    USAGE,
    Asked,
    EmptySearchError,
    NoWordsError,
    Results,
    SearchSkillError,
    check_skill,
    more_of,
    more_value,
    parse_search,
)
from bot.sandbox.blockkit import check_message
from bot.settings import DEFAULT_VALUES
from storage.models.learning import Lesson, LessonVisibility

LIVE = re.compile(r"<!(channel|here|everyone)\b|<@U[A-Z0-9]+(\|[^>]*)?>|<!subteam\^")
LOUD = "Refund early <!channel> <!here> <@UBOSS> <@UBOSS|boss> <!subteam^S1|@support> &lt;b&gt;"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def row(n: int, learned: str = "Offer the refund first", **kw: Any) -> Lesson:
    values: dict[str, Any] = {
        "id": n,
        "team_id": "T1",
        "author_id": "UANA",
        "added_by": "UANA",
        "learned": learned,
        "what_happened": "A customer was upset about a late parcel.",
        "skill": "empathy",
        "origin": "command",
        "visibility": LessonVisibility.TEAM,
        "posted_channel": "C0LESSONS",
        "helped_count": 3,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(kw)
    return Lesson(**values)


def results(lessons: list[Lesson], **kw: Any) -> Results:
    values: dict[str, Any] = {
        "words": "refund",
        "skill": None,
        "lessons": lessons,
        "more": False,
        "page": 0,
        "dropped": 0,
        "skills": DEFAULT_VALUES,
    }
    values.update(kw)
    return Results(**values)


def shown(payload: dict[str, Any]) -> str:
    return payload["text"] + json.dumps(payload["blocks"])


# What was typed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("refund angry caller", Asked("refund angry caller", None)),
        ("refund #Empathy", Asked("refund", "empathy")),
        ("#empathy", Asked("", "empathy")),
        ("#empathy refund #calm", Asked("refund calm", "empathy")),
        ("<#C123|empathy> refund", Asked("refund", "empathy")),
        ("refund <@U1|ana> &lt;3", Asked("refund ana <3", None)),
        ("refund <https://x.example/a|the doc>", Asked("refund", None)),
        ("  ", Asked("", None)),
        ("C#sharp", Asked("C#sharp", None)),
    ],
)
def test_words_and_a_skill_are_read(typed: str, asked: Asked) -> None:
    assert parse_search(typed) == asked


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_parses(typed: str) -> None:
    asked = parse_search(typed)
    assert asked.skill is None or asked.skill == asked.skill.lower()


def test_a_skill_is_checked_with_did_you_mean() -> None:
    assert check_skill("empathy", DEFAULT_VALUES) == "empathy"
    with pytest.raises(SearchSkillError) as caught:
        check_skill("empaty", DEFAULT_VALUES)
    words = error_text(caught.value)
    assert "Did you mean `#empathy`?" in words and "`#problem-solving`" in words
    with pytest.raises(SearchSkillError) as far:
        check_skill("zzz", DEFAULT_VALUES)
    assert "Did you mean" not in error_text(far.value)


def test_errors_have_words_and_repeat_what_was_typed_safely() -> None:
    assert error_text(EmptySearchError()) == USAGE
    assert "/learned search refund" in USAGE
    words = error_text(NoWordsError("the <!channel> " + "x" * 500))
    assert "<!channel>" not in words and "&lt;!channel&gt;" in words and len(words) < 400
    skill = error_text(SearchSkillError("<!here>" * 50, None, DEFAULT_VALUES))
    assert "<!here>" not in skill and len(skill) < 600


def test_the_more_button_carries_the_search_one_page_on() -> None:
    found = results([row(1)], words="refund calm", skill="empathy", page=2, more=True)
    assert more_of(more_value(found)) == ("refund calm #empathy", 3)
    assert more_of(more_value(results([row(1)]))) == ("refund", 1)
    for broken in ("", "{", "[1]", '{"p": "x"}', "null", '{"w": 5, "s": 7, "p": -3}'):
        text, page = more_of(broken)
        assert page >= 0 and isinstance(text, str)


# The results ----------------------------------------------------------------------------------


def test_each_lesson_shows_its_text_author_skill_help_and_where() -> None:
    payload = search_render.results(
        results([row(1), row(2, "Name the feeling", helped_count=1, skill=None)])
    )
    assert check_message(payload) == []
    text = shown(payload)
    assert "Offer the refund first" in text and "late parcel" in text
    assert "by <@UANA>" in text and "`#empathy`" in text
    assert "helped 3 people" in text and "helped 1 person" in text
    assert "posted in <#C0LESSONS>" in text
    assert "More" not in text


def test_a_private_lesson_says_only_you_see_it() -> None:
    private = row(1, visibility=LessonVisibility.PRIVATE, posted_channel=None, helped_count=0)
    text = shown(search_render.results(results([private])))
    assert "private: only you see it" in text and "posted in" not in text


def test_no_live_mention_from_a_lesson_ever() -> None:
    loud = row(1, LOUD, what_happened=LOUD, link="https://x.example/<!channel>")
    payload = search_render.results(results([loud], words="refund"))
    text = shown(payload)
    assert not LIVE.search(text.replace("<@UANA>", "")), text
    assert "@channel" in text and "@support" in text and "@boss" in text
    assert "x.example" not in text  # a link that is not one is left out


def test_only_a_web_link_is_linked() -> None:
    linked = shown(search_render.results(results([row(1, link="https://kb.example/refunds")])))
    assert "<https://kb.example/refunds|link>" in linked
    for bad in ("javascript:alert(1)", "https://a.example/x|y", "ftp://a.example"):
        assert bad not in shown(search_render.results(results([row(1, link=bad)])))


def test_a_full_page_of_the_longest_lessons_keeps_within_block_kit() -> None:
    huge = [row(n, "w" * 1000 + " <!channel>", what_happened="s " * 1000) for n in range(10)]
    payload = search_render.results(results(huge, more=True, dropped=4))
    assert check_message(payload) == []
    assert len(payload["blocks"]) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in payload["blocks"])
    text = shown(payload)
    assert "12 words" in text and search_render.MORE in text


def test_nothing_found_suggests_fewer_words_or_another_skill() -> None:
    text = shown(search_render.results(results([], words="refund angry", skill="empathy")))
    assert "No lessons found" in text and "fewer words" in text
    assert "leave out the skill" in text and "`#active-listening`" in text
    assert "`#empathy`, " not in text.split("another skill")[1]
    later_page = shown(search_render.results(results([], page=3)))
    assert "No more lessons" in later_page


@given(
    st.lists(
        st.sampled_from([*"<>!@|^&;#abcUS1 \n*_~`", "<!channel>", "<@U1>", "<!subteam^S1>"]),
        max_size=120,
    ).map("".join)
)
@settings(max_examples=200, deadline=None)
def test_whatever_a_lesson_says_nothing_renders_live(typed: str) -> None:
    payload = search_render.results(results([row(1, typed or "x", what_happened=typed)]))
    text = shown(payload).replace("<@UANA>", "")
    assert not LIVE.search(text), text
    assert check_message(payload) == []
