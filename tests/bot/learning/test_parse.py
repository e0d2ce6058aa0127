"""The lesson's own words: its #skill and link taken out, a mistyped subcommand noticed (unless
``share`` forces a lesson), form payloads and button values read defensively."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.learning import ids
from bot.learning.parse import (
    FormMeta,
    Share,
    lesson_id_of,
    lesson_text,
    link_of,
    message_of,
    meta_of,
    meta_text,
    mistyped,
    parse_learned_command,
    post_target_of,
    submitted_of,
)


def test_share_forces_a_lesson_and_plain_text_does_not() -> None:
    assert parse_learned_command("share search refund") == Share("search refund", forced=True)
    assert parse_learned_command("Offer the refund") == Share("Offer the refund")


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("serach refund", "search"),
        ("mine please", "mine"),
        ("mien", "mine"),
        ("hlep", "help"),
        ("Offer the refund before they ask", None),  # a lesson
        ("Mine was the slowest queue until we split refunds out", None),
        ("Help the customer first, then the ticket", None),
        ("Searching the KB first saves a transfer", None),
    ],
)
def test_a_mistyped_subcommand_is_noticed(text: str, meant: str | None) -> None:
    assert mistyped(Share(text)) == meant
    assert mistyped(Share(text, forced=True)) is None


def test_the_skill_and_the_link_are_taken_out() -> None:
    got = lesson_text("Offer the refund first #Empathy <https://kb.example/a?b=1&amp;c=2|kb>")
    assert got.learned == "Offer the refund first"
    assert got.skills == ("empathy",) and got.link == "https://kb.example/a?b=1&c=2"
    raw = lesson_text("See https://kb.example/x for the policy")
    assert raw.link == "https://kb.example/x" and raw.learned == "See for the policy"


def test_a_channel_link_or_an_entity_is_no_skill() -> None:
    got = lesson_text("Ask in <#C123|help> before escalating &#39;urgent&#39; #1 tip")
    assert got.skills == ()


@pytest.mark.parametrize(
    "typed", ["javascript:alert(1)", "ftp://x.example", "https://a b", "x" * 2000, "<https://x>"]
)
def test_only_http_links_are_kept(typed: str) -> None:
    with pytest.raises(ValueError):
        link_of(typed)


def test_links_that_are_kept() -> None:
    assert link_of("  https://kb.example/x  ") == "https://kb.example/x"
    assert link_of("HTTP://KB.EXAMPLE") == "HTTP://KB.EXAMPLE"
    assert link_of("") is None and link_of(None) is None


def test_form_metadata_round_trips_and_forgeries_read_as_new() -> None:
    for meta in (FormMeta(), FormMeta(lesson_id=7), FormMeta(channel="C1", ts="1.2", author="U1")):
        assert meta_of({"private_metadata": meta_text(meta)}) == meta
    for forged in ("edit:x", "edit:99999999999999999", "save:C1", "junk", ""):
        assert meta_of({"private_metadata": forged}) == FormMeta()


def test_button_values_are_read_defensively() -> None:
    assert lesson_id_of("12") == 12 and lesson_id_of("-1") is None and lesson_id_of(None) is None
    assert lesson_id_of("²") is None and lesson_id_of("9" * 13) is None
    assert post_target_of("12:C0TEAM") == (12, "C0TEAM") and post_target_of("x:C") == (None, "C")


def test_the_form_reads_what_was_typed_and_the_keep_private_choice() -> None:
    def value(v: str) -> dict[str, object]:
        return {ids.INPUT: {"type": "plain_text_input", "value": v}}

    def chosen(v: str) -> dict[str, object]:
        return {ids.INPUT: {"type": "static_select", "selected_option": {"value": v}}}

    view = {
        "state": {
            "values": {
                ids.STORY_BLOCK: value(" story "),
                ids.LEARNED_BLOCK: value(" lesson "),
                ids.SKILL_BLOCK: chosen("empathy"),
                ids.POST_BLOCK: chosen(ids.NO_POST),
            }
        }
    }
    got = submitted_of(view)
    assert (got.what_happened, got.learned, got.skill, got.link, got.post_to) == (
        "story",
        "lesson",
        "empathy",
        "",
        None,
    )
    assert submitted_of({}).learned == ""


def test_a_shortcuts_message_is_read_with_its_author_and_workspace() -> None:
    body = {
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "message": {"user": "U1", "ts": "1.2", "text": "hi", "team": "T2"},
    }
    msg = message_of(body)
    assert (msg.team_id, msg.message_team, msg.author, msg.is_bot) == ("T1", "T2", "U1", False)
    bot = message_of({"message": {"bot_id": "B1", "ts": "1.3", "text": "x"}})
    assert bot.is_bot and bot.author is None


@given(st.text(max_size=300))
def test_any_text_reads_without_error_and_keeps_no_link_outside_http(text: str) -> None:
    got = lesson_text(text)
    assert got.link is None or got.link.lower().startswith(("http://", "https://"))
    assert all(s == s.lower() for s in got.skills)
    mistyped(Share(text))
