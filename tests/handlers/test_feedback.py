"""Feedback end to end: signed requests in, what Slack was asked to show out, and who could
see what (the access matrix: giver, recipient, coach with and without sharing, admin,
outsider) on every surface that shows feedback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import func, select

from bot.deps import Deps
from bot.feedback import jobs
from bot.sandbox.server import Call, FakeSlack
from handlers.feedback import on_feedback, on_feedback_modal
from storage.db import Database
from storage.models import (
    CoachPairing,
    CustomerFeedback,
    Feedback,
    FeedbackRequest,
    Kudos,
    OutboxRow,
)
from tests.handlers.conftest import CHANNEL, Bravo, Recorder, deps_alone, start_bravo

T = "T0SANDBOX"
GIVER, RECIPIENT, COACH, ADMIN, OUTSIDER = "UANA", "UBEN", "UCY", "UADMIN", "UDEV"
SPECIFIC = {
    "situation": "Tuesday's call with the Acme billing team",
    "behaviour": "You paused and summarised the customer's issue before proposing a fix",
    "impact": "The customer calmed down and we closed the ticket on that one call",
    "suggestion": "Write the summary into the ticket as you say it",
}


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user(OUTSIDER, "dev")
    yield from start_bravo(slack, db)


def view_of(call: Call) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def form(recipient: str | None = RECIPIENT, share: bool = False, **over: str) -> dict[str, Any]:
    texts = {**SPECIFIC, **over}
    values: dict[str, Any] = {
        f"fb_{k}": {"input": {"type": "plain_text_input", "value": v}} for k, v in texts.items()
    }
    values["fb_skill"] = {
        "input": {"type": "static_select", "selected_option": {"value": "empathy"}}
    }
    choice = "coach" if share else "recipient"
    values["fb_visibility"] = {
        "input": {"type": "radio_buttons", "selected_option": {"value": choice}}
    }
    if recipient is not None:
        values["fb_recipient"] = {"input": {"type": "users_select", "selected_user": recipient}}
    return values


def open_modal(bravo: Bravo, user: str = GIVER, text: str = f"<@{RECIPIENT}|ben>") -> dict:
    before = len(bravo.slack.calls("views.open"))
    assert bravo.send.slash_command(user, "/feedback", text, channel_id=CHANNEL).status == 200
    calls = bravo.slack.wait_for("views.open", before + 1)
    return view_of(calls[-1])


def submit(bravo: Bravo, view: dict, values: dict, user: str = GIVER) -> dict:
    result = bravo.send.view_submission(user, view, values)
    assert result.status == 200
    return result.json() or {}


def count(bravo: Bravo, model: Any) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def posts_to(bravo: Bravo, channel: str, words: str = "") -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == channel and words in c.args.get("text", "")
    ]


def give(bravo: Bravo, share: bool = False) -> Feedback:
    assert submit(bravo, open_modal(bravo), form(share=share)) == {}
    bravo.deliver()
    with bravo.deps.db.read() as s:
        return s.exec(select(Feedback).order_by(Feedback.id.desc())).first()  # type: ignore[union-attr]


def pair(bravo: Bravo, coach: str = COACH, coachee: str = RECIPIENT) -> None:
    now = bravo.clock()
    with bravo.deps.db.write() as s:
        s.add(
            CoachPairing(
                team_id=T, coach_id=coach, coachee_id=coachee, status="active", requested_at=now
            )
        )


def press(bravo: Bravo, user: str, action_id: str, value: str) -> str:
    """A button press; the ephemeral answer's text ("" when none came)."""
    before = len(bravo.slack.calls("response_url"))
    assert bravo.send.block_action(user, action_id, value, channel_id="D0DM").status == 200
    try:
        calls = bravo.slack.wait_for("response_url", before + 1, timeout=3)
    except AssertionError:
        return ""
    return str(calls[-1].args.get("text", ""))


