"""Feedback says what really happened: who wrote it, who shared it, who sees it (one
``Audience`` rule behind every message), and nobody else gets it."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.sandbox.server import Call
from storage.models import Feedback
from tests.handlers import test_feedback
from tests.handlers.conftest import Bravo
from tests.handlers.test_feedback import (
    ADMIN,
    COACH,
    GIVER,
    OUTSIDER,
    RECIPIENT,
    SPECIFIC,
    form,
    give,
    inbox,
    open_modal,
    pair,
    posts_to,
    press,
    submit,
)

bravo = test_feedback.bravo  # the same workspace (an admin, an outsider) as test_feedback


def _blocks(call: Call) -> str:
    return json.dumps(call.args["blocks"]) + call.args["text"]


def _no_one_else_has_it(bravo: Bravo, *allowed: str) -> None:
    for call in bravo.slack.calls("chat.postMessage", ok=True):
        if SPECIFIC["behaviour"][:30] in json.dumps(call.args.get("blocks")):
            assert call.args["channel"] in allowed, call.args["channel"]


def test_shared_by_the_giver_says_the_giver_shared_it(bravo: Bravo) -> None:
    pair(bravo)
    give(bravo, share=True)
    [coach_dm] = posts_to(bravo, COACH)
    assert f"<@{GIVER}> sent feedback to <@{RECIPIENT}> and shared it with you" in _blocks(coach_dm)
    assert f"<@{RECIPIENT}> shared" not in _blocks(coach_dm)
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    assert f"so does your coach <@{COACH}>: the giver shared it" in _blocks(dm)
    assert "feedback_share" not in _blocks(dm)
    [receipt] = posts_to(bravo, GIVER, "on its way")
    assert f"to them and their coach <@{COACH}>" in receipt.args["text"]
    coach_inbox = inbox(bravo, COACH, RECIPIENT)  # the giver shared it, not the recipient
    assert f"Feedback for <@{RECIPIENT}> shared with you" in coach_inbox
    _no_one_else_has_it(bravo, GIVER, RECIPIENT, COACH)


def test_after_share_the_recipients_message_says_the_coach_sees_it(bravo: Bravo) -> None:
    pair(bravo)
    fb = give(bravo)
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    assert "only you and the giver see it" in _blocks(dm)
    message = {"type": "message", "ts": dm.response["ts"], "text": dm.args["text"]}
    message["blocks"] = dm.args["blocks"]
    bravo.send.block_action(
        RECIPIENT, "feedback_share", str(fb.id), channel_id=dm.response["channel"], message=message
    )
    bravo.slack.wait_for("response_url", predicate=lambda c: c.args.get("replace_original") is True)
    [now_dm] = bravo.slack.messages(RECIPIENT)[-1:]
    redrawn = json.dumps(now_dm["blocks"])
    assert "only you and the giver" not in redrawn
    assert f"so does your coach <@{COACH}>" in redrawn and "feedback_share" not in redrawn
    assert "feedback_thank" in redrawn and SPECIFIC["behaviour"][:30] in redrawn
    bravo.deliver()
    [coach_dm] = posts_to(bravo, COACH)
    assert f"<@{RECIPIENT}> shared feedback from <@{GIVER}> with you" in coach_dm.args["text"]
    _no_one_else_has_it(bravo, GIVER, RECIPIENT, COACH)


def test_feedback_from_the_coach_offers_no_share(bravo: Bravo) -> None:
    pair(bravo)
    assert submit(bravo, open_modal(bravo, user=COACH), form(share=True), user=COACH) == {}
    bravo.deliver()
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    assert "feedback_share" not in _blocks(dm)
    assert "only you and your coach, who wrote it, see it" in _blocks(dm)
    [receipt] = posts_to(bravo, COACH)  # the coach's receipt, and no "shared with you" DM
    assert "as their coach, you have it already" in receipt.args["text"]
    with bravo.deps.db.read() as s:
        fb = s.exec(select(Feedback)).one()
    answer = press(bravo, RECIPIENT, "feedback_share", str(fb.id))  # an old message's button
    assert f"Your coach <@{COACH}> wrote this feedback" in answer
    _no_one_else_has_it(bravo, RECIPIENT, COACH)
    for nobody in (GIVER, ADMIN, OUTSIDER):
        assert not posts_to(bravo, nobody), nobody


def test_shared_without_a_coach_claims_no_coach(bravo: Bravo) -> None:
    give(bravo, share=True)
    [receipt] = posts_to(bravo, GIVER, "on its way")
    assert "they have no coach yet" in receipt.args["text"]
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    assert "who will see it once you have one" in _blocks(dm)
    _no_one_else_has_it(bravo, GIVER, RECIPIENT)
