"""``/learned course`` text -> what was asked, and dates read in the person's today: pure."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BravoError, error_text
from bot.learning import ids
from bot.learning.training_errors import (
    CourseDateError,
    CourseSkillError,
    ListWhoError,
    NextStepError,
    StrayWordsError,
    TitleError,
)
from bot.learning.training_parse import (
    CourseForm,
    CourseHelp,
    CourseList,
    Recorded,
    course_of_view,
    parse_course,
    resolve_date,
    training_id_of,
)

TODAY = date(2026, 11, 23)  # a Monday


def test_nothing_opens_the_form_and_a_title_alone_fills_it() -> None:
    assert parse_course("") == CourseForm()
    assert parse_course("  \u200b ") == CourseForm()
    assert parse_course('"De-escalation basics"') == CourseForm("De-escalation basics")
    assert parse_course("De-escalation basics") == CourseForm("De-escalation basics")


def test_the_full_grammar_quoted_or_not() -> None:
    full = '"De-escalation basics" #Empathy on yesterday next: name the feeling first'
    assert parse_course(full) == Recorded(
        "De-escalation basics", "empathy", "yesterday", "name the feeling first"
    )
    assert parse_course("De-escalation basics #empathy") == Recorded(
        "De-escalation basics", "empathy"
    )
    assert parse_course("“Curly quotes” on 2026-11-02") == Recorded(
        "Curly quotes", None, "2026-11-02"
    )
    got = parse_course("Phone skills next: smile on calls #empathy on monday")
    assert got == Recorded("Phone skills", None, None, "smile on calls #empathy on monday")


def test_an_on_that_is_no_date_belongs_to_the_title() -> None:
    assert parse_course("Training on escalations #empathy") == Recorded(
        "Training on escalations", "empathy"
    )


def test_list_and_help() -> None:
    assert parse_course("list") == CourseList()
    assert parse_course("list <@UANA|ana>") == CourseList("UANA")
    assert parse_course("help") == CourseHelp()
    # "list" in a title is a title
    assert parse_course('"list" #empathy') == Recorded("list", "empathy")
    assert parse_course("list of shortcuts") == CourseForm("list of shortcuts")
    for unknown in ("list @ana", "list <!channel>", "list <#C1|kudos>"):
        with pytest.raises(ListWhoError):
            parse_course(unknown)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('"" #empathy', TitleError),
        ("#empathy on today", TitleError),
        ("next: something", TitleError),
        ('"Title" #empathy #tone', CourseSkillError),
        ('"Title" and more words', StrayWordsError),
        ("x" * 40_000 + " #empathy", TitleError),
        ('"Title" next: ' + "y" * 40_000, NextStepError),
    ],
)
def test_bad_input_is_a_clear_error(text: str, error: type[BravoError]) -> None:
    with pytest.raises(error) as raised:
        parse_course(text)
    words = error_text(raised.value)
    assert words and len(words) < 500  # never the whole paste back


def test_a_too_long_title_says_how_long() -> None:
    with pytest.raises(TitleError) as raised:
        parse_course("x" * (ids.MAX_TITLE + 1) + " #empathy")
    assert str(ids.MAX_TITLE) in error_text(raised.value) and "201" in error_text(raised.value)


@pytest.mark.parametrize(
    ("when", "day"),
    [
        (None, TODAY),
        ("today", TODAY),
        ("Yesterday", date(2026, 11, 22)),
        ("monday", TODAY),  # today is one
        ("friday", date(2026, 11, 20)),
        ("sun", date(2026, 11, 22)),
        ("2026-11-02", date(2026, 11, 2)),
        ("2022-1-5", date(2022, 1, 5)),
    ],
)
def test_dates_are_read_in_the_persons_today(when: str | None, day: date) -> None:
    assert resolve_date(when, TODAY) == day


@pytest.mark.parametrize(
    ("when", "why"),
    [
        ("2026-02-31", "unknown"),
        ("2026-13-01", "unknown"),
        ("2026-11-24", "future"),
        ("2099-01-01", "future"),
        ("1999-01-01", "old"),
    ],
)
def test_impossible_future_and_ancient_dates_are_refused(when: str, why: str) -> None:
    with pytest.raises(CourseDateError) as raised:
        resolve_date(when, TODAY)
    assert raised.value.why == why and when in error_text(raised.value)


def test_a_bad_date_in_a_command_reaches_the_date_check() -> None:
    asked = parse_course('"Title" on 2026-02-31 next: try it')
    assert isinstance(asked, Recorded) and asked.when == "2026-02-31"
    with pytest.raises(CourseDateError):
        resolve_date(asked.when, TODAY)


@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_domain_error(text: str) -> None:
    try:
        got = parse_course(text)
    except BravoError as err:
        assert error_text(err)
        return
    if isinstance(got, Recorded):
        assert 0 < len(got.title) <= ids.MAX_TITLE


def _view(**values: object) -> dict[str, object]:
    blocks = {}
    for block, (key, value) in values.items():
        blocks[block] = {"input": {key: value}}
    return {"state": {"values": blocks}}


def test_the_form_is_read_escaped_and_checked() -> None:
    view = _view(
        course_title=("value", " Tone & <@UCY> "),
        course_date=("selected_date", "2026-11-20"),
        course_skill=("selected_option", {"value": "empathy"}),
        course_next=("value", "ask before <!channel>"),
        course_link=("value", "https://learn.example/x"),
    )
    got = course_of_view(view)
    assert got == Recorded(
        "Tone &amp; &lt;@UCY&gt;",
        "empathy",
        "2026-11-20",
        "ask before &lt;!channel&gt;",
        "https://learn.example/x",
    )
    with pytest.raises(TitleError):
        course_of_view(_view(course_title=("value", "   ")))
    with pytest.raises(NextStepError):
        course_of_view(_view(course_title=("value", "T"), course_next=("value", "n" * 40_000)))


def test_a_button_names_a_training_or_none() -> None:
    assert training_id_of({"value": "12"}) == 12
    assert training_id_of({"value": "x"}) == 0
    assert training_id_of({"value": "9" * 40}) == 0
    assert training_id_of({}) == 0
