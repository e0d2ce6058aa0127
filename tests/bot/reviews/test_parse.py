"""``/review`` text -> what was asked; links are http(s) URLs and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BravoError, UnknownCommandError, error_text
from bot.reviews.errors import NotALinkError, ReviewUsageError
from bot.reviews.parse import (
    ListReviews,
    ReviewHelp,
    ReviewSomeone,
    discuss_meta,
    dm_of,
    new_review,
    parse_review_command,
    review_meta,
)

URL = "https://help.example.com/tickets/4521"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ReviewHelp()),
        ("help", ReviewHelp()),
        ("list", ListReviews()),
        ("list <@UANA|ana>", ListReviews("UANA")),
        (f"<@UANA|ana> <{URL}>", ReviewSomeone("UANA", URL)),
        (f"<@UANA|ana> <{URL}|ticket 4521>", ReviewSomeone("UANA", URL)),
        (f"<@UANA|ana>   {URL}", ReviewSomeone("UANA", URL)),
        (
            "<@UANA> <http://desk.example.com/a?b=1&amp;c=2>",
            ReviewSomeone("UANA", "http://desk.example.com/a?b=1&c=2"),
        ),
    ],
)
def test_what_was_asked(text: str, expected: object) -> None:
    assert parse_review_command(text) == expected


@pytest.mark.parametrize(
    ("text", "error", "why"),
    [
        (f"<{URL}>", ReviewUsageError, "person"),
        ("<@UANA|ana>", ReviewUsageError, "link"),
        ("<@UANA|ana> <@UBEN|ben>", NotALinkError, "person"),
        (f"<@UANA|ana> <@UBEN|ben> <{URL}>", ReviewUsageError, "one_person"),
        ("<@UANA|ana> not-a-link", NotALinkError, "not_link"),
        ("<@UANA|ana> javascript:alert(1)", NotALinkError, "not_link"),
        ("<@UANA|ana> https://", NotALinkError, "not_link"),
        ("<@UANA|ana> <#C1|general>", NotALinkError, "not_link"),
        ("<@UANA|ana> <!channel>", NotALinkError, "not_link"),
        ("<@UANA|ana> https://a.example.com two words", NotALinkError, "not_link"),
        ("<@UANA|ana> https://" + "a" * 40_000, NotALinkError, "too_long"),
    ],
)
def test_what_is_refused(text: str, error: type[BravoError], why: str) -> None:
    with pytest.raises(error) as caught:
        parse_review_command(text)
    assert getattr(caught.value, "missing", getattr(caught.value, "why", None)) == why
    words = error_text(caught.value)
    assert len(words) < 400 and "<!channel>" not in words and "<@UBEN" not in words


def test_an_unknown_word_after_list_is_refused() -> None:
    with pytest.raises(UnknownCommandError):
        parse_review_command("list everyone")


@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_friendly_error(text: str) -> None:
    try:
        parsed = parse_review_command(text)
    except BravoError as err:
        assert error_text(err)
        return
    if isinstance(parsed, ReviewSomeone):
        assert parsed.link.startswith(("http://", "https://"))
        assert not any(c in parsed.link for c in "<>| \n")


def test_the_modal_metadata_is_read_back_and_checked_again() -> None:
    view = {"private_metadata": review_meta(agent_id="UANA", link=URL)}
    assert (new_review(view).agent_id, new_review(view).link) == ("UANA", URL)
    forged = {"private_metadata": review_meta(agent_id="UANA", link="javascript:alert(1)")}
    with pytest.raises(NotALinkError):
        new_review(forged)


def test_only_a_dm_is_redrawn_after_a_discussion_is_asked() -> None:
    assert dm_of({"private_metadata": discuss_meta(1, "D0ANA", "1.2")}) == ("D0ANA", "1.2")
    assert dm_of({"private_metadata": discuss_meta(1, "C0KUDOS", "1.2")}) is None
