"""Kudos end to end: signed requests in, what Slack was asked to show out; and each listener
called alone, with a recording ack and respond."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from bot.deps import Deps, build_deps
from bot.kudos.parse import ShowHelp
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from bot.work import WorkQueue
from handlers.common import DEPS
from handlers.kudos import Asked, answer, on_kudos, on_modal, on_reaction_added, on_undo
from storage.db import Database
from storage.models import Kudos, KudosRevocation, OutboxRow
from tests.handlers.conftest import CHANNEL, NO_BOT_CHANNEL, SECRET, TEAM, Bravo, Clock, start_bravo


def kudos_rows(bravo: Bravo) -> list[Kudos]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(Kudos).order_by(Kudos.id)).all())


def revocations(bravo: Bravo) -> int:
    with bravo.deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(KudosRevocation)).one())


def reply(bravo: Bravo, count: int = 1, timeout: float = 5.0) -> dict:
    """The latest ephemeral reply sent through a response_url."""
    calls = bravo.slack.wait_for("response_url", count=count, timeout=timeout)
    return calls[-1].args


def posts(bravo: Bravo, channel: str | None = None) -> list[dict]:
    return [
        c.args
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if channel is None or c.args.get("channel") == channel
    ]


def command(bravo: Bravo, text: str, user: str = "UANA", channel: str = CHANNEL):
    result = bravo.send.slash_command(user, "/kudos", text, channel_id=channel)
    assert result.status == 200, result.body
    return result


def test_kudos_by_command_posts_dms_and_confirms(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> <@UCY|cy> for calming an angry caller #empathy")
    confirmation = reply(bravo)
    assert confirmation["response_type"] == "ephemeral"
    assert "3 of 5 kudos left today" in confirmation["text"] or "3 of 5" in json.dumps(confirmation)
    bravo.deliver()
    [post] = posts(bravo, CHANNEL)
    assert "<@UANA> gave kudos to <@UBEN> and <@UCY>" in post["text"]
    assert "calming an angry caller" in json.dumps(post["blocks"])
    assert "#empathy" in json.dumps(post["blocks"])
    dms = {p["channel"] for p in posts(bravo) if p["channel"] in {"UBEN", "UCY"}}
    assert dms == {"UBEN", "UCY"}
    assert len(kudos_rows(bravo)) == 2


def test_self_kudos_is_refused_kindly_and_nothing_is_stored(bravo: Bravo) -> None:
    command(bravo, "<@UANA|ana> for being me")
    text = reply(bravo)["text"]
    assert "yourself" in text
    bravo.deliver()
    assert kudos_rows(bravo) == []
    assert posts(bravo) == []


def test_bad_inputs_each_get_a_clear_message(bravo: Bravo) -> None:
    cases = [
        ("<@UBEN|ben>", "need a reason"),
        ("for nothing", "Who gets the kudos"),
        ("<@UBEN|ben> for x #bravery", "#bravery"),
        ("<@UROBOT|deploybot> for deploying", "bot"),
        ("<@UGONE|gone> for everything", "no longer active"),
        ("<@UNOPE|nope> for existing", "couldn't find"),
        ("<@UBEN|ben> for " + "a" * 1200, "keep it under 1000"),
    ]
    for n, (text, expected) in enumerate(cases, 1):
        command(bravo, text)
        assert expected in reply(bravo, n)["text"], text
    bravo.deliver()
    assert kudos_rows(bravo) == [] and posts(bravo) == []


def test_allowance_refusal_says_what_is_left(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> <@UCY|cy> for a")
    command(bravo, "<@UBEN|ben> <@UCY|cy> for b")
    command(bravo, "<@UBEN|ben> <@UCY|cy> for c")
    # The three run concurrently after their acks: whichever comes last is refused.
    texts = [c.args["text"] for c in bravo.slack.wait_for("response_url", count=3)]
    refused = [t for t in texts if "you have 1 of 5 left today" in t]
    assert len(refused) == 1 and "Kudos sent" not in refused[0]
    assert len(kudos_rows(bravo)) == 4


def test_user_group_expands_to_people_skipping_giver_and_bots(bravo: Bravo) -> None:
    command(bravo, "<!subteam^S0SUPPORT|@support> for the launch")
    reply(bravo)
    assert sorted(k.recipient_id for k in kudos_rows(bravo)) == ["UBEN", "UCY"]


def test_broadcast_in_a_reason_pings_nobody(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for <!channel> <!here> &lt;@UCY&gt; help")
    reply(bravo)
    bravo.deliver()
    [post] = posts(bravo, CHANNEL)
    dumped = json.dumps(post)
    assert "<!channel>" not in dumped and "<!here>" not in dumped and "<@UCY>" not in dumped


def test_forged_and_stale_signatures_get_401(bravo: Bravo) -> None:
    forged = bravo.send.slash_command(
        "UANA", "/kudos", "<@UBEN> for x", channel_id=CHANNEL, bad_signature=True
    )
    stale = bravo.send.slash_command(
        "UANA", "/kudos", "<@UBEN> for x", channel_id=CHANNEL, timestamp_offset=-600
    )
    assert (forged.status, stale.status) == (401, 401)
    assert kudos_rows(bravo) == []


def test_slack_outage_keeps_the_kudos_and_delivers_later(bravo: Bravo) -> None:
    bravo.slack.fail_next("chat.postMessage", status=503, times=3)
    command(bravo, "<@UBEN|ben> for staying late")
    reply(bravo)
    bravo.deliver()
    with bravo.deps.db.read() as s:
        pending = s.exec(select(OutboxRow).where(OutboxRow.status == "pending")).all()
    assert len(pending) >= 1 and all(r.last_error for r in pending)
    bravo.clock.at += timedelta(minutes=10)
    bravo.deliver()
    bravo.clock.at += timedelta(minutes=10)
    bravo.deliver()
    assert len(posts(bravo, CHANNEL)) == 1
    [dm] = posts(bravo, "UBEN")  # one DM, telling the first kudos too
    assert dm["text"] == "<@UANA> gave you kudos"
    assert "You received your first kudos" in json.dumps(dm["blocks"])


def test_rate_limited_post_waits_for_retry_after(bravo: Bravo) -> None:
    bravo.slack.fail_next("chat.postMessage", status=429, retry_after=7)
    command(bravo, "<@UBEN|ben> for patience")
    reply(bravo)
    bravo.deliver()
    assert posts(bravo) == []
    bravo.clock.at += timedelta(seconds=8)
    bravo.deliver()
    assert len(posts(bravo, CHANNEL)) == 1


def test_bot_not_in_channel_tells_the_giver_and_keeps_the_kudos(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for the save", channel=NO_BOT_CHANNEL)
    assert "/invite" in reply(bravo)["text"]  # said at once, not after a failed post
    bravo.deliver()
    assert not bravo.slack.calls("chat.postMessage", ok=False)
    assert len(kudos_rows(bravo)) == 1


def test_undo_withdraws_the_post(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for the save")
    confirmation = reply(bravo)
    bravo.deliver()
    batch = kudos_rows(bravo)[0].batch_id
    assert batch in json.dumps(confirmation["blocks"])  # the Undo button carries the batch
    result = bravo.send.block_action("UANA", "kudos_undo", batch, channel_id=CHANNEL)
    assert result.status == 200
    assert "withdrawn" in reply(bravo, 2)["text"]
    bravo.deliver()
    updates = bravo.slack.calls("chat.update")
    assert len(updates) == 2  # the channel post and Ben's DM
    assert revocations(bravo) == 1


def test_undo_by_someone_else_or_too_late_is_refused(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for the save")
    reply(bravo)
    batch = kudos_rows(bravo)[0].batch_id
    bravo.send.block_action("UBEN", "kudos_undo", batch, channel_id=CHANNEL)
    assert "Only the person" in reply(bravo, 2)["text"]
    bravo.clock.at += timedelta(minutes=11)
    bravo.send.block_action("UANA", "kudos_undo", batch, channel_id=CHANNEL)
    assert "Too late" in reply(bravo, 3)["text"]
    assert revocations(bravo) == 0


def reaction(
    bravo: Bravo,
    kind: str,
    user: str = "UANA",
    author: str = "UBEN",
    reaction_name: str = "clap",
    event_id: str | None = None,
    retry: int | None = None,
):
    event = {
        "type": kind,
        "user": user,
        "reaction": reaction_name,
        "item_user": author,
        "item": {"type": "message", "channel": CHANNEL, "ts": "1732350000.000100"},
        "event_ts": "1732350001.000200",
    }
    result = bravo.send.event(
        event, event_id=event_id, retry_num=retry, retry_reason="http_timeout" if retry else None
    )
    assert result.status == 200
    return result


def wait_rows(bravo: Bravo, n: int) -> list[Kudos]:
    import time

    deadline = time.time() + 5
    while time.time() < deadline:
        rows = kudos_rows(bravo)
        if len(rows) >= n:
            return rows
        time.sleep(0.02)
    raise AssertionError(f"expected {n} kudos rows, have {len(kudos_rows(bravo))}")


def test_reaction_gives_kudos_once_even_when_slack_retries(bravo: Bravo) -> None:
    reaction(bravo, "reaction_added", event_id="Ev1")
    reaction(bravo, "reaction_added", event_id="Ev1", retry=1)
    reaction(bravo, "reaction_added", reaction_name="clap::skin-tone-3", event_id="Ev2")
    reaction(bravo, "reaction_added", reaction_name="tada", event_id="Ev3")
    [row] = wait_rows(bravo, 1)
    assert (row.giver_id, row.recipient_id, row.source) == ("UANA", "UBEN", "reaction")
    import time

    time.sleep(0.3)  # give the retried and the other deliveries time to (not) act
    assert len(kudos_rows(bravo)) == 1


def test_removing_the_reaction_takes_the_kudos_back(bravo: Bravo) -> None:
    reaction(bravo, "reaction_added", event_id="Ev1")
    wait_rows(bravo, 1)
    bravo.deliver()
    reaction(bravo, "reaction_removed", event_id="Ev2")
    import time

    deadline = time.time() + 5
    while revocations(bravo) < 1 and time.time() < deadline:
        time.sleep(0.02)
    assert revocations(bravo) == 1
    bravo.deliver()
    assert bravo.slack.calls("chat.update")


def test_reacting_to_your_own_message_is_explained(bravo: Bravo) -> None:
    reaction(bravo, "reaction_added", author="UANA", event_id="Ev1")
    calls = bravo.slack.wait_for("chat.postEphemeral")
    assert calls[0].args["user"] == "UANA" and "yourself" in calls[0].args["text"]
    assert kudos_rows(bravo) == []


def test_modal_flow(bravo: Bravo) -> None:
    command(bravo, "")
    [opened] = bravo.slack.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "kudos_modal"
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["UBEN"]}
        },
        "kudos_value": {
            "value": {"type": "static_select", "selected_option": {"value": "communication"}}
        },
        "kudos_reason": {"reason": {"type": "plain_text_input", "value": "Clear <!channel> notes"}},
        "kudos_channel": {
            "channel": {"type": "conversations_select", "selected_conversation": CHANNEL}
        },
    }
    result = bravo.send.view_submission("UANA", view, values)
    assert result.status == 200 and not result.body.strip()  # plain ack closes the modal
    [row] = kudos_rows(bravo)
    assert (row.recipient_id, row.values, row.source) == ("UBEN", "communication", "modal")
    assert row.reason == "Clear &lt;!channel&gt; notes"
    bravo.slack.wait_for("chat.postEphemeral")  # the giver's confirmation


def test_modal_mistakes_come_back_as_field_errors(bravo: Bravo) -> None:
    command(bravo, "")
    [opened] = bravo.slack.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["UANA"]}
        },
        "kudos_reason": {"reason": {"type": "plain_text_input", "value": "   "}},
    }
    result = bravo.send.view_submission("UANA", view, values)
    body = result.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"kudos_reason"}
    values["kudos_reason"]["reason"]["value"] = "me!"
    body = bravo.send.view_submission("UANA", view, values).json()
    assert "yourself" in body["errors"]["kudos_recipients"]
    assert kudos_rows(bravo) == []


def test_message_shortcut_opens_the_modal_for_the_author(bravo: Bravo) -> None:
    message = {
        "type": "message",
        "user": "UBEN",
        "ts": "1732350000.000100",
        "text": "I rebuilt the FAQ for the new plan",
    }
    bravo.send.message_shortcut("UANA", "give_kudos", channel_id=CHANNEL, message=message)
    [opened] = bravo.slack.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["blocks"][1]["element"]["initial_users"] == ["UBEN"]
    values = {
        "kudos_recipients": {
            "recipients": {"type": "multi_users_select", "selected_users": ["UBEN"]}
        },
        "kudos_reason": {"reason": {"type": "plain_text_input", "value": "Great FAQ"}},
    }
    bravo.send.view_submission("UANA", view, values)
    [row] = kudos_rows(bravo)
    assert row.source == "shortcut" and row.source_ref == f"{CHANNEL}:1732350000.000100"
    bravo.deliver()
    [post] = posts(bravo, CHANNEL)
    assert "sandbox.slack.com/archives" in json.dumps(post["blocks"])


def test_stats_leaderboard_help_and_opt_out(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for a #empathy")
    command(bravo, "<@UBEN|ben> <@UANA|ana> for b", user="UCY")
    reply(bravo, 2)
    command(bravo, "leaderboard")
    board = json.dumps(reply(bravo, 3)["blocks"])
    assert board.index("UBEN") < board.index("UANA") if "UANA" in board else "UBEN" in board
    command(bravo, "stats <@UBEN|ben>")
    assert "Received: *2*" in json.dumps(reply(bravo, 4)["blocks"])
    command(bravo, "optout", user="UBEN")
    reply(bravo, 5)
    command(bravo, "leaderboard")
    assert "UBEN" not in json.dumps(reply(bravo, 6)["blocks"])
    command(bravo, "help")
    help_text = reply(bravo, 7)["text"]
    for usage in ("/kudos stats", "/kudos leaderboard", "optout", "Give kudos", ":clap:"):
        assert usage in help_text


def test_healthz(bravo: Bravo) -> None:
    import urllib.request

    with urllib.request.urlopen(bravo.url + "/healthz") as response:
        body = json.loads(response.read())
    assert response.status == 200 and body["ok"] is True


def test_url_verification_is_answered(bravo: Bravo) -> None:
    result = bravo.send.url_verification("challenge-123")
    assert result.status == 200 and "challenge-123" in result.body


def test_an_internal_failure_apologises_and_echoes_what_was_typed(bravo: Bravo) -> None:
    bravo.slack.fail_next("users.info", status=500, times=20)  # Slack's user lookup is down
    command(bravo, "<@UBEN|ben> for the thing")
    text = reply(bravo, timeout=15)["text"]
    assert "nothing was saved" in text
    assert "/kudos <@UBEN|ben> for the thing" in text
    assert kudos_rows(bravo) == []


def test_housekeeping_forgets_old_event_ids(bravo: Bravo) -> None:
    from bot.events import forget_events

    reaction(bravo, "reaction_added", event_id="EvOld")
    wait_rows(bravo, 1)
    bravo.clock.at += timedelta(days=2)
    assert forget_events(bravo.deps, bravo.clock())["forgotten"] == 1


def test_stale_profiles_are_used_when_slack_cannot_answer(bravo: Bravo) -> None:
    command(bravo, "<@UBEN|ben> for a")  # caches Ana and Ben
    reply(bravo)
    bravo.clock.at += timedelta(days=2)  # the cache is stale now
    bravo.slack.fail_next("users.info", status=500, times=20)
    command(bravo, "<@UBEN|ben> for b")
    assert "Kudos sent" in reply(bravo, 2, timeout=15)["text"]
    assert len(kudos_rows(bravo)) == 2


def test_slow_slack_never_delays_an_ack(bravo: Bravo) -> None:
    """Bolt's default pool of 5 listeners would make the later of 20 slow commands miss Slack's
    3-second ack deadline; Bravo's pool acks them all at once."""
    import concurrent.futures

    for i in range(20):
        bravo.slack.add_user(f"UG{i}", f"giver{i}")
    bravo.slack.set_latency(1.0)  # every Web API call now takes a second
    try:
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            results = list(
                pool.map(
                    lambda i: bravo.send.slash_command(
                        f"UG{i}", "/kudos", "<@UBEN|ben> for x", channel_id=CHANNEL
                    ),
                    range(20),
                )
            )
    finally:
        bravo.slack.set_latency(0)
    assert all(r.status == 200 for r in results)
    assert max(r.elapsed for r in results) < 2.0  # Slack allows 3; a 5-thread pool takes 4+


