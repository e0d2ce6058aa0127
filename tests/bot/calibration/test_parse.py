"""``/review calibrate`` text: what is read, and every wrong input refused with its own words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calibration.errors import (
    BadDeadlineError,
    CalibrateTooLongError,
    GroupMentionError,
    ManyLinksError,
    NoLinkError,
    NotALinkError,
    ReviewerCountError,
    StrayWordsError,
)
from bot.calibration.parse import (
    CalibrateHelp,
    History,
    OpenRound,
    ShowRound,
    When,
    deadline_at,
    parse_calibrate,
)
from bot.errors import BravoError, error_text

LINK = "<https://help.example.com/tickets/4521>"
BEN, CY, DEE = "<@UBEN|ben>", "<@UCY|cy>", "<@UDEE|dee>"
MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def test_a_round_reads_its_link_reviewers_agent_and_deadline() -> None:
    parsed = parse_calibrate(f"{LINK} {BEN} {CY} {DEE} for <@UANA|ana> by friday")
    assert parsed == OpenRound(
        "https://help.example.com/tickets/4521",
        ("UBEN", "UCY", "UDEE"),
        "UANA",
        When(weekday=4, text="friday"),
    )


def test_the_deadline_forms_and_the_default() -> None:
    def when(text: str) -> When:
        parsed = parse_calibrate(f"{LINK} {BEN} {CY} {text}".strip())
        assert isinstance(parsed, OpenRound)
        return parsed.when

    assert when("") == When(days=3)
    assert when("in 2 days") == when("2 days") == when("2") == When(days=2, text="2 days")
    assert when("by 2026-12-10") == When(on=date(2026, 12, 10), text="2026-12-10")
    assert when("by tomorrow").text == "tomorrow"
    assert when("by Fri").weekday == 4


def test_a_bare_link_and_a_repeated_reviewer() -> None:
    parsed = parse_calibrate(f"https://x.example/t/1 {BEN} {CY} {BEN}")
    assert isinstance(parsed, OpenRound)
    assert parsed.link == "https://x.example/t/1" and parsed.reviewer_ids == ("UBEN", "UCY")


def test_other_subcommands() -> None:
    assert parse_calibrate("history") == History()
    assert parse_calibrate("agreement") == History()
    assert parse_calibrate("show 12") == ShowRound(12)
    assert parse_calibrate("show #12") == ShowRound(12)
    assert parse_calibrate("") == CalibrateHelp()
    assert parse_calibrate("help") == CalibrateHelp()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f"{BEN} {CY} {DEE}", NoLinkError(mention_first=True)),
        (f"{BEN} {CY}", NoLinkError(mention_first=True)),
        ("please", StrayWordsError("please")),
        (LINK, ReviewerCountError(0)),
        (f"{LINK} {BEN}", ReviewerCountError(1)),
        (f"{LINK} {BEN} {BEN}", ReviewerCountError(1)),
        (f"{LINK} " + " ".join(f"<@U{i:04d}|p{i}>" for i in range(11)), ReviewerCountError(11)),
        (f"{LINK} <!subteam^S1|@support>", GroupMentionError()),
        (f"<mailto:a@b.example> {BEN} {CY}", NotALinkError("mailto:a@b.example")),
        (f"{LINK} {LINK} {BEN} {CY}", ManyLinksError()),
        (f"{LINK} {BEN} {CY} by someday", BadDeadlineError("someday")),
        (f"{LINK} {BEN} {CY} by", BadDeadlineError("by")),
        (f"{LINK} {BEN} {CY} in 0 days", BadDeadlineError("0 days")),
        (f"{LINK} {BEN} {CY} in 45 days", BadDeadlineError("45 days", "far")),
        (f"{LINK} {BEN} {CY} for", StrayWordsError("for")),
        ("show twelve", StrayWordsError("show twelve")),
    ],
)
def test_wrong_input_is_refused_with_its_own_words(text: str, error: BravoError) -> None:
    with pytest.raises(BravoError) as raised:
        parse_calibrate(text)
    assert raised.value == error
    assert "Sorry, that didn't work" not in error_text(raised.value)


def test_a_huge_paste_is_refused_before_it_is_read() -> None:
    with pytest.raises(CalibrateTooLongError) as raised:
        parse_calibrate("x" * 40_000)
    assert "40000 characters" in error_text(raised.value)


def test_a_bare_link_that_would_break_out_of_its_brackets_is_not_a_link() -> None:
    # Slack escapes what people type; unescaped, this would post <!channel>.
    with pytest.raises(NotALinkError):
        parse_calibrate(f"https://a.example/&gt;&lt;!channel&gt; {BEN} {CY}")


def test_words_never_echo_a_live_mention() -> None:
    text = error_text(StrayWordsError("<!channel>"))
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_deadline_moments() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert deadline_at(When(days=3), now=MONDAY, zone=berlin) == MONDAY + timedelta(days=3)
    friday = deadline_at(When(weekday=4, text="friday"), now=MONDAY, zone=berlin)
    assert friday == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 17:00 in Berlin
    monday = deadline_at(When(weekday=0, text="monday"), now=MONDAY, zone=berlin)
    assert monday.date() == date(2026, 11, 30)  # a weekday is the next one, never today
    with pytest.raises(BadDeadlineError) as past:
        deadline_at(When(on=date(2026, 11, 1), text="2026-11-01"), now=MONDAY, zone=berlin)
    assert past.value.why == "past"
    with pytest.raises(BadDeadlineError) as far:
        deadline_at(When(on=date(2027, 6, 1), text="2027-06-01"), now=MONDAY, zone=berlin)
    assert far.value.why == "far"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_words(text: str) -> None:
    try:
        parsed = parse_calibrate(text)
    except BravoError as err:
        assert error_text(err) != "Sorry, that didn't work."
        return
    if isinstance(parsed, OpenRound):
        assert 2 <= len(parsed.reviewer_ids) <= 10 and parsed.link.startswith("http")
        assert not any(c in parsed.link for c in "<>|")
