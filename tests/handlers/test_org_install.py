"""Enterprise Grid (issue 13): one org-wide install serves every workspace of the organisation.

The fake hosts two workspaces, A (``TEAM``) and B, made one organisation whose org-wide install
has one bot token. Bravo is installed by OAuth with the org-wide code, and knows no other token:
whatever reaches either workspace went with the organisation's. Each workspace's data and
settings stay its own; a job sends to each; uninstalling the organisation stops both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.shoutouts import jobs
from storage.db import Database
from storage.models import Installation, Kudos, OrgWorkspace
from tests.handlers.bravo_flow import FRIDAY_1600_BERLIN, deliver
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, Bravo, start_bravo
from tests.handlers.test_oauth import OAUTH_ENV, redirect, start_install

B, B_CHANNEL = "T0BETA", "C0BETA"
ORG, ORG_TOKEN = "E0GRID", "xoxb-org-grid"


@dataclass
class Org:
    bravo: Bravo
    a: SlackRequester  # requests from A, as an org-wide app's come
    b: SlackRequester  # from B
    beta: WorkspaceHandle

    def command(self, who: SlackRequester, user: str, command: str, text: str) -> None:
        channel = CHANNEL if who is self.a else B_CHANNEL
        assert who.slash_command(user, command, text, channel_id=channel).status == 200

    def replies(self, team: str, count: int) -> list[dict[str, Any]]:
        slack = self.bravo.slack
        mine = slack.wait_for("response_url", count, predicate=lambda c: c.team_id == team)
        return [c.args for c in mine]


@pytest.fixture
def org(slack: FakeSlack, db: Database) -> Iterator[Org]:
    beta = slack.add_workspace(B, token="xoxb-beta-own", bot_user_id="UBRAVOB", team_name="Beta")
    beta.add_user("UZED", "zed", tz="Europe/Berlin")
    beta.add_user("UYAN", "yan", tz="Europe/Berlin")
    beta.add_channel(B_CHANNEL, "kudos", members=("UBRAVOB", "UZED", "UYAN"))
    slack.make_org(ORG, token=ORG_TOKEN, team_ids=[TEAM, B])
    for bravo in start_bravo(slack, db, env=OAUTH_ENV):
        events = bravo.url + "/slack/events"
        a = SlackRequester(events, SECRET, team_id=TEAM, fake=slack, enterprise_id=ORG)
        b = SlackRequester(
            events, SECRET, team_id=B, fake=beta, team_domain="beta", enterprise_id=ORG
        )
        yield Org(bravo, a, b, beta)


def install_org(org: Org) -> None:
    state, cookie = start_install(org.bravo)
    page = redirect(org.bravo, state, cookie, org.bravo.slack.new_oauth_code(org=True))
    assert page.status == 200, page.body


def test_an_org_wide_install_is_stored_once_and_knows_its_workspaces(org: Org) -> None:
    install_org(org)
    with org.bravo.deps.db.read() as s:
        [row] = s.exec(select(Installation)).all()
        seen = {w.team_id: w.enterprise_id for w in s.exec(select(OrgWorkspace)).all()}
    assert (row.enterprise_id, row.team_id, row.is_enterprise_install) == (ORG, "", True)
    assert seen == {TEAM: ORG, B: ORG}  # from auth.teams.list, at install
    tokens = org.bravo.deps.tokens
    assert tokens.bot_token(TEAM) == tokens.bot_token(B) == ORG_TOKEN
    assert tokens.bot_token("T0ELSEWHERE") is None


def test_each_workspace_is_served_with_the_org_token_and_its_own_data(org: Org) -> None:
    install_org(org)
    org.command(org.a, "UANA", "/kudos", "<@UBEN|ben> for a refund #empathy")
    org.command(org.b, "UYAN", "/kudos", "<@UZED|zed> for a calm voice #empathy")
    assert "kudos left today" in json.dumps(org.replies(TEAM, 1)[0])
    assert "kudos left today" in json.dumps(org.replies(B, 1)[0])
    deliver(org.bravo)
    a_posts = org.bravo.slack.calls("chat.postMessage", team_id=TEAM)
    b_posts = org.beta.calls("chat.postMessage")
    assert all(c.ok for c in a_posts + b_posts)
    [post_a] = [c for c in a_posts if c.args["channel"] == CHANNEL]
    [post_b] = [c for c in b_posts if c.args["channel"] == B_CHANNEL]
    assert "<@UBEN>" in post_a.args["text"] and "<@UZED>" in post_b.args["text"]
    assert [c.args["channel"] for c in b_posts] == [B_CHANNEL, "UZED"]  # Zed's DM, in B
    assert [c.args["channel"] for c in a_posts] == [CHANNEL, "UBEN"]
    with org.bravo.deps.db.read() as s:
        by_team = {(k.team_id, k.recipient_id) for k in s.exec(select(Kudos)).all()}
    assert by_team == {(TEAM, "UBEN"), (B, "UZED")}
    org.command(org.b, "UYAN", "/kudos", "leaderboard")
    board_b = json.dumps(org.replies(B, 2)[1])
    assert "UZED" in board_b and "UBEN" not in board_b  # B's data only


def test_a_workspace_of_the_org_first_seen_at_a_request_is_then_served_to_jobs(
    org: Org,
) -> None:
    org.bravo.slack.fail_next("auth.teams.list", error="internal_error")  # install can't list
    install_org(org)
    with org.bravo.deps.db.read() as s:
        assert s.exec(select(OrgWorkspace)).all() == []
    assert org.bravo.deps.tokens.bot_token(B) is None  # a job could not reach B yet...
    org.command(org.b, "UYAN", "/kudos", "<@UZED|zed> for a calm voice")
    org.replies(B, 1)
    assert org.bravo.deps.client_for(B).token == ORG_TOKEN  # ...its first request told


def test_the_weekly_job_sends_to_each_workspace_then_uninstall_stops_both(org: Org) -> None:
    install_org(org)
    on = "shoutouts on friday 16:00 Europe/Berlin"
    org.command(org.a, "UANA", "/bravo", on)
    org.command(org.b, "UYAN", "/bravo", on)
    org.command(org.a, "UANA", "/kudos", "<@UBEN|ben> for a refund #empathy")
    org.command(org.b, "UYAN", "/kudos", "<@UZED|zed> for a calm voice #empathy")
    org.replies(TEAM, 2), org.replies(B, 2)
    assert jobs.run_shoutouts(org.bravo.deps, FRIDAY_1600_BERLIN) == {"sent": 2}
    deliver(org.bravo)
    weekly = "This week in the team"
    a_posts = org.bravo.slack.calls("chat.postMessage", ok=True, team_id=TEAM)
    assert [c.args["channel"] for c in a_posts if weekly in c.args["text"]] == [CHANNEL]
    b_posts = org.beta.calls("chat.postMessage", ok=True)
    assert [c.args["channel"] for c in b_posts if weekly in c.args["text"]] == [B_CHANNEL]
    # The organisation uninstalls Bravo: both workspaces stop.
    org.command(org.a, "UANA", "/kudos", "<@UBEN|ben> for staying late")
    org.replies(TEAM, 3)  # its announcement is queued, not yet sent
    assert org.a.event({"type": "app_uninstalled"}).status == 200
    with org.bravo.deps.db.read() as s:
        assert s.exec(select(Installation)).all() == []
    deps = org.bravo.deps
    assert deps.not_sending(TEAM) and deps.not_sending(B)
    assert deps.config(TEAM).uninstalled and deps.config(B).uninstalled
    before = len(org.bravo.slack.calls("chat.postMessage"))
    deliver(org.bravo)
    assert len(org.bravo.slack.calls("chat.postMessage")) == before  # nothing more sent
    assert jobs.run_shoutouts(deps, FRIDAY_1600_BERLIN) == {"not_installed": 2}


def test_one_workspace_leaving_the_org_install_stops_it_and_not_the_other(org: Org) -> None:
    install_org(org)
    org.command(org.b, "UYAN", "/kudos", "<@UZED|zed> for a calm voice")
    org.replies(B, 1)
    assert org.b.event({"type": "app_uninstalled_team"}).status == 200
    deps = org.bravo.deps
    assert deps.config(B).uninstalled and deps.not_sending(B) == "uninstalled"
    assert deps.not_sending(TEAM) is None  # the organisation's other workspace goes on
    with deps.db.read() as s:
        assert len(s.exec(select(Installation)).all()) == 1  # the org install stays
    org.command(org.a, "UANA", "/kudos", "<@UBEN|ben> for a refund")
    org.replies(TEAM, 1)
    deliver(org.bravo)
    assert org.bravo.slack.calls("chat.postMessage", ok=True, team_id=TEAM)