def inbox(bravo: Bravo, viewer: str, owner: str | None = None) -> str:
    before = len(bravo.slack.calls("response_url"))
    text = f"inbox <@{owner}>" if owner else "inbox"
    bravo.send.slash_command(viewer, "/feedback", text, channel_id=CHANNEL)
    call = bravo.slack.wait_for("response_url", before + 1)[-1]
    return json.dumps(call.args.get("blocks"), ensure_ascii=False) + call.args.get("text", "")


# Giving feedback --------------------------------------------------------------------------------


def test_vague_feedback_gets_a_nudge_then_goes_privately_to_the_recipient(bravo: Bravo) -> None:
    view = open_modal(bravo)
    assert view["callback_id"] == "feedback_modal"
    recipient_block = next(b for b in view["blocks"] if b.get("block_id") == "fb_recipient")
    assert recipient_block["element"]["initial_user"] == RECIPIENT
    vague = form(behaviour="great job", impact="good")
    nudged = submit(bravo, view, vague)
    assert nudged["response_action"] == "update"  # a nudge, not a block
    assert "Could this be more specific" in json.dumps(nudged["view"]["blocks"])
    assert count(bravo, Feedback) == 0
    assert submit(bravo, nudged["view"], vague) == {}  # sent as it is the second time
    bravo.deliver()
    assert count(bravo, Feedback) == 1
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    actions = next(b for b in dm.args["blocks"] if b["type"] == "actions")["elements"]
    assert {a["action_id"] for a in actions} == {
        "feedback_thank",
        "feedback_goal",
        "feedback_share",
    }
    assert posts_to(bravo, GIVER, "on its way")
    assert not posts_to(bravo, CHANNEL)  # never posted in a channel


def test_feedback_text_is_escaped(bravo: Bravo) -> None:
    submit(bravo, open_modal(bravo), form(behaviour="You said <!channel> & then <@UCY> " * 2))
    bravo.deliver()
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    body = json.dumps(dm.args["blocks"])
    assert "<!channel>" not in body and "&lt;!channel&gt; &amp; then &lt;@UCY&gt;" in body


def test_bad_feedback_input_is_refused_with_nothing_saved(bravo: Bravo) -> None:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(GIVER, "/feedback", f"<@{GIVER}|ana>", channel_id=CHANNEL)
    [*_, reply] = bravo.slack.wait_for("response_url", before + 1)
    assert "Feedback is for someone else" in reply.args["text"]
    view = open_modal(bravo, text="")
    assert set(submit(bravo, view, form(recipient=None))["errors"]) == {"fb_recipient"}
    assert set(submit(bravo, view, form(recipient=GIVER))["errors"]) == {"fb_recipient"}
    errors = submit(bravo, view, form(recipient="UROBOT"))["errors"]
    assert "is a bot" in errors["fb_recipient"]
    assert (
        "left the workspace"
        in submit(bravo, view, form(recipient="UGONE"))["errors"]["fb_recipient"]
    )
    empty = submit(bravo, view, form(situation="  ", impact=""))["errors"]
    assert set(empty) == {"fb_situation", "fb_impact"}
    too_long = submit(bravo, view, form(behaviour="x" * 1001))["errors"]
    assert "under 1000" in too_long["fb_behaviour"]
    assert count(bravo, Feedback) == 0
    assert submit(bravo, view, form()) == {}
    again = submit(bravo, view, form())  # a duplicate submission
    assert "already sent exactly this feedback" in again["errors"]["fb_situation"]
    assert count(bravo, Feedback) == 1


# The access matrix ------------------------------------------------------------------------------

BUTTONS = ("feedback_thank", "feedback_share", "feedback_goal")


