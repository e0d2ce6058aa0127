"""The anonymous suggestion box end to end, and proof that nothing Bravo keeps (database or
logs) links a suggestion to its author."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.deps import Deps
from bot.sandbox.server import Call, FakeSlack
from bot.suggestions import jobs
from bot.suggestions import service as suggestions
from handlers.suggestions import on_suggest, on_suggest_modal
from storage.db import Database
from storage.models import OutboxRow, Suggestion, SuggestionBox, SuggestionQuota
from tests.db_scan import every_value
from tests.handlers.conftest import (
    CHANNEL,
    NO_BOT_CHANNEL,
    Bravo,
    Recorder,
    deps_alone,
    start_bravo,
)

T = "T0SANDBOX"
ADMIN, AUTHOR = "UADMIN", "UANA"
IDEA = "Quiet hours on Friday afternoons, so we can finish tickets"


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    """Five people and an admin: big enough that anonymity is not weak."""
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user("UDEV", "dev")
    yield from start_bravo(slack, db)


@pytest.fixture
def small(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    """Ana, Ben and Cy (and bots, and a departed account): three people."""
    yield from start_bravo(slack, db, {"BRAVO_ADMINS": "UBEN"})


def suggest(bravo: Bravo, user: str, words: str, channel: str = CHANNEL) -> Call:
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command(user, "/suggest", words, channel_id=channel)
    return bravo.slack.wait_for("response_url", before + 1)[-1]


def press(bravo: Bravo, user: str, shown: Call, action_id: str) -> Call:
    """``user`` presses one of the buttons of an ephemeral message (a preview)."""
    [actions] = [b for b in shown.args["blocks"] if b["type"] == "actions"]
    [button] = [e for e in actions["elements"] if e["action_id"] == action_id]
    before = len(bravo.slack.calls("response_url"))
    bravo.send.block_action(user, action_id, button["value"], channel_id=CHANNEL)
    return bravo.slack.wait_for("response_url", before + 1)[-1]


def post_it(bravo: Bravo, user: str, words: str) -> Call:
    """``/suggest words``, then **Post anonymously** on the preview: the answer to the click."""
    shown = suggest(bravo, user, words)
    assert "nothing is posted yet" in shown.args["text"], shown.args["text"]
    return press(bravo, user, shown, "suggest_post")


def setup_box(bravo: Bravo, admin: str = ADMIN) -> None:
    assert "Done" in suggest(bravo, admin, "setup").args["text"]


def posted(bravo: Bravo) -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if "New anonymous suggestion" in c.args.get("text", "")
    ]


def test_a_suggestion_leaves_no_trace_of_its_author(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    setup_box(bravo)
    caplog.set_level(logging.DEBUG)
    reply = post_it(bravo, AUTHOR, IDEA)
    assert "Posted anonymously" in reply.args["text"]
    bravo.deliver()
    [post] = posted(bravo)
    assert post.args["channel"] == CHANNEL and IDEA in json.dumps(post.args["blocks"])
    assert "user" not in post.args and "username" not in post.args  # posted by the bot
    # The database: the author's id appears nowhere, in any table or column.
    hits = [(t, c) for t, c, v in every_value(bravo.deps.db) if AUTHOR in str(v)]
    assert hits == []
    with bravo.deps.db.read() as s:
        [row] = s.exec(select(Suggestion)).all()
        [quota] = s.exec(select(SuggestionQuota)).all()
        out = s.exec(select(OutboxRow).where(OutboxRow.kind == "suggestion_post")).one()
    assert row.day == bravo.clock().date()  # the day only, no time of day
    assert set(Suggestion.model_fields) == {
        "id",
        "team_id",
        "text",
        "day",
        "channel_id",
        "status",
        "done_note",
        "done_on",
        "outbox_id",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    }
    assert set(SuggestionQuota.model_fields) == {"key", "day", "used"}  # no id, no time
    assert quota.key != AUTHOR and len(quota.key) == 64 and quota.used == 1
    assert out.notify_user is None
    if bravo.deps.db.dialect == "sqlite":  # stored in key order, not in the order of arrival
        with bravo.deps.db.engine.connect() as conn:
            ddl = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'suggestion_quota'")
            ).scalar_one()
        assert "WITHOUT ROWID" in ddl
    # The logs, at DEBUG, never carry the author together with the text.
    both = [r.getMessage() for r in caplog.records if AUTHOR in r.getMessage()]
    assert not [m for m in both if IDEA[:20] in m]


def test_the_modal_posts_too_and_the_daily_limit_holds(bravo: Bravo) -> None:
    setup_box(bravo)
    bravo.send.slash_command(AUTHOR, "/suggest", "", channel_id=CHANNEL)
    view = bravo.slack.wait_for("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert "anonymity is weak" not in json.dumps(view["blocks"])

    def send(words: str) -> dict[str, Any]:
        values = {"suggest_text": {"input": {"type": "plain_text_input", "value": words}}}
        return bravo.send.view_submission(AUTHOR, view, values).json() or {}

    assert "Write your suggestion" in send("   ")["errors"]["suggest_text"]
    assert "under 1500" in send("x" * 1501)["errors"]["suggest_text"]
    assert send("Idea <b>one</b> <!here>") == {}
    assert "Posted" in post_it(bravo, AUTHOR, "Idea two").args["text"]
    assert "Posted" in post_it(bravo, AUTHOR, "Idea three").args["text"]
    assert "today's limit of 3" in post_it(bravo, AUTHOR, "Idea four").args["text"]
    assert "today's limit of 3" in send("Idea four")["errors"]["suggest_text"]
    assert "Posted" in post_it(bravo, "UBEN", "Someone else's idea").args["text"]
    bravo.deliver()
    first = json.dumps(posted(bravo)[0].args["blocks"])
    assert "&lt;b&gt;one&lt;/b&gt; &lt;!here&gt;" in first and "<!here>" not in first
    with bravo.deps.db.read() as s:
        assert len(s.exec(select(Suggestion)).all()) == 4
    # Tomorrow the count starts again, and yesterday's counts are deleted.
    bravo.clock.at += timedelta(days=1)
    assert jobs.forget_suggestion_counts(bravo.deps, bravo.clock())["forgotten"] == 2
    assert "Posted" in post_it(bravo, AUTHOR, "Idea four").args["text"]


def test_nothing_is_posted_or_counted_before_an_admin_sets_up_the_box(bravo: Bravo) -> None:
    assert "isn't set up yet" in suggest(bravo, AUTHOR, IDEA).args["text"]
    assert "Only workspace admins" in suggest(bravo, AUTHOR, "setup").args["text"]
    assert "(not a DM)" in suggest(bravo, ADMIN, "setup", channel="D0SOMEDM").args["text"]
    assert "/invite @Bravo" in suggest(bravo, ADMIN, "setup", channel=NO_BOT_CHANNEL).args["text"]
    with bravo.deps.db.read() as s:
        assert s.exec(select(SuggestionBox)).all() == []
        assert s.exec(select(SuggestionQuota)).all() == []
        assert s.exec(select(Suggestion)).all() == []
    setup_box(bravo)
    bravo.deliver()
    assert any(
        "suggestion box" in c.args.get("text", "") for c in bravo.slack.calls("chat.postMessage")
    )


def test_a_small_workspace_is_warned_in_the_preview(small: Bravo) -> None:
    bravo = small
    setup_box(bravo, admin="UBEN")
    shown = suggest(bravo, AUTHOR, IDEA)
    assert "only 3 people, so anonymity is weak" in json.dumps(shown.args["blocks"])
    assert posted(bravo) == []
    with bravo.deps.db.read() as s:
        assert s.exec(select(Suggestion)).all() == []
    assert "Posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    bravo.deliver()
    assert len(posted(bravo)) == 1
    bravo.send.slash_command(AUTHOR, "/suggest", "", channel_id=CHANNEL)
    view = bravo.slack.wait_for("views.open")[-1].args["view"]
    assert "anonymity is weak" in json.dumps(view)


def test_admins_mark_a_suggestion_done_for_you_said_we_did(bravo: Bravo) -> None:
    setup_box(bravo)
    post_it(bravo, AUTHOR, IDEA)
    bravo.deliver()
    [post] = posted(bravo)
    with bravo.deps.db.read() as s:
        row = s.exec(select(Suggestion)).one()
    before = len(bravo.slack.calls("response_url"))
    bravo.send.block_action(AUTHOR, "suggestion_done", str(row.id), channel_id=CHANNEL)
    refused = bravo.slack.wait_for("response_url", before + 1)[-1]
    assert "Only workspace admins" in refused.args["text"]
    assert not bravo.slack.calls("views.open")
    bravo.send.block_action(ADMIN, "suggestion_done", str(row.id), channel_id=CHANNEL)
    view = bravo.slack.wait_for("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    note = {"done_note": {"input": {"type": "plain_text_input", "value": "Fridays 14-17 <quiet>"}}}
    forged = bravo.send.view_submission(AUTHOR, view, note).json() or {}
    assert "Only workspace admins" in forged["errors"]["done_note"]
    assert (bravo.send.view_submission(ADMIN, view, note).json() or {}) == {}
    bravo.deliver()
    [reply] = [c for c in bravo.slack.calls("chat.postMessage") if "Done:" in c.args["text"]]
    assert reply.args["thread_ts"] == post.response["ts"]
    assert "&lt;quiet&gt;" in reply.args["text"]
    [edit] = bravo.slack.calls("chat.update", ok=True)
    assert "done" in edit.args["text"] and edit.args["ts"] == post.response["ts"]
    today = bravo.clock().date()
    with bravo.deps.db.read() as s:
        [done] = suggestions.done_between(
            s, team_id=T, since=today - timedelta(days=6), until=today + timedelta(days=1)
        )
        assert suggestions.done_between(s, team_id="TOTHER", since=today, until=today) == []
        assert suggestions.done_between(s, team_id=T, since=date(2020, 1, 1), until=today) == []
    assert (done.suggestion, done.what_we_did, done.done_on) == (
        IDEA,
        "Fridays 14-17 &lt;quiet&gt;",
        today,
    )


# Listeners alone --------------------------------------------------------------------------------


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    """What the composition root builds, without an app: listeners are called directly."""
    yield from deps_alone(slack, db)


def test_the_command_listener_answers_help_alone(deps: Deps) -> None:
    ack, respond = Recorder(), Recorder()
    command = {"team_id": T, "user_id": AUTHOR, "text": "help", "trigger_id": "1.2"}
    on_suggest(
        ack=ack, command=command, respond=respond, client=deps.client, context={"bravo_deps": deps}
    )
    assert ack.calls == [((), {})]
    [((reply,), _)] = respond.calls
    assert "/suggest setup" in reply["text"] and reply["response_type"] == "ephemeral"


def test_the_form_listener_posts_alone(deps: Deps) -> None:
    with deps.db.write() as s:
        s.add(SuggestionBox(team_id=T, channel_id=CHANNEL, set_by=ADMIN, set_at=deps.clock()))
    body = {"team": {"id": T}, "user": {"id": AUTHOR}}

    def view(words: str) -> dict[str, Any]:
        return {"state": {"values": {"suggest_text": {"input": {"value": words}}}}}

    empty, sent = Recorder(), Recorder()
    on_suggest_modal(ack=empty, body=body, view=view("  "), context={"bravo_deps": deps})
    assert empty.calls == [
        ((), {"response_action": "errors", "errors": {"suggest_text": "Write your suggestion."}})
    ]
    on_suggest_modal(ack=sent, body=body, view=view(IDEA), context={"bravo_deps": deps})
    assert sent.calls == [((), {})]
    with deps.db.read() as s:
        [row] = s.exec(select(Suggestion)).all()
        post = s.exec(select(OutboxRow)).one()
    assert (row.text, row.channel_id, post.kind) == (IDEA, CHANNEL, "suggestion_post")
