"""Parsing /kudos text and the kudos payloads, and escaping whatever people write."""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import errors
from bot.kudos import errors as kudos_errors
from bot.kudos.ids import Period
from bot.kudos.parse import (
    GiveKudos,
    KudosLimits,
    ModalKudos,
    OpenModal,
    SetLeaderboardOptOut,
    ShowHelp,
    ShowLeaderboard,
    ShowStats,
    is_kudos_reaction,
    modal_metadata,
    modal_reason,
    parse_kudos_command,
    parse_modal,
    parse_reaction,
    parse_shortcut,
)
from bot.settings import DEFAULT_VALUES

LIMITS = KudosLimits(values=DEFAULT_VALUES, max_reason_chars=200)


def give(text: str) -> GiveKudos:
    result = parse_kudos_command(text, LIMITS)
    assert isinstance(result, GiveKudos)
    return result


def test_the_example_from_the_docs() -> None:
    k = give("<@U0ANA|ana> <@U0BEN|ben> for calming an angry caller #empathy")
    assert k.user_ids == ("U0ANA", "U0BEN")
    assert k.reason == "calming an angry caller"
    assert k.values == ("empathy",)


def test_groups_joiners_and_several_values() -> None:
    k = give(
        "<@U1|a>, <@U2|b> and <!subteam^S1|@support> thanks for the fix #problem-solving "
        "#communication"
    )
    assert (k.user_ids, k.group_ids) == (("U1", "U2"), ("S1",))
    assert k.values == ("problem-solving", "communication")
    assert k.reason == "the fix"


def test_mid_sentence_value_keeps_its_word_and_numbers_are_not_values() -> None:
    assert give("<@U1> great #empathy on ticket #123").reason == "great empathy on ticket #123"


def test_channel_link_named_like_a_value_counts_as_the_value() -> None:
    assert give("<@U1> for listening <#C9|active-listening>").values == ("active-listening",)


def test_mentions_in_the_reason_are_not_recipients() -> None:
    k = give("<@U1> for covering for <@U2|ben>")
    assert k.user_ids == ("U1",)
    assert k.reason == "covering for @ben"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("for nothing", errors.NoRecipientError),
        ("@ana for typing her name", errors.NoRecipientError),
        ("<@U1>", kudos_errors.MissingReasonError),
        ("<@U1> for", kudos_errors.MissingReasonError),
        ("<@U1> #empathy", kudos_errors.MissingReasonError),
        ("<@U1> for x #bravery", kudos_errors.UnknownValueError),
        ("<@U1> for " + "x" * 201, errors.TextTooLongError),
        ("leaderboard yesterday", errors.UnknownCommandError),
        ("leaderboard #bravery", kudos_errors.UnknownValueError),
    ],
)
def test_bad_input_is_explained(text: str, error: type) -> None:
    with pytest.raises(error):
        parse_kudos_command(text, LIMITS)


def test_bare_at_name_is_reported_back() -> None:
    with pytest.raises(errors.NoRecipientError) as info:
        parse_kudos_command("@ana for help", LIMITS)
    assert info.value.unresolved == ("ana",)


def test_subcommands() -> None:
    assert parse_kudos_command("", LIMITS) == OpenModal()
    assert parse_kudos_command("help", LIMITS) == ShowHelp()
    assert parse_kudos_command("stats", LIMITS) == ShowStats()
    assert parse_kudos_command("stats <@U7|x>", LIMITS) == ShowStats("U7")
    assert parse_kudos_command("leaderboard", LIMITS) == ShowLeaderboard("week", None)
    assert parse_kudos_command("leaderboard all #empathy", LIMITS) == ShowLeaderboard(
        "all", "empathy"
    )
    assert parse_kudos_command("optout", LIMITS) == SetLeaderboardOptOut(True)
    assert parse_kudos_command("optin", LIMITS) == SetLeaderboardOptOut(False)