def test_access_matrix_for_dms_buttons_and_inbox_without_sharing(bravo: Bravo) -> None:
    pair(bravo)
    fb = give(bravo, share=False)
    # DMs: the recipient gets it, the giver a confirmation; the coach nothing until shared.
    assert posts_to(bravo, RECIPIENT, "sent you feedback")
    assert posts_to(bravo, GIVER, "on its way")
    for nobody in (COACH, ADMIN, OUTSIDER):
        assert not posts_to(bravo, nobody), nobody
    # Buttons: only the recipient may act.
    for user in (GIVER, COACH, ADMIN, OUTSIDER):
        for action in ("feedback_thank", "feedback_share", "feedback_acted_on"):
            answer = press(bravo, user, action, str(fb.id))
            assert "Only the person who received" in answer or "isn't yours" in answer, (
                user,
                action,
            )
        opened = len(bravo.slack.calls("views.open"))
        assert (
            "received" in press(bravo, user, "feedback_goal", str(fb.id))
            or "isn't yours" in (bravo.slack.calls("response_url")[-1].args["text"])
        )
        assert len(bravo.slack.calls("views.open")) == opened  # no goal modal for them
    # Inbox: the recipient sees it; the coach sees nothing shared; others are refused.
    assert SPECIFIC["behaviour"][:30] in inbox(bravo, RECIPIENT)
    coach_view = inbox(bravo, COACH, RECIPIENT)
    assert (
        "Nothing shared with you yet" in coach_view and SPECIFIC["behaviour"][:30] not in coach_view
    )
    for user in (GIVER, ADMIN, OUTSIDER):
        refused = inbox(bravo, user, RECIPIENT)
        assert "private" in refused and SPECIFIC["behaviour"][:30] not in refused, user
    with bravo.deps.db.read() as s:
        row = s.get(Feedback, fb.id)
        assert row is not None and row.thanked_at is None and not row.shared_with_coach


def test_access_matrix_after_the_recipient_shares_with_the_coach(bravo: Bravo) -> None:
    pair(bravo)
    fb = give(bravo, share=False)
    [dm] = posts_to(bravo, RECIPIENT, "sent you feedback")
    message = {"type": "message", "ts": dm.response["ts"], "text": dm.args["text"]}
    message["blocks"] = dm.args["blocks"]
    bravo.send.block_action(
        RECIPIENT, "feedback_share", str(fb.id), channel_id=dm.response["channel"], message=message
    )
    # One answer: the DM redrawn without the button, saying it was shared.
    [shared] = bravo.slack.wait_for("response_url")
    assert shared.args.get("replace_original") is True
    [now_dm] = bravo.slack.messages(RECIPIENT)[-1:]
    buttons = json.dumps(now_dm["blocks"])
    assert "feedback_share" not in buttons and "feedback_thank" in buttons
    assert "Shared with your coach" in buttons
    bravo.deliver()
    [coach_dm] = posts_to(bravo, COACH, "shared feedback")
    assert SPECIFIC["behaviour"][:30] in json.dumps(coach_dm.args["blocks"])
    coach_inbox = inbox(bravo, COACH, RECIPIENT)
    assert SPECIFIC["behaviour"][:30] in coach_inbox
    assert "feedback_acted_on" not in coach_inbox  # the coach reads; only Ben acts
    assert "feedback_acted_on" in inbox(bravo, RECIPIENT)
    for user in (ADMIN, OUTSIDER, GIVER):
        assert SPECIFIC["behaviour"][:30] not in inbox(bravo, user, RECIPIENT)
        assert not posts_to(bravo, user, "shared feedback")
    # Still only the recipient acts on it; the coach may not thank or mark it.
    assert "Only the person who received" in press(bravo, COACH, "feedback_thank", str(fb.id))
    assert "knows you're grateful" in press(bravo, RECIPIENT, "feedback_thank", str(fb.id))
    press(bravo, RECIPIENT, "feedback_thank", str(fb.id))  # twice: the giver hears once
    bravo.deliver()
    assert len(posts_to(bravo, GIVER, "thanked you")) == 1
    assert "acted on" in press(bravo, RECIPIENT, "feedback_acted_on", str(fb.id))


def test_shared_by_the_giver_reaches_the_coach_and_no_one_else(bravo: Bravo) -> None:
    pair(bravo)
    pair(bravo, coach=OUTSIDER, coachee=GIVER)  # the giver's coach is not the recipient's
    give(bravo, share=True)
    assert posts_to(bravo, COACH, "and shared it with you, their coach")
    assert not posts_to(bravo, OUTSIDER) and not posts_to(bravo, ADMIN)


