"""Kudos history, pure parts: the words after ``/kudos history``, the page buttons' values (as
Slack sends them back, or forged) and the page as Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import (
    BravoError,
    NoRecipientError,
    OnePersonError,
    UnknownCommandError,
    error_text,
)
from bot.kudos import ids, render
from bot.kudos.errors import HistoryButtonError, HistoryNotYoursError
from bot.kudos.history import HistoryAsk, HistoryLine, HistoryPage
from bot.kudos.ids import HistoryDirection, HistoryScope
from bot.kudos.parse import (
    USER_ID_RE,
    KudosLimits,
    ShowHistory,
    parse_history_open,
    parse_history_value,
    parse_kudos_command,
)
from bot.sandbox.blockkit import check_message, check_view
from storage.kudos import Mark

LIMITS = KudosLimits(values=("empathy", "ownership"))
AT = datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=UTC)


def parsed(text: str) -> object:
    return parse_kudos_command(text, LIMITS)


def refusal(text: str) -> str:
    with pytest.raises(BravoError) as caught:
        parsed(text)
    return error_text(caught.value)


def test_history_names_one_person_or_nobody() -> None:
    assert parsed("history") == ShowHistory()
    assert parsed("History me") == ShowHistory()
    assert parsed("history <@UBEN|ben>") == ShowHistory("UBEN")
    assert parsed("history   <@UBEN>  ") == ShowHistory("UBEN")


def test_history_with_the_wrong_words_says_what_it_takes() -> None:
    with pytest.raises(OnePersonError):
        parsed("history <@UBEN|ben> <@UCY|cy>")
    assert "one person at a time" in refusal("history <@UBEN|ben> <@UCY|cy>")
    assert "one person at a time" in refusal("history <!subteam^S1|@support>")
    with pytest.raises(UnknownCommandError):
        parsed("history sdf")
    assert refusal("history sdf").startswith("I don't understand `/kudos history sdf`")
    assert "/kudos history @ana" in refusal("history sdf")
    with pytest.raises(NoRecipientError):
        parsed("history @ana")
    assert "couldn't tell who @ana is" in refusal("history @ana")
    assert "Did you mean `/kudos history`" in refusal("histroy")


def test_words_typed_after_history_are_never_repeated_as_a_live_mention() -> None:
    words = refusal("history <!channel> <@UBEN|ben>")
    assert "<!channel>" not in words and "<@" not in words


def test_a_page_button_value_goes_back_and_forth() -> None:
    ask = HistoryAsk("UBEN", "UANA", HistoryScope.PUBLIC, HistoryDirection.OLDER, Mark(AT, 42))
    assert parse_history_value(ask.value()) == ask
    first = HistoryAsk("UBEN", "UBEN", HistoryScope.OWN)
    assert parse_history_value(first.value()) == first
    assert parse_history_open('{"subject": "UANA"}') == "UANA"


FORGED = [
    "",
    "not json",
    "[]",
    '"UANA"',
    "{}",
    '{"s": "UANA", "v": "UANA"}',  # no scope
    '{"s": "<!channel>", "v": "UANA", "k": "own"}',
    '{"s": "UANA", "v": 7, "k": "own"}',
    '{"s": "UANA", "v": "UANA", "k": "everything"}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "sideways", "c": ["2026-11-23T15:00:00Z", 1]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older"}',  # no cursor
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["yesterday", 1]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["2026-11-23T15:00:00", 1]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["2026-11-23T15:00:00Z", -1]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["2026-11-23T15:00:00Z", 1e99]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["2026-11-23T15:00:00Z", 2e63]}',
    '{"s": "UANA", "v": "UANA", "k": "own", "d": "older", "c": ["2026-11-23T15:00:00Z"]}',
    json.dumps({"s": "UANA", "v": "UANA", "k": "own", "pad": "x" * 40_000}),
]


@pytest.mark.parametrize("value", FORGED)
def test_a_forged_or_stale_button_value_is_refused_in_words(value: str) -> None:
    with pytest.raises(HistoryButtonError) as caught:
        parse_history_value(value)
    assert "/kudos history" in error_text(caught.value)


@pytest.mark.parametrize("value", ["", "{}", '{"subject": 5}', '{"subject": "<@UANA>"}', "[1]"])
def test_a_forged_see_more_value_is_refused(value: str) -> None:
    with pytest.raises(HistoryButtonError):
        parse_history_open(value)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids),
    max_leaves=8,
)
LIKELY = st.sampled_from(["UANA", "own", "public", "older", "newer", "2026-11-23T15:00:00Z"])
FIELDS = st.dictionaries(st.sampled_from(["s", "v", "k", "d", "c"]), JSONISH | LIKELY)


@given(st.text(max_size=300) | FIELDS.map(json.dumps))
def test_any_button_value_is_read_whole_or_refused_in_words(value: str) -> None:
    try:
        ask = parse_history_value(value)
    except HistoryButtonError:
        return
    assert USER_ID_RE.match(ask.subject_id) and USER_ID_RE.match(ask.viewer_id)
    assert (ask.direction is None) == (ask.mark is None)
    assert ask.mark is None or (ask.mark.at.tzinfo is not None and ask.mark.id > 0)


def test_someone_elses_page_is_refused_in_words() -> None:
    words = error_text(HistoryNotYoursError())
    assert "Someone else opened" in words and "`/kudos history`" in words


def line(n: int, *, received: bool = True, reason: str = "for the save", **extra: object):
    fields: dict[str, object] = {
        "kudos_id": n,
        "at": AT - timedelta(hours=n),
        "received": received,
        "other_id": "UBEN",
        "reason": reason,
        "values": (),
        "channel_id": "C0KUDOS",
        **extra,
    }
    return HistoryLine(**fields)  # type: ignore[arg-type]


def page(*lines: HistoryLine, scope: HistoryScope = HistoryScope.OWN, **extra: object):
    fields: dict[str, object] = {
        "subject_id": "UANA" if scope is HistoryScope.OWN else "UBEN",
        "viewer_id": "UANA",
        "scope": scope,
        "lines": lines,
        "has_older": False,
        "has_newer": False,
        **extra,
    }
    return HistoryPage(**fields)  # type: ignore[arg-type]


def test_each_line_says_when_who_why_which_values_and_where() -> None:
    shown = page(
        line(1, values=("empathy", "ownership")),
        line(2, received=False, channel_id="D0ANA"),
        line(3, channel_id=None),
    )
    text = json.dumps(render.history_message(shown))
    assert "*From* <@UBEN>" in text and "*To* <@UBEN>" in text
    assert "for the save" in text and "`#empathy`  `#ownership`" in text
    assert "in <#C0KUDOS>" in text and text.count("by DM") == 2
    assert "<!date^" in text  # shown in each reader's own time zone
    assert "Only public kudos" not in text
    erased = json.dumps(render.history_message(page(line(1, other_id="erased"))))
    assert "<@erased>" not in erased and "someone who has left" in erased


def test_mentions_in_reasons_are_not_live_and_long_reasons_are_cut_cleanly() -> None:
    reasons = [  # stored mrkdwn: from Slack's escaped text, with entities
        "thanks <!channel> and <@UCY|cy> &amp; <!subteam^S1|@support> &lt;@UCY&gt;",
        "word " * 80 + "<https://example.com/very/long/link|the ticket>",
        "x" * 5000,
    ]
    shown = page(*(line(n, reason=r) for n, r in enumerate(reasons)))
    blocks = render.history_message(shown)["blocks"]
    text = json.dumps(blocks)
    for live in ("<!channel>", "<@UCY", "<!subteam"):
        assert live not in text
    assert "@cy" in text and "@support" in text
    assert "<https://example.com/very/long/link|the ticket>" not in text  # cut, not half a link
    for block in blocks[1:4]:
        said = block["text"]["text"].split("\n> ", 1)[1]
        assert said.count("<") == said.count(">") and "\n" not in said
        assert len(said) <= render.HISTORY_REASON_CHARS


def test_a_page_offers_newer_and_older_only_where_there_are_more() -> None:
    middle = page(*(line(n) for n in range(1, 11)), has_older=True, has_newer=True)
    message = render.history_message(middle)
    assert check_message(message) == []
    [buttons] = [b for b in message["blocks"] if b["type"] == "actions"]
    pressed = {e["action_id"]: parse_history_value(e["value"]) for e in buttons["elements"]}
    assert pressed[ids.HISTORY_PAGE].direction is HistoryDirection.OLDER
    assert pressed[ids.HISTORY_PAGE].mark == Mark(AT - timedelta(hours=10), 10)
    assert pressed[ids.HISTORY_NEWER].direction is HistoryDirection.NEWER
    assert pressed[ids.HISTORY_NEWER].mark == Mark(AT - timedelta(hours=1), 1)
    assert {p.viewer_id for p in pressed.values()} == {"UANA"}
    alone = render.history_message(page(line(1)))
    assert not [b for b in alone["blocks"] if b["type"] == "actions"]


def test_the_same_page_fits_a_modal() -> None:
    view = render.history_modal(page(*(line(n) for n in range(10)), has_older=True))
    assert check_view(view) == []
    assert view["callback_id"] == ids.HISTORY_CALLBACK
    assert (
        view["blocks"]
        == render.history_message(page(*(line(n) for n in range(10)), has_older=True))["blocks"]
    )


def test_someone_elses_page_says_it_is_only_public_kudos() -> None:
    shown = render.history_message(page(line(1), scope=HistoryScope.PUBLIC, subject_left=True))
    text = json.dumps(shown)
    assert "Only public kudos" in text and "<@UBEN>'s public kudos" in text
    assert "no longer active" in text


def test_empty_pages_are_friendly() -> None:
    assert "No kudos yet" in json.dumps(render.history_message(page()))
    other = render.history_message(page(scope=HistoryScope.PUBLIC))
    assert "<@UBEN> has no public kudos yet" in json.dumps(other)
    past = render.history_message(page(past_end=True, has_newer=True))
    assert "No older kudos" in json.dumps(past)
    assert [
        e["text"]["text"] for b in past["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == ["Newer"]