def test_when_overloaded_a_command_is_refused_kindly_not_lost(
    slack: FakeSlack, db: Database
) -> None:
    running = start_bravo(slack, db, work=WorkQueue(threads=1, max_pending=0))  # always full
    bravo = next(running)
    try:
        command(bravo, "<@UBEN|ben> for holding the fort")
        text = reply(bravo)["text"]
        assert "try again" in text and "/kudos <@UBEN|ben> for holding the fort" in text
        assert kudos_rows(bravo) == []
        reaction(bravo, "reaction_added", event_id="EvBusy")  # events still run, in place
        assert len(wait_rows(bravo, 1)) == 1
    finally:
        running.close()


# Listeners called alone: no app, no HTTP; a recording ack and respond, deps in the context.


class Recorder:
    """Stands in for Bolt's ``ack`` or ``respond``: records each call."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, body: Any = None, **kwargs: Any) -> None:
        self.calls.append(kwargs if body is None else {"body": body, **kwargs})


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
        }
    )
    built = build_deps(settings, db, clock=Clock(), work=WorkQueue(threads=1))
    yield built
    built.work.shutdown(wait=True)


def slash(text: str, user: str = "UANA") -> dict[str, Any]:
    return {
        "team_id": TEAM,
        "user_id": user,
        "channel_id": CHANNEL,
        "text": text,
        "trigger_id": "1.2",
    }


def test_on_kudos_alone_acks_and_explains_a_mistake_at_once(deps: Deps) -> None:
    ack, respond = Recorder(), Recorder()
    on_kudos(ack, slash("<@UBEN|ben>"), respond, deps.client, {DEPS: deps})
    assert ack.calls == [{}]
    [reply] = respond.calls
    assert reply["body"]["response_type"] == "ephemeral"
    assert "need a reason" in reply["body"]["text"]


def test_on_kudos_alone_gives_after_the_ack(deps: Deps) -> None:
    ack, respond = Recorder(), Recorder()
    on_kudos(ack, slash("<@UBEN|ben> for the save #empathy"), respond, deps.client, {DEPS: deps})
    deps.work.shutdown(wait=True)  # the work after the ack is done
    assert ack.calls == [{}]
    [reply] = respond.calls
    assert "Kudos sent to <@UBEN>" in reply["body"]["text"]
    with deps.db.read() as s:
        [row] = s.exec(select(Kudos)).all()
    assert (row.giver_id, row.recipient_id, row.values) == ("UANA", "UBEN", "empathy")


def test_a_subcommand_answers_through_the_actions_table(deps: Deps) -> None:
    respond = Recorder()
    answer(deps, Asked(TEAM, "UANA", CHANNEL), ShowHelp(), respond)
    [reply] = respond.calls
    assert "/kudos leaderboard" in reply["body"]["text"]


def test_on_modal_alone_shows_field_errors_and_stores_nothing(deps: Deps) -> None:
    ack = Recorder()
    view = {"state": {"values": {"kudos_reason": {"reason": {"value": " "}}}}}
    body = {"team": {"id": TEAM}, "user": {"id": "UANA"}}
    on_modal(ack, body, view, deps.client, {DEPS: deps})
    [call] = ack.calls
    assert call["response_action"] == "errors"
    assert set(call["errors"]) == {"kudos_recipients", "kudos_reason"}
    with deps.db.read() as s:
        assert s.exec(select(Kudos)).all() == []


def test_on_undo_alone_refuses_someone_else(deps: Deps) -> None:
    ack, respond = Recorder(), Recorder()
    on_kudos(Recorder(), slash("<@UBEN|ben> for the save"), Recorder(), deps.client, {DEPS: deps})
    deps.work.shutdown(wait=True)
    with deps.db.read() as s:
        [row] = s.exec(select(Kudos)).all()
    deps = replace(deps, work=WorkQueue(threads=1))
    body = {"team": {"id": TEAM}, "user": {"id": "UBEN"}}
    on_undo(ack, body, {"value": row.batch_id}, respond, {DEPS: deps})
    deps.work.shutdown(wait=True)
    assert ack.calls == [{}]
    [reply] = respond.calls
    assert reply["body"]["replace_original"] is False
    assert "Only the person" in reply["body"]["text"]


def test_on_reaction_added_alone_ignores_other_emoji(deps: Deps) -> None:
    event = {
        "user": "UANA",
        "reaction": "tada",
        "item_user": "UBEN",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1.2"},
    }
    on_reaction_added({"team_id": TEAM}, event, deps.client, {DEPS: deps})
    event["reaction"] = "clap::skin-tone-2"
    on_reaction_added({"team_id": TEAM, "event_id": "Ev1"}, event, deps.client, {DEPS: deps})
    deps.work.shutdown(wait=True)
    with deps.db.read() as s:
        [row] = s.exec(select(Kudos)).all()
    assert (row.source, row.source_ref) == ("reaction", f"{CHANNEL}:1.2")


def test_kudos_in_one_channel_ask_slack_about_it_once_a_minute(bravo: Bravo) -> None:
    """conversations.info is Tier 3 (about 50 a minute): a busy channel must not spend it."""
    command(bravo, "<@UBEN|ben> for the refund walkthrough")
    reply(bravo)  # one after the other: two at once may both ask before either remembers
    command(bravo, "<@UCY|cy> for the calm handover")
    reply(bravo, count=2)
    asked = [c for c in bravo.slack.calls("conversations.info") if c.args["channel"] == CHANNEL]
    assert len(asked) == 1
    bravo.deliver()
    assert len(posts(bravo, CHANNEL)) == 2