def test_sharing_without_a_coach_says_so(bravo: Bravo) -> None:
    fb = give(bravo)
    assert "don't have a coach" in press(bravo, RECIPIENT, "feedback_share", str(fb.id))


def test_turn_into_a_goal_opens_the_goal_modal_prefilled(bravo: Bravo) -> None:
    fb = give(bravo)
    press(bravo, RECIPIENT, "feedback_goal", str(fb.id))
    view = view_of(bravo.slack.wait_for("views.open", 2)[-1])
    assert view["callback_id"] == "goal_modal"
    what = next(b for b in view["blocks"] if b["block_id"] == "what")
    assert what["element"]["initial_value"] == SPECIFIC["suggestion"]
    skill = next(b for b in view["blocks"] if b["block_id"] == "skill")
    assert skill["element"]["initial_option"]["value"] == "empathy"
    assert view["title"]["text"] == "Set a goal"


# Asking for feedback ----------------------------------------------------------------------------


def request(bravo: Bravo, text: str, user: str = RECIPIENT) -> str:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(user, "/feedback", text, channel_id=CHANNEL)
    return str(bravo.slack.wait_for("response_url", before + 1)[-1].args["text"])


def test_a_request_is_answered_reminded_once_and_expires(bravo: Bravo) -> None:
    reply = request(bravo, f"request <@{GIVER}|ana> <@{COACH}|cy> [about the Q3 onboarding calls]")
    assert "I asked" in reply
    bravo.deliver()
    [ask_ana] = posts_to(bravo, GIVER, "would value your feedback")
    assert "about the Q3 onboarding calls" in ask_ana.args["text"]
    assert posts_to(bravo, COACH, "would value your feedback")
    with bravo.deps.db.read() as s:
        rows = {r.giver_id: r for r in s.exec(select(FeedbackRequest)).all()}
    # A foreign button: Cy presses the button on Ana's request.
    assert "sent to someone else" in press(bravo, COACH, "feedback_answer", str(rows[GIVER].id))
    press(bravo, GIVER, "feedback_answer", str(rows[GIVER].id))
    view = view_of(bravo.slack.wait_for("views.open")[-1])
    assert "asked for your feedback" in json.dumps(view["blocks"])
    # A forged submission from someone else with Ana's request in the metadata is refused.
    assert "sent to someone else" in json.dumps(submit(bravo, view, form(recipient=None), COACH))
    assert submit(bravo, view, form(recipient=None)) == {}
    bravo.deliver()
    [answer] = posts_to(bravo, RECIPIENT, "in answer to your request")
    assert "Q3 onboarding" in answer.args["text"]
    assert "answered" in bravo.slack.messages(GIVER)[0]["text"]  # the ask lost its button
    # Monday 15:00 UTC is Tuesday 00:00 in Tokyo (Cy): two working days on is Thursday,
    # 09:00 there (00:00 UTC). Not a minute before; run twice, remind once.
    early = datetime(2026, 11, 25, 23, 59, tzinfo=UTC)
    assert jobs.run_feedback_requests(bravo.deps, early)["reminded"] == 0
    thursday = datetime(2026, 11, 26, 0, 1, tzinfo=UTC)
    bravo.clock.at = thursday
    assert jobs.run_feedback_requests(bravo.deps, thursday)["reminded"] == 1
    assert jobs.run_feedback_requests(bravo.deps, thursday)["reminded"] == 0
    bravo.deliver()
    assert len(posts_to(bravo, COACH, "gentle reminder")) == 1
    assert not posts_to(bravo, GIVER, "gentle reminder")  # answered: no reminder
    week_on = datetime(2026, 11, 30, 15, 1, tzinfo=UTC)
    bravo.clock.at = week_on
    assert jobs.run_feedback_requests(bravo.deps, week_on)["expired"] == 1
    assert jobs.run_feedback_requests(bravo.deps, week_on)["expired"] == 0
    bravo.deliver()
    assert len(posts_to(bravo, RECIPIENT, "closed after a week")) == 1
    assert "sent to someone else" not in press(bravo, COACH, "feedback_answer", str(rows[COACH].id))
    assert "has closed" in bravo.slack.calls("response_url")[-1].args["text"]


