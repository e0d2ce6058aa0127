"""Installing Bravo by OAuth, over real HTTP against the fake Slack: the Add to Slack page and
its state, the redirect exchanging the sandbox's code, the installation stored sealed, requests
served with their own workspace's token, refusals (bad, replayed or expired state; a workspace
with no installation), and uninstalling."""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.install.crypto import new_key
from bot.install.oauth import NOT_INSTALLED
from bot.sandbox.api.oauth import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from storage.db import Database
from storage.models import Installation, WorkspaceConfig
from tests.db_scan import where_found
from tests.handlers.conftest import CHANNEL, SECRET, TEAM, Bravo, start_bravo

KEY = new_key()
OAUTH_ENV = {
    "SLACK_BOT_TOKEN": "",  # no token of its own: each workspace's comes with its install
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "BRAVO_ENCRYPTION_KEY": KEY,
}


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]


def get(url: str, cookie: str | None = None) -> Page:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Page(response.status, response.read().decode(), _lower(response.headers.items()))
    except urllib.error.HTTPError as err:
        return Page(err.code, err.read().decode(), _lower(err.headers.items()))


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers}


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    slack.rotate_tokens()  # the install's token is a new one: only it opens the fake's door
    yield from start_bravo(slack, db, env=OAUTH_ENV)


def start_install(bravo: Bravo) -> tuple[str, str]:
    """Open the Add to Slack page: the state in its link, and the cookie it set."""
    page = get(bravo.url + "/slack/install")
    assert page.status == 200, page.body
    assert "Add to Slack" in page.body
    link = re.search(r"href='([^']+)' id='add-to-slack'", page.body)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith(bravo.slack.root_url + "/oauth/v2/authorize?")  # SLACK_API_URL's host
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert "chat:write" in query["scope"][0].split(",")
    cookie = page.headers["set-cookie"].split(";")[0]
    return query["state"][0], cookie


def redirect(bravo: Bravo, state: str, cookie: str, code: str | None = None) -> Page:
    code = code or bravo.slack.new_oauth_code()
    query = f"code={quote(code)}&state={quote(state)}"
    return get(f"{bravo.url}/slack/oauth_redirect?{query}", cookie)


def installations(db: Database) -> list[Installation]:
    with db.read() as s:
        return list(s.exec(select(Installation)).all())


def install(bravo: Bravo) -> Page:
    state, cookie = start_install(bravo)
    return redirect(bravo, state, cookie)


def test_the_whole_install_then_a_request_served_with_that_workspaces_token(
    bravo: Bravo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert bravo.deps.tokens.bot_token(TEAM) is None
    page = install(bravo)
    assert page.status == 200, page.body
    assert "Bravo is installed" in page.body and "Sandbox" in page.body
    assert "/kudos" in page.body  # what happens next
    token = bravo.slack.token
    assert token.startswith("xoxe.xoxb-")
    [row] = installations(bravo.deps.db)
    assert (row.team_id, row.bot_user_id, row.app_id) == (TEAM, "UBRAVO", "A0BRAVO")
    assert row.bot_token_expires_at is not None and row.bot_refresh_token_sealed
    assert where_found(bravo.deps.db, token) == []  # sealed in every column
    assert bravo.deps.tokens.bot_token(TEAM) == token
    # a signed request from that workspace: its listener calls Slack with the installed token
    result = bravo.send.slash_command("UANA", "/bravo", "forget me", channel_id=CHANNEL)
    assert result.status == 200, result.body
    opened = bravo.slack.wait_for("views.open", 1)[0]
    assert opened.response["ok"] is True
    assert token not in caplog.text  # nor in any log line of the whole flow


def test_a_state_is_used_once(bravo: Bravo) -> None:
    state, cookie = start_install(bravo)
    assert redirect(bravo, state, cookie).status == 200
    replayed = redirect(bravo, state, cookie)
    assert replayed.status == 401
    assert "already used" in replayed.body and "Nothing was stored" in replayed.body


def test_a_made_up_state_or_one_from_another_browser_is_refused(bravo: Bravo) -> None:
    state, _cookie = start_install(bravo)
    made_up = redirect(bravo, "made-up", "slack-app-oauth-state=made-up")
    assert made_up.status == 401 and "already used" in made_up.body
    elsewhere = redirect(bravo, state, "slack-app-oauth-state=other")
    assert elsewhere.status == 400 and "another browser" in elsewhere.body
    assert installations(bravo.deps.db) == []


def test_a_state_older_than_ten_minutes_is_refused(bravo: Bravo) -> None:
    state, cookie = start_install(bravo)
    bravo.clock.at += timedelta(minutes=11)
    page = redirect(bravo, state, cookie)
    assert page.status == 401 and "ten minutes" in page.body
    assert installations(bravo.deps.db) == []


def test_a_code_slack_did_not_issue_stores_nothing(bravo: Bravo) -> None:
    state, cookie = start_install(bravo)
    page = redirect(bravo, state, cookie, code="forged-code")
    assert page.status >= 400 and "Nothing was stored" in page.body
    assert installations(bravo.deps.db) == []


def test_a_workspace_with_no_installation_is_refused_and_nothing_is_stored(bravo: Bravo) -> None:
    install(bravo)
    stranger = SlackRequester(
        bravo.url + "/slack/events", SECRET, team_id="T0STRANGER", fake=bravo.slack
    )
    before = len(bravo.slack.calls())
    result = stranger.slash_command("UANA", "/kudos", "@ben for help #empathy", channel_id=CHANNEL)
    assert result.status == 200
    answer = bravo.slack.wait_for("response_url", 1)[0]
    assert answer.args["text"] == NOT_INSTALLED
    assert [c.method for c in bravo.slack.calls()[before:]] == ["response_url"]
    assert where_found(bravo.deps.db, "T0STRANGER") == []


@pytest.mark.parametrize(
    "event",
    [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"bot": ["UBRAVO"]}}],
)
def test_uninstalling_deletes_the_installation(bravo: Bravo, event: dict[str, object]) -> None:
    install(bravo)
    assert bravo.send.event(event).status == 200
    assert installations(bravo.deps.db) == []
    assert bravo.deps.tokens.bot_token(TEAM) is None
    with bravo.deps.db.read() as s:
        config = s.get(WorkspaceConfig, TEAM)
        assert config is not None and config.uninstalled_at is not None
    before = len(bravo.slack.calls("response_url"))
    bravo.send.slash_command("UANA", "/bravo", "help", channel_id=CHANNEL)
    answer = bravo.slack.wait_for("response_url", before + 1)[-1]
    assert answer.args["text"] == NOT_INSTALLED