@pytest.mark.parametrize("nasty", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S1|@all>"])
def test_broadcasts_in_a_reason_never_ping(nasty: str) -> None:
    reason = give(f"<@U1> for {nasty} shouting").reason
    assert "<!" not in reason
    assert reason.startswith("@") and reason.endswith(" shouting")


def test_typed_fake_mention_stays_text() -> None:
    # Slack escapes what people type: a typed "<@U2>" arrives as "&lt;@U2&gt;".
    assert give("<@U1> for &lt;@U2&gt; &amp; co").reason == "&lt;@U2&gt; &amp; co"


@given(st.text(max_size=300))
def test_command_reasons_never_carry_broadcasts_or_raw_brackets(text: str) -> None:
    try:
        result = parse_kudos_command("<@U1> for " + text, KudosLimits(values=DEFAULT_VALUES))
    except errors.BravoError:
        return
    assert isinstance(result, GiveKudos)
    stripped = result.reason
    for live in ("<@U", "<#C", "<http"):
        stripped = stripped.replace(live, "")
    assert "<!" not in result.reason
    assert "<" not in stripped.replace("&lt;", "")


@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_modal_reason_is_fully_escaped(text: str) -> None:
    out = modal_reason(text, 1000)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == text.strip()  # nothing lost, only escaped


def test_leaderboard_periods_are_typed() -> None:
    board = parse_kudos_command("top month", LIMITS)
    assert isinstance(board, ShowLeaderboard) and board.period is Period.MONTH
    assert parse_kudos_command("board", LIMITS) == ShowLeaderboard(Period.WEEK)


# Payloads


def test_kudos_reaction_is_the_emoji_in_any_skin_tone_on_a_message() -> None:
    on_message = {"type": "message", "channel": "C1", "ts": "1.2"}
    assert is_kudos_reaction({"reaction": "clap", "item": on_message}, "clap")
    assert is_kudos_reaction({"reaction": "clap::skin-tone-3", "item": on_message}, "clap")
    assert not is_kudos_reaction({"reaction": "tada", "item": on_message}, "clap")
    assert not is_kudos_reaction({"reaction": "clap", "item": {"type": "file"}}, "clap")
    assert not is_kudos_reaction({"reaction": "clap"}, "clap")


def test_reaction_payload() -> None:
    event = {
        "user": "UANA",
        "item_user": "UBEN",
        "item": {"type": "message", "channel": "C1", "ts": "1.2"},
    }
    r = parse_reaction({"team_id": "T1", "event_id": "Ev1"}, event)
    assert (r.team_id, r.giver_id, r.author_id, r.event_id) == ("T1", "UANA", "UBEN", "Ev1")
    assert r.source_ref == "C1:1.2"
    del event["item_user"]
    bare = parse_reaction({}, event)
    assert (bare.team_id, bare.author_id, bare.event_id) == ("", None, None)


def shortcut(message: dict[str, str], user: str = "UANA") -> dict[str, object]:
    return {"user": {"id": user}, "channel": {"id": "C1"}, "message": message}


def test_shortcut_is_about_the_authors_message() -> None:
    about = parse_shortcut(shortcut({"user": "UBEN", "ts": "1.2", "text": "a\nb" + "c" * 200}))
    assert (about.author_id, about.channel_id, about.ts) == ("UBEN", "C1", "1.2")
    assert about.snippet == ("a b" + "c" * 200)[:150]
    assert json.loads(about.metadata()) == {"channel": "C1", "msg_channel": "C1", "msg_ts": "1.2"}


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"bot_id": "B1", "user": "UBOT"}, kudos_errors.BotRecipientError),
        ({"text": "no author"}, kudos_errors.BotRecipientError),
        ({"user": "UANA"}, kudos_errors.SelfKudosError),
    ],
)
def test_shortcut_on_a_bot_or_ones_own_message_is_refused(message: dict, error: type) -> None:
    with pytest.raises(error):
        parse_shortcut(shortcut(message))


def form(values: dict, meta: str = "") -> dict:
    return {"state": {"values": values}, "private_metadata": meta}


def test_form_as_submitted() -> None:
    values = {
        "kudos_recipients": {"recipients": {"selected_users": ["UBEN", "UCY"]}},
        "kudos_value": {"value": {"selected_option": {"value": "empathy"}}},
        "kudos_reason": {"reason": {"value": " Calm <b> "}},
    }
    meta = json.dumps({"channel": "C1", "msg_channel": "C1", "msg_ts": "1.2"})
    submitted, problems = parse_modal(form(values, meta), 1000)
    assert problems == {}
    assert submitted == ModalKudos(
        ("UBEN", "UCY"), "Calm &lt;b&gt;", ("empathy",), "C1", msg_channel="C1", msg_ts="1.2"
    )
    values["kudos_channel"] = {"channel": {"selected_conversation": "C2"}}
    assert parse_modal(form(values, modal_metadata("C1")), 1000)[0].channel_id == "C2"


def test_form_mistakes_are_reported_per_field() -> None:
    values = {"kudos_reason": {"reason": {"value": "   "}}}
    submitted, problems = parse_modal(form(values), 1000)
    assert set(problems) == {"kudos_recipients", "kudos_reason"}
    assert problems["kudos_recipients"] == "Pick at least one person."
    assert "reason" in problems["kudos_reason"]
    assert (submitted.user_ids, submitted.channel_id, submitted.msg_ts) == ((), None, None)
    long = {"kudos_recipients": {"recipients": {"selected_users": ["UBEN"]}}}
    long["kudos_reason"] = {"reason": {"value": "x" * 21}}
    assert set(parse_modal(form(long), 20)[1]) == {"kudos_reason"}