def test_bad_requests_are_refused_with_nothing_saved(bravo: Bravo) -> None:
    many = " ".join(f"<@U{i:04d}|p{i}>" for i in range(30))
    assert "ask at most 10" in request(bravo, f"request {many}")
    assert "Feedback is for someone else" in request(bravo, f"request <@{RECIPIENT}|ben>")
    assert "is a bot" in request(bravo, f"request <@{GIVER}> <@UROBOT|bot>")
    assert "couldn't tell who @nobody is" in request(bravo, "request @nobody")
    assert count(bravo, FeedbackRequest) == 0
    assert "I asked" in request(bravo, f"request <@{GIVER}|ana>")
    assert "already have an open request" in request(bravo, f"request <@{GIVER}|ana> <@{COACH}>")
    assert count(bravo, FeedbackRequest) == 1


# Customer feedback ------------------------------------------------------------------------------


def customer_form(teammate: str, kind: str = "praise", rating: str = "5") -> dict[str, Any]:
    def pick(kind_: str, value: str) -> dict[str, Any]:
        return {"input": {"type": kind_, "selected_option": {"value": value}}}

    return {
        "cf_teammate": {"input": {"type": "users_select", "selected_user": teammate}},
        "cf_kind": pick("radio_buttons", kind),
        "cf_rating": pick("static_select", rating),
        "cf_source": pick("static_select", "email"),
        "cf_text": {"input": {"type": "plain_text_input", "value": "Ben was patient & kind"}},
    }


def log_customer(bravo: Bravo, logger: str = GIVER) -> tuple[dict, str]:
    msg = bravo.slack.add_message(CHANNEL, "UCY", "From: customer\nBen was patient &amp; kind")
    before = len(bravo.slack.calls("views.open"))
    bravo.send.message_shortcut(logger, "log_customer_feedback", channel_id=CHANNEL, message=msg)
    view = view_of(bravo.slack.wait_for("views.open", before + 1)[-1])
    return view, msg["ts"]


def test_customer_praise_is_logged_seen_and_turned_into_kudos_once(bravo: Bravo) -> None:
    view, _ = log_customer(bravo)
    text_block = next(b for b in view["blocks"] if b["block_id"] == "cf_text")
    assert text_block["element"]["initial_value"].endswith("Ben was patient & kind")
    bad = customer_form(RECIPIENT)
    bad["cf_rating"]["input"]["selected_option"]["value"] = "9"
    assert set(submit(bravo, view, bad)["errors"]) == {"cf_rating"}
    assert "is a bot" in json.dumps(submit(bravo, view, customer_form("UROBOT")))
    assert submit(bravo, view, customer_form(RECIPIENT)) == {}
    assert "already logged" in json.dumps(submit(bravo, view, customer_form(RECIPIENT)))
    assert count(bravo, CustomerFeedback) == 1
    bravo.deliver()
    assert posts_to(bravo, RECIPIENT, "A customer praised you")
    [logged] = posts_to(bravo, GIVER, "Logged customer praise")
    with bravo.deps.db.read() as s:
        row = s.exec(select(CustomerFeedback)).one()
    assert "isn't yours" in press(bravo, OUTSIDER, "customer_kudos", str(row.id))
    assert "Kudos sent" in press(bravo, GIVER, "customer_kudos", str(row.id))
    assert "already turned into kudos" in press(bravo, GIVER, "customer_kudos", str(row.id))
    with bravo.deps.db.read() as s:
        [kudos] = s.exec(select(Kudos)).all()
        assert (kudos.giver_id, kudos.recipient_id, kudos.source) == (GIVER, RECIPIENT, "customer")
        assert s.exec(select(CustomerFeedback)).one().kudos_batch_id == kudos.batch_id
    stats = inbox(bravo, RECIPIENT)
    assert "1 praise · 0 complaints · average rating 5.0/5" in stats
    for user in (OUTSIDER, ADMIN, GIVER):  # not even the person who logged it
        assert "From customers" not in inbox(bravo, user, RECIPIENT), user
    assert logged.args["blocks"]


