"""One Bravo, two workspaces (two tokens, two teams in one fake Slack): each request is served
for its own workspace, with its token; kudos, leaderboards, homes, settings, admin rights and
jobs stay in theirs. Workspace A is the fixture's (``TEAM``), B is added beside it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import func, select

from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.shoutouts import jobs
from bot.workspace.ids import Setting
from storage.db import Database
from storage.models import Kudos, SettingChange
from tests.bot.multi.tokens import TeamTokens
from tests.handlers.bravo_flow import FRIDAY_1600_BERLIN, deliver
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, Bravo, start_bravo
from tests.handlers.test_home import open_home
from tests.handlers.test_workspace import open_settings, state

B, TOKEN_B, B_CHANNEL = "T0BETA", "xoxb-beta", "C0BETA"
BOSS = "UBOSS"  # A's Slack admin
XI = "UXI"  # B's Slack admin


@dataclass
class Two:
    a: Bravo  # Bravo, with A's requester and fake
    b: SlackRequester  # requests signed as from B
    beta: WorkspaceHandle

    def a_reply(self, count: int) -> dict[str, Any]:
        mine = self.a.slack.wait_for("response_url", count, predicate=lambda c: c.team_id == TEAM)
        return mine[count - 1].args

    def b_reply(self, count: int) -> dict[str, Any]:
        return self.beta.wait_for("response_url", count=count)[count - 1].args

    def b_command(self, user: str, command: str, text: str) -> None:
        assert self.b.slash_command(user, command, text, channel_id=B_CHANNEL).status == 200


@pytest.fixture
def beta(slack: FakeSlack) -> WorkspaceHandle:
    ws = slack.add_workspace(B, token=TOKEN_B, bot_user_id="UBRAVOB", team_name="Beta")
    ws.add_user("UZED", "zed", tz="Europe/Berlin")
    ws.add_user("UYAN", "yan", tz="Europe/Berlin")
    ws.add_user(XI, "xi", is_admin=True)
    ws.add_channel(B_CHANNEL, "kudos", members=("UBRAVOB", "UZED", "UYAN", XI))
    return ws


@pytest.fixture
def two(slack: FakeSlack, beta: WorkspaceHandle, db: Database) -> Iterator[Two]:
    slack.add_user(BOSS, "boss", is_admin=True)
    tokens = TeamTokens({TEAM: "xoxb-sandbox", B: TOKEN_B})
    for bravo in start_bravo(slack, db, tokens=tokens):
        url = bravo.url + "/slack/events"
        yield Two(
            bravo, SlackRequester(url, SECRET, team_id=B, fake=beta, team_domain="beta"), beta
        )


def a_calls(two: Two, method: str | None = None) -> list[Any]:
    return two.a.slack.calls(method, team_id=TEAM)


def test_a_kudos_in_b_goes_with_b_s_token_and_a_sees_nothing(two: Two) -> None:
    two.b_command("UYAN", "/kudos", "<@UZED|zed> for calming an angry caller #empathy")
    assert "kudos left today" in json.dumps(two.b_reply(1))
    two.a.deliver()
    [post] = [
        c.args
        for c in two.beta.calls("chat.postMessage", ok=True)
        if c.args["channel"] == B_CHANNEL
    ]
    assert "<@UYAN> gave kudos to <@UZED>" in post["text"]
    assert a_calls(two) == []  # nothing at all was asked of A, or sent there
    with two.a.deps.db.read() as s:
        assert {k.team_id for k in s.exec(select(Kudos)).all()} == {B}
    # Leaderboards are per workspace.
    two.a.send.slash_command(
        "UANA", "/kudos", "<@UBEN|ben> for a refund #empathy", channel_id=CHANNEL
    )
    two.a_reply(1)
    two.a.send.slash_command("UANA", "/kudos", "leaderboard", channel_id=CHANNEL)
    board_a = json.dumps(two.a_reply(2))
    assert "UBEN" in board_a and "UZED" not in board_a and "UYAN" not in board_a
    two.b_command("UYAN", "/kudos", "leaderboard")
    board_b = json.dumps(two.b_reply(2))
    assert "UZED" in board_b and "UBEN" not in board_b


def test_a_s_admin_cannot_read_or_change_b_s_settings(two: Two) -> None:
    two.b_command(BOSS, "/bravo", "settings")  # A's admin, signed as from B
    assert "Only your workspace's admins" in json.dumps(two.b_reply(1))
    assert two.beta.calls("views.open") == []
    view = open_settings(two.a, BOSS)  # A's admin's own settings modal...
    forged = two.b.view_submission(BOSS, view, state(view, **{Setting.ALLOWANCE: "50"}))
    body = forged.json() or {}  # ...sent back as from workspace B
    assert body.get("response_action") == "errors"
    assert "Only your workspace's admins" in json.dumps(body["errors"])
    assert two.a.deps.config(B).kudos.daily_allowance == 5
    assert two.a.deps.config(TEAM).kudos.daily_allowance == 5
    with two.a.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(SettingChange)).one() == 0
    # B's own admin changes B's, and only B's.
    two.b_command(XI, "/bravo", "settings")
    own = two.beta.wait_for("views.open")[0].args["view"]
    own = json.loads(own) if isinstance(own, str) else own
    saved = two.b.view_submission(XI, own, state(own, **{Setting.ALLOWANCE: "7"}))
    assert saved.status == 200 and not (saved.json() or {}).get("errors"), saved.body
    assert two.a.deps.config(B).kudos.daily_allowance == 7
    assert two.a.deps.config(TEAM).kudos.daily_allowance == 5


def test_a_home_is_published_in_its_own_workspace_with_its_own_kudos(two: Two) -> None:
    two.b_command("UYAN", "/kudos", "<@UZED|zed> for a calm voice #empathy")
    two.b_reply(1)
    open_home(two.a, "UANA")  # A's home first: nothing of B in it
    home_a = two.a.slack.wait_for("views.publish")[0]
    assert home_a.team_id == TEAM and "calm voice" not in json.dumps(home_a.args)
    home_opened = {"type": "app_home_opened", "user": "UZED", "channel": "D0HOME", "tab": "home"}
    assert two.b.event(home_opened).status == 200
    [home_b] = two.beta.wait_for("views.publish")
    assert home_b.args["user_id"] == "UZED" and "calm voice" in json.dumps(home_b.args)
    assert [c.args["user_id"] for c in a_calls(two, "views.publish")] == ["UANA"]


def test_the_weekly_shout_out_goes_to_each_workspace_with_its_token(two: Two) -> None:
    on = "shoutouts on friday 16:00 Europe/Berlin"
    two.a.send.slash_command("UANA", "/bravo", on, channel_id=CHANNEL)
    two.a_reply(1)
    two.b_command("UYAN", "/bravo", on)
    two.b_reply(1)
    two.a.send.slash_command(
        "UANA", "/kudos", "<@UBEN|ben> for a refund #empathy", channel_id=CHANNEL
    )
    two.a_reply(2)
    two.b_command("UYAN", "/kudos", "<@UZED|zed> for a calm voice #empathy")
    two.b_reply(2)
    assert jobs.run_shoutouts(two.a.deps, FRIDAY_1600_BERLIN) == {"sent": 2}
    deliver(two.a)
    weekly = "This week in the team"
    [post_a] = [c for c in a_calls(two, "chat.postMessage") if weekly in c.args.get("text", "")]
    [post_b] = [c for c in two.beta.calls("chat.postMessage") if weekly in c.args.get("text", "")]
    assert post_a.ok and post_a.args["channel"] == CHANNEL
    assert post_b.ok and post_b.args["channel"] == B_CHANNEL
    assert "UZED" not in json.dumps(post_a.args) and "UBEN" not in json.dumps(post_b.args)
    # Charts, when drawn, are uploaded in their own workspace, with its token.
    assert all(f["channels"] == [B_CHANNEL] for f in two.beta.files())
    assert all(f["channels"] == [CHANNEL] for f in two.a.slack.files())


def test_a_workspace_without_a_token_is_refused_and_nothing_is_stored(two: Two) -> None:
    url = two.a.url + "/slack/events"
    stranger = SlackRequester(url, SECRET, team_id="T0NOBODY", fake=two.a.slack)
    text = "<@UANA|ana> for nothing"
    result = stranger.slash_command("UNOBODY", "/kudos", text, channel_id=CHANNEL)
    assert result.status == 200
    [refusal] = two.a.slack.wait_for("response_url")
    assert "install" in refusal.args["text"].lower()
    with two.a.deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(Kudos)).one() == 0
    assert [c.method for c in two.a.slack.calls()] == ["response_url"]  # no Web API call


def test_an_export_holds_its_own_workspace_s_data_and_goes_there(two: Two) -> None:
    two.b_command("UYAN", "/kudos", "<@UZED|zed> for a calm voice #empathy")
    two.b_reply(1)
    text = "<@UBEN|ben> for a refund #empathy"
    two.a.send.slash_command("UANA", "/kudos", text, channel_id=CHANNEL)
    two.a_reply(1)
    two.b_command("UZED", "/bravo", "export")
    assert "on its way" in json.dumps(two.b_reply(2))
    deadline = time.monotonic() + 5
    while len(two.beta.files()) < 2 and time.monotonic() < deadline:
        two.a.deliver()
        time.sleep(0.05)
    files = {f["name"]: f for f in two.beta.files()}
    assert set(files) == {"bravo-export.json", "bravo-kudos.csv"}
    assert {c for f in files.values() for c in f["channels"]} == {two.beta.dm_channel("UZED")}
    content = files["bravo-export.json"]["content"].decode()
    assert "calm voice" in content and "refund" not in content and "UBEN" not in content
    assert two.a.slack.files() == []


def test_a_suggestion_box_is_per_workspace(two: Two) -> None:
    two.a.send.slash_command(BOSS, "/suggest", "setup", channel_id=CHANNEL)
    assert "Done" in two.a_reply(1)["text"]  # A's box, set up by A's admin
    two.b_command("UYAN", "/suggest", "Quiet hours on Friday afternoons")
    assert "isn't set up yet" in two.b_reply(1)["text"]  # A's box is not B's
    two.b_command(BOSS, "/suggest", "setup")  # A's admin, signed as from B
    assert "Only workspace admins" in two.b_reply(2)["text"]
    two.b_command(XI, "/suggest", "setup")
    assert "Done" in two.b_reply(3)["text"]
    two.b_command("UYAN", "/suggest", "Quiet hours on Friday afternoons")
    preview = two.b_reply(4)
    [actions] = [b for b in preview["blocks"] if b["type"] == "actions"]
    [button] = [e for e in actions["elements"] if e["action_id"] == "suggest_post"]
    two.b.block_action("UYAN", "suggest_post", button["value"], channel_id=B_CHANNEL)
    two.b_reply(5)
    two.a.deliver()
    [post] = [
        c
        for c in two.beta.calls("chat.postMessage", ok=True)
        if "New anonymous suggestion" in c.args.get("text", "")
    ]
    assert post.args["channel"] == B_CHANNEL
    assert not [c for c in a_calls(two, "chat.postMessage") if "Quiet hours" in json.dumps(c.args)]


def test_the_job_skips_a_workspace_whose_token_is_gone_and_serves_the_other(
    two: Two, caplog: pytest.LogCaptureFixture
) -> None:
    on = "shoutouts on friday 16:00 Europe/Berlin"
    two.a.send.slash_command("UANA", "/bravo", on, channel_id=CHANNEL)
    two.a_reply(1)
    two.b_command("UYAN", "/bravo", on)
    two.b_reply(1)
    tokens = two.a.deps.tokens
    assert isinstance(tokens, TeamTokens)
    del tokens.tokens[B]  # B uninstalled Bravo (its installation is gone)
    with caplog.at_level(logging.INFO):
        counts = jobs.run_shoutouts(two.a.deps, FRIDAY_1600_BERLIN)
    assert counts == {"sent": 1, "not_installed": 1}
    skipped = [r for r in caplog.records if B in r.getMessage()]
    assert len(skipped) == 1 and "not installed" in skipped[0].getMessage()
    deliver(two.a)
    assert [c.args["channel"] for c in a_calls(two, "chat.postMessage")] == [CHANNEL]
    assert two.beta.calls("chat.postMessage") == []
