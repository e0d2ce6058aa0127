"""Admins hide a posted suggestion (deleted from the channel, gone from "you said, we did", the
reason kept for admins); nobody else can. ``/suggest setup`` twice announces once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.sandbox.server import FakeSlack
from bot.suggestions import service as suggestions
from storage.db import Database
from storage.models import Suggestion
from tests.handlers.conftest import CHANNEL, Bravo, start_bravo
from tests.handlers.test_suggestions import ADMIN, AUTHOR, IDEA, T, post_it, posted, suggest


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user("UDEV", "dev")
    yield from start_bravo(slack, db)


def announced(bravo: Bravo) -> list[Any]:
    bravo.deliver()
    return [c for c in bravo.slack.calls("chat.postMessage") if "suggestion box" in c.args["text"]]


def test_setup_twice_in_the_same_channel_announces_once(bravo: Bravo) -> None:
    assert "Done" in suggest(bravo, ADMIN, "setup").args["text"]
    again = suggest(bravo, ADMIN, "setup").args["text"]
    assert "already set up here" in again and "Done" not in again
    assert len(announced(bravo)) == 1


def the_post(bravo: Bravo) -> tuple[Any, Suggestion]:
    assert "Done" in suggest(bravo, ADMIN, "setup").args["text"]
    post_it(bravo, AUTHOR, IDEA)
    bravo.deliver()
    [post] = posted(bravo)
    with bravo.deps.db.read() as s:
        row = s.exec(select(Suggestion)).one()
    return post, row


def hide_button(post: Any) -> dict[str, Any]:
    [actions] = [b for b in post.args["blocks"] if b["type"] == "actions"]
    [button] = [e for e in actions["elements"] if e["action_id"] == "suggestion_hide"]
    return button


def reason(words: str) -> dict[str, Any]:
    return {"hide_reason": {"input": {"type": "plain_text_input", "value": words}}}


def test_an_admin_hides_a_suggestion_everywhere_and_the_reason_is_kept(bravo: Bravo) -> None:
    post, row = the_post(bravo)
    button = hide_button(post)
    assert button["value"] == str(row.id)  # the suggestion's id, nothing about its author
    assert AUTHOR not in json.dumps(post.args)
    # Marked done first: it would be in "you said, we did".
    bravo.send.block_action(ADMIN, "suggestion_done", str(row.id), channel_id=CHANNEL)
    done_view = bravo.slack.wait_for("views.open")[-1].args["view"]
    note = {"done_note": {"input": {"type": "plain_text_input", "value": "Quiet Fridays"}}}
    assert (bravo.send.view_submission(ADMIN, done_view, note).json() or {}) == {}
    bravo.send.block_action(ADMIN, "suggestion_hide", button["value"], channel_id=CHANNEL)
    view = bravo.slack.wait_for("views.open", 2)[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "suggestion_hide_modal"
    empty = bravo.send.view_submission(ADMIN, view, reason("  ")).json() or {}
    assert "Say why" in empty["errors"]["hide_reason"]
    assert (bravo.send.view_submission(ADMIN, view, reason("Names a <@UDEV>")).json() or {}) == {}
    assert (bravo.send.view_submission(ADMIN, view, reason("again")).json() or {}) == {}
    bravo.deliver()
    bravo.clock.at += timedelta(minutes=1)  # the channel's pace held it back after the done reply
    bravo.deliver()
    [deleted] = bravo.slack.calls("chat.delete", ok=True)  # once, though hidden twice
    assert deleted.args["ts"] == post.response["ts"] and deleted.args["channel"] == CHANNEL
    with bravo.deps.db.read() as s:
        hidden = s.exec(select(Suggestion)).one()
        today = bravo.clock().date()
        week = suggestions.done_between(
            s, team_id=T, since=today - timedelta(days=6), until=today + timedelta(days=1)
        )
    assert (hidden.hidden_by, hidden.hidden_reason) == (ADMIN, "Names a &lt;@UDEV&gt;")
    assert hidden.hidden_at is not None
    assert week == []  # not in "you said, we did"
    before = len(bravo.slack.calls("response_url"))
    bravo.send.block_action(ADMIN, "suggestion_done", str(row.id), channel_id=CHANNEL)
    gone = bravo.slack.wait_for("response_url", before + 1)[-1]
    assert "can't find that suggestion" in gone.args["text"]


def test_nobody_else_can_hide_a_suggestion(bravo: Bravo) -> None:
    _, row = the_post(bravo)
    before = len(bravo.slack.calls("response_url"))
    bravo.send.block_action(AUTHOR, "suggestion_hide", str(row.id), channel_id=CHANNEL)
    refused = bravo.slack.wait_for("response_url", before + 1)[-1]
    assert "Only workspace admins" in refused.args["text"]
    assert not bravo.slack.calls("views.open")
    bravo.send.block_action(ADMIN, "suggestion_hide", str(row.id), channel_id=CHANNEL)
    view = bravo.slack.wait_for("views.open")[-1].args["view"]
    forged = bravo.send.view_submission(AUTHOR, view, reason("mine")).json() or {}
    assert "Only workspace admins" in forged["errors"]["hide_reason"]
    bravo.deliver()
    assert not bravo.slack.calls("chat.delete")
    with bravo.deps.db.read() as s:
        assert s.exec(select(Suggestion)).one().hidden_at is None