def test_installing_again_replaces_the_installation(bravo: Bravo) -> None:
    install(bravo)
    first = bravo.slack.token
    install(bravo)
    [row] = installations(bravo.deps.db)
    assert bravo.deps.tokens.bot_token(TEAM) == bravo.slack.token != first
    assert row.team_id == TEAM


def test_installing_again_after_an_uninstall_resumes_sends_at_once(bravo: Bravo) -> None:
    install(bravo)
    bravo.send.event({"type": "app_uninstalled"})
    with bravo.deps.db.read() as s:
        config = s.get(WorkspaceConfig, TEAM)
        assert config is not None and config.uninstalled_at is not None
    install(bravo)  # no request from the workspace yet
    with bravo.deps.db.read() as s:
        config = s.get(WorkspaceConfig, TEAM)
        assert config is not None and config.uninstalled_at is None
    assert bravo.deps.tokens.bot_token(TEAM) == bravo.slack.token


def test_an_event_from_a_workspace_with_no_installation_runs_nothing(bravo: Bravo) -> None:
    install(bravo)
    stranger = SlackRequester(
        bravo.url + "/slack/events", SECRET, team_id="T0STRANGER", fake=bravo.slack
    )
    before = len(bravo.slack.calls())
    result = stranger.event({"type": "app_home_opened", "user": "UANA", "tab": "home"})
    assert result.status == 200  # answered, so Slack does not retry it
    assert bravo.slack.calls()[before:] == []
    assert where_found(bravo.deps.db, "T0STRANGER") == []


def test_self_hosting_with_one_token_serves_no_install_pages(
    slack: FakeSlack, db: Database
) -> None:
    for one in start_bravo(slack, db):
        assert get(one.url + "/slack/install").status == 404
        assert get(one.url + "/slack/oauth_redirect?code=x&state=y").status == 404
        assert one.deps.tokens.bot_token(TEAM) == "xoxb-sandbox"


def test_a_database_failure_while_storing_is_a_page_not_a_stack_trace(
    slack: FakeSlack, sqlite_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    slack.rotate_tokens()
    for one in start_bravo(slack, sqlite_db, env=OAUTH_ENV):
        state, cookie = start_install(one)
        with sqlite_db.engine.begin() as conn:
            conn.execute(text("DROP TABLE installation"))
        caplog.set_level(logging.DEBUG)
        page = redirect(one, state, cookie)
        assert page.status == 500 and "could not save" in page.body
        assert slack.token not in caplog.text
        assert "Traceback" not in caplog.text
