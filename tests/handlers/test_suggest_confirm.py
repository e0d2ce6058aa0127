"""``/suggest text`` is previewed to its author alone and posted only when they press **Post
anonymously**: once, by them, with the day's count taken only when it is posted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.sandbox.server import FakeSlack
from bot.suggestions import jobs
from storage.db import Database
from storage.models import Suggestion, SuggestionDraft, SuggestionQuota
from tests.handlers.conftest import Bravo, start_bravo
from tests.handlers.test_suggestions import (
    ADMIN,
    AUTHOR,
    IDEA,
    posted,
    press,
    setup_box,
    suggest,
)


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.add_user(ADMIN, "ada", is_admin=True)
    slack.add_user("UDEV", "dev")
    yield from start_bravo(slack, db)


def rows(bravo: Bravo, model: Any) -> list[Any]:
    with bravo.deps.db.read() as s:
        return list(s.exec(select(model)).all())


def nothing_posted_or_counted(bravo: Bravo) -> None:
    bravo.deliver()
    assert posted(bravo) == []
    assert rows(bravo, Suggestion) == [] and rows(bravo, SuggestionQuota) == []


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("setpu", "Did you mean `/suggest setup`?"),
        ("list", "`/suggest list` is not a command"),
        ("stats", "`/suggest stats` is not a command"),
    ],
)
def test_a_command_typed_by_mistake_is_answered_not_posted(
    bravo: Bravo, typed: str, answer: str
) -> None:
    setup_box(bravo)
    reply = suggest(bravo, AUTHOR, typed)
    assert answer in reply.args["text"]
    assert "actions" not in json.dumps(reply.args.get("blocks"))
    nothing_posted_or_counted(bravo)


def test_the_preview_is_the_authors_alone_and_a_double_click_posts_once(bravo: Bravo) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, IDEA + " <!channel> <@UDEV|dev>")
    assert shown.args["response_type"] == "ephemeral"
    assert "nothing is posted yet" in shown.args["text"]
    assert AUTHOR not in json.dumps(shown.args)  # the buttons carry a keyed tag, not the id
    assert "<!channel>" not in json.dumps(shown.args["blocks"])
    nothing_posted_or_counted(bravo)
    assert "Posted anonymously" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    assert "already posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    bravo.deliver()
    [post] = posted(bravo)
    body = json.dumps(post.args)
    assert "<!channel>" not in body and "<@UDEV" not in body and "@dev" in body
    assert AUTHOR not in body
    [quota] = rows(bravo, SuggestionQuota)
    assert quota.used == 1
    [draft] = rows(bravo, SuggestionDraft)
    assert (draft.outcome, draft.text) == ("posted", "")


def test_only_the_author_can_press_the_buttons(bravo: Bravo) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, IDEA)
    for action in ("suggest_post", "suggest_cancel", "suggest_edit"):
        refused = press(bravo, "UDEV", shown, action)
        assert "Only the person who wrote this suggestion" in refused.args["text"]
    assert not bravo.slack.calls("views.open")
    nothing_posted_or_counted(bravo)
    assert "Posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]


def test_cancel_posts_nothing_then_or_later(bravo: Bravo) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, IDEA)
    cancelled = press(bravo, AUTHOR, shown, "suggest_cancel")
    assert cancelled.args["text"] == "Cancelled: nothing was posted."
    assert cancelled.args.get("replace_original") is True
    assert (
        "You cancelled that suggestion" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    )
    nothing_posted_or_counted(bravo)


def test_edit_opens_the_form_filled_in_and_posting_from_it_settles_the_preview(
    bravo: Bravo,
) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, "More snacks &amp; fruit")
    editing = press(bravo, AUTHOR, shown, "suggest_edit")
    assert "nothing is posted until" in editing.args["text"]
    view = bravo.slack.wait_for("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == "More snacks & fruit"
    nothing_posted_or_counted(bravo)
    values = {"suggest_text": {"input": {"type": "plain_text_input", "value": "More fruit"}}}
    assert (bravo.send.view_submission(AUTHOR, view, values).json() or {}) == {}
    assert "already posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    bravo.deliver()
    [post] = posted(bravo)
    assert "More fruit" in json.dumps(post.args["blocks"])
    assert rows(bravo, SuggestionQuota)[0].used == 1


def test_a_draft_too_long_for_a_button_waits_in_the_database(bravo: Bravo) -> None:
    setup_box(bravo)
    long = "Fish &amp; chips &lt;3&gt; " * 80  # 1,360 characters to read, 2,160 escaped
    shown = suggest(bravo, AUTHOR, long + "on Fridays &amp; more")
    [actions] = [b for b in shown.args["blocks"] if b["type"] == "actions"]
    value = actions["elements"][0]["value"]
    assert len(value) <= 2000 and "Fish" not in value
    [waiting] = rows(bravo, SuggestionDraft)
    assert waiting.outcome == "pending" and "Fish" in waiting.text
    assert "Posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    assert "already posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    bravo.deliver()
    [post] = posted(bravo)
    assert "on Fridays" in json.dumps(post.args["blocks"])
    [done] = rows(bravo, SuggestionDraft)
    assert (done.outcome, done.text) == ("posted", "")


def refuse_suggestions(db: Database, on: bool) -> None:
    """A real failure while posting: the database refuses the suggestion row."""
    with db.engine.begin() as conn:
        if db.dialect == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS refuse"))
            if on:
                conn.execute(
                    text(
                        "CREATE TRIGGER refuse BEFORE INSERT ON suggestion "
                        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                    )
                )
            return
        conn.execute(text("DROP TRIGGER IF EXISTS refuse ON suggestion"))
        if on:
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION refuse() RETURNS trigger AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON suggestion "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )


def test_a_failure_while_posting_leaves_no_used_up_count(bravo: Bravo) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, IDEA)
    refuse_suggestions(bravo.deps.db, on=True)
    sorry = press(bravo, AUTHOR, shown, "suggest_post")
    assert "Posted" not in sorry.args["text"]
    assert rows(bravo, SuggestionQuota) == [] and rows(bravo, SuggestionDraft) == []
    refuse_suggestions(bravo.deps.db, on=False)
    assert "Posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    assert rows(bravo, SuggestionQuota)[0].used == 1


def test_an_old_preview_expires_once_its_outcome_may_be_forgotten(bravo: Bravo) -> None:
    setup_box(bravo)
    shown = suggest(bravo, AUTHOR, IDEA)
    assert "Posted" in press(bravo, AUTHOR, shown, "suggest_post").args["text"]
    bravo.clock.at += timedelta(days=2)
    jobs.forget_suggestion_counts(bravo.deps, bravo.clock())
    assert rows(bravo, SuggestionDraft) == []  # the outcome is forgotten...
    again = press(bravo, AUTHOR, shown, "suggest_post")
    assert "That preview has expired" in again.args["text"]  # ...so the buttons are refused
    bravo.deliver()
    assert len(posted(bravo)) == 1
