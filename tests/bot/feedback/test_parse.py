"""Parsing /feedback text and the feedback forms."""

from __future__ import annotations

import pytest

from bot.errors import (
    NoRecipientError,
    OnePersonError,
    TextTooLongError,
    UnknownCommandError,
)
from bot.feedback.customer import CustomerDraft
from bot.feedback.errors import TooManyAskedError
from bot.feedback.parse import (
    FeedbackHelp,
    OpenFeedbackModal,
    RequestFeedback,
    ShowInbox,
    customer_draft,
    feedback_form,
    number,
    parse_feedback_command,
)
from bot.feedback.rules import FeedbackDraft
from bot.payload import UnreadableError


def test_feedback_commands_parse() -> None:
    assert parse_feedback_command("") == OpenFeedbackModal()
    assert parse_feedback_command("<@UBEN|ben>") == OpenFeedbackModal("UBEN")
    assert parse_feedback_command("help") == FeedbackHelp()
    assert parse_feedback_command("inbox") == ShowInbox()
    assert parse_feedback_command("inbox <@UBEN>") == ShowInbox("UBEN")
    assert parse_feedback_command(
        "request <@UANA|ana> <@UBEN|ben> [about the Q3 onboarding calls]"
    ) == RequestFeedback(("UANA", "UBEN"), "the Q3 onboarding calls")
    assert parse_feedback_command("ask <@UANA> <@UANA>") == RequestFeedback(("UANA",), "")
    with pytest.raises(NoRecipientError):
        parse_feedback_command("@ben")
    with pytest.raises(OnePersonError):
        parse_feedback_command("<@UANA> <@UBEN>")
    with pytest.raises(UnknownCommandError):
        parse_feedback_command("frobnicate")
    with pytest.raises(TooManyAskedError):
        parse_feedback_command("request " + " ".join(f"<@U{i:03d}>" for i in range(11)))
    with pytest.raises(TextTooLongError):
        parse_feedback_command("request <@UANA> about " + "x" * 301)


def test_a_request_topic_cannot_ping_anyone() -> None:
    parsed = parse_feedback_command("request <@UANA> about <!channel> and <!subteam^S1|@all>")
    assert isinstance(parsed, RequestFeedback)
    assert "<!" not in parsed.topic and parsed.topic == "@channel and @all"


def _values(**fields: dict[str, object]) -> dict[str, object]:
    return {"state": {"values": {block: {"input": f} for block, f in fields.items()}}}


def test_the_feedback_form_parses() -> None:
    view = _values(
        fb_recipient={"selected_user": "UBEN"},
        fb_situation={"value": "Tuesday's call"},
        fb_behaviour={"value": "You summarised first"},
        fb_impact={"value": "It closed in one call"},
        fb_skill={"selected_option": {"value": "empathy"}},
        fb_visibility={"selected_option": {"value": "coach"}},
    )
    view["private_metadata"] = '{"request":7,"nudged":true}'
    who = {"team": {"id": "T1"}, "user": {"id": "UANA"}}
    form = feedback_form(who, view)
    assert (form.team_id, form.giver_id, form.recipient_id) == ("T1", "UANA", "UBEN")
    assert (form.request_id, form.nudged) == (7, True)
    assert form.draft == FeedbackDraft(
        "Tuesday's call", "You summarised first", "It closed in one call", "", "empathy", True
    )
    bare = feedback_form(who, {"private_metadata": ""})
    assert (bare.recipient_id, bare.request_id, bare.nudged) == ("", None, False)
    assert bare.draft == FeedbackDraft("", "", "", "", "", False)
    with pytest.raises(UnreadableError):  # only an id Bravo wrote
        feedback_form(who, {"private_metadata": '{"request":"7"}'})


def test_the_customer_form_parses() -> None:
    view = _values(
        cf_teammate={"selected_user": "UBEN"},
        cf_kind={"selected_option": {"value": "praise"}},
        cf_rating={"selected_option": {"value": "5"}},
        cf_source={"selected_option": {"value": "email"}},
        cf_text={"value": "Ben was patient"},
    )
    view["private_metadata"] = '{"msg_channel":"C1","msg_ts":"1.2"}'
    draft = customer_draft(view)
    assert draft == CustomerDraft("UBEN", "praise", 5, "email", "Ben was patient", "C1:1.2")
    assert customer_draft({"private_metadata": "{}"}).rating is None
    assert number("12") == 12 and number("x") is None and number("1" * 13) is None