def test_praise_for_yourself_is_not_logged_nor_kudos(bravo: Bravo) -> None:
    view, _ = log_customer(bravo, logger=RECIPIENT)
    refused = submit(bravo, view, customer_form(RECIPIENT), RECIPIENT)
    assert "That's about you" in refused["errors"]["cf_teammate"]
    assert count(bravo, CustomerFeedback) == 0 and count(bravo, Kudos) == 0


def test_complaints_count_in_the_average_but_cannot_become_kudos(bravo: Bravo) -> None:
    view, _ = log_customer(bravo)
    submit(bravo, view, customer_form(RECIPIENT, "complaint", "2"))
    view, _ = log_customer(bravo)
    submit(bravo, view, customer_form(RECIPIENT, "praise", "5"))
    with bravo.deps.db.read() as s:
        complaint = s.exec(
            select(CustomerFeedback).where(CustomerFeedback.kind == "complaint")
        ).one()
    assert "Only praise" in press(bravo, GIVER, "customer_kudos", str(complaint.id))
    assert "1 praise · 1 complaints · average rating 3.5/5" in inbox(bravo, RECIPIENT)
    pair(bravo)
    assert "average rating 3.5/5" in inbox(bravo, COACH, RECIPIENT)


def test_concurrent_job_runs_remind_and_expire_once(bravo: Bravo) -> None:
    import threading

    request(bravo, f"request <@{GIVER}|ana> <@{COACH}|cy> <@{OUTSIDER}|dev>")
    results: list[Any] = []

    def run_all(at: datetime) -> None:
        bravo.clock.at = at
        barrier = threading.Barrier(4)

        def one() -> None:
            barrier.wait()
            results.append(jobs.run_feedback_requests(bravo.deps, at))

        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bravo.deliver()

    run_all(datetime(2026, 11, 27, 0, 0, tzinfo=UTC))  # Friday: everyone is due a reminder
    assert sum(r["reminded"] for r in results) == 3
    for user in (GIVER, COACH, OUTSIDER):
        assert len(posts_to(bravo, user, "gentle reminder")) == 1, user
    run_all(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    assert sum(r["expired"] for r in results) == 3
    assert len(posts_to(bravo, RECIPIENT, "closed after a week")) == 3


# Listeners alone --------------------------------------------------------------------------------


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    """What the composition root builds, without an app: listeners are called directly."""
    yield from deps_alone(slack, db)


def test_the_command_listener_answers_alone(deps: Deps) -> None:
    ack, respond = Recorder(), Recorder()
    command = {"team_id": T, "user_id": GIVER, "text": f"<@{GIVER}|ana>", "trigger_id": "1.2"}
    on_feedback(
        ack=ack, command=command, respond=respond, client=deps.client, context={"bravo_deps": deps}
    )
    assert ack.calls == [((), {})]
    [((reply,), _)] = respond.calls
    assert "Feedback is for someone else" in reply["text"] and reply["response_type"] == "ephemeral"


def test_the_form_listener_sends_feedback_alone(deps: Deps) -> None:
    ack = Recorder()
    body = {"team": {"id": T}, "user": {"id": GIVER}}
    view = {"private_metadata": "{}", "state": {"values": form()}}
    on_feedback_modal(ack=ack, body=body, view=view, context={"bravo_deps": deps})
    assert ack.calls == [((), {})]
    with deps.db.read() as s:
        [fb] = s.exec(select(Feedback)).all()
        kinds = sorted(r.kind for r in s.exec(select(OutboxRow)).all())
    assert (fb.giver_id, fb.recipient_id, fb.behaviour) == (GIVER, RECIPIENT, SPECIFIC["behaviour"])
    assert kinds == ["feedback_dm", "feedback_note"]  # to Ben, and Ana's receipt
    missing = Recorder()
    on_feedback_modal(
        ack=missing,
        body=body,
        view={"state": {"values": form(recipient=None)}},
        context={"bravo_deps": deps},
    )
    assert missing.calls == [
        ((), {"response_action": "errors", "errors": {"fb_recipient": "Who is this feedback for?"}})
    ]
