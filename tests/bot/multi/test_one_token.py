"""One token (``SLACK_BOT_TOKEN``, self-hosting): Bravo serves the token's own workspace only. A
request signed with the secret but from another workspace is refused before anything reads it:
the person gets an ephemeral answer, an event one log line, and nothing is stored or sent."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from handlers.authorize import OTHER_WORKSPACE, UNCHECKED, OneTeam
from storage.db import Database
from tests.db_scan import where_found
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, Bravo, people_and_channels, start_bravo

ELSE = "T0ELSEWHERE"


@pytest.fixture
def bravo(db: Database) -> Iterator[Bravo]:
    with FakeSlack(team_id=TEAM, bot_user_id="UBRAVO") as fake:
        yield from start_bravo(people_and_channels(fake), db)


def stranger(bravo: Bravo) -> SlackRequester:
    """Requests signed with Bravo's secret, from a workspace the token is not for."""
    return SlackRequester(bravo.url + "/slack/events", SECRET, team_id=ELSE, fake=bravo.slack)


def served(bravo: Bravo) -> list[str]:
    """What Bravo asked of Slack, apart from learning its token's workspace."""
    return [c.method for c in bravo.slack.calls() if c.method != "auth.test"]


def test_a_command_and_a_button_from_another_workspace_are_refused_and_nothing_is_stored(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    other = stranger(bravo)
    with caplog.at_level(logging.INFO, logger="handlers.authorize"):
        text = "<@UBEN|ben> for calming an angry caller #empathy"
        assert other.slash_command("UANA", "/kudos", text, channel_id=CHANNEL).status == 200
        [refusal] = bravo.slack.wait_for("response_url")
        message = {"type": "message", "ts": "1732350000.000100", "text": "hi", "blocks": []}
        clicked = other.block_action("UANA", "kudos_undo", "1", channel_id=CHANNEL, message=message)
        assert clicked.status == 200
        refusals = bravo.slack.wait_for("response_url", count=2)
    assert refusal.args["text"] == OTHER_WORKSPACE
    assert refusal.args.get("response_type") == "ephemeral"
    assert [r.args["text"] for r in refusals] == [OTHER_WORKSPACE] * 2
    assert where_found(bravo.deps.db, ELSE) == []
    assert where_found(bravo.deps.db, "UBEN") == []  # no kudos, no profile, no outbox row
    assert served(bravo) == ["response_url"] * 2
    lines = [r.getMessage() for r in caplog.records if ELSE in r.getMessage()]
    assert len(lines) == 2 and all(TEAM in line for line in lines)


def test_an_event_from_another_workspace_is_ignored_with_one_log_line(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    other = stranger(bravo)
    reaction = {
        "type": "reaction_added",
        "user": "UANA",
        "reaction": "clap",
        "item_user": "UBEN",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1732350000.000100"},
    }
    with caplog.at_level(logging.INFO):
        assert other.event(reaction).status == 200
        assert other.event({"type": "app_uninstalled"}).status == 200  # not this one's to say
    mine = [r.getMessage() for r in caplog.records if ELSE in r.getMessage()]
    assert len(mine) == 2 and "reaction_added" in mine[0] and "app_uninstalled" in mine[1]
    assert where_found(bravo.deps.db, ELSE) == []
    assert not bravo.deps.config(TEAM).uninstalled
    assert served(bravo) == []


def test_the_token_s_own_workspace_is_served_and_its_workspace_asked_once(bravo: Bravo) -> None:
    other = stranger(bravo)
    other.slash_command("UANA", "/kudos", "<@UBEN|ben> for a calm call", channel_id=CHANNEL)
    bravo.slack.wait_for("response_url")
    for n in (2, 3):
        text = f"<@UBEN|ben> for calm call number {n} #empathy"
        assert bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL).status == 200
        reply = bravo.slack.wait_for("response_url", count=n)[n - 1]
        assert "kudos left today" in json.dumps(reply.args)
    assert len(bravo.slack.calls("auth.test")) <= 2  # Bolt's check of the token, and ours
    assert where_found(bravo.deps.db, ELSE) == []


def test_while_slack_cannot_say_whose_the_token_is_requests_are_refused_then_served(
    bravo: Bravo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OneTeam, "RETRY_AFTER", 0.0)
    bravo.slack.fail_next("auth.test", status=500, times=2)  # the client retries once
    text = "<@UBEN|ben> for a calm call #empathy"
    assert bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL).status == 200
    [refusal] = bravo.slack.wait_for("response_url")
    assert refusal.args["text"] == UNCHECKED  # never served unchecked
    assert where_found(bravo.deps.db, "UBEN") == []
    assert bravo.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL).status == 200
    served_now = bravo.slack.wait_for("response_url", count=2)[1]
    assert "kudos left today" in json.dumps(served_now.args)
