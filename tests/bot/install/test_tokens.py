"""The store-backed Tokens: a workspace's token read from its sealed installation, refreshed
through the fake Slack's oauth.v2.access shortly before it expires, stored sealed again; a
refused refresh is one log line without a token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_sdk.web import WebClient

from bot.install.crypto import new_key
from bot.install.oauth import quiet_client
from bot.install.tokens import StoreTokens
from bot.sandbox.api.oauth import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.server import FakeSlack
from storage.db import Database
from tests.bot.install.test_store import NOW, Clock, install, store_on
from tests.db_scan import where_found


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T1") as fake:
        yield fake


def tokens_on(db: Database, slack: FakeSlack, clock: Clock) -> StoreTokens:
    return StoreTokens(
        store_on(db, (new_key(),), clock),
        quiet_client(slack.base_url),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        clock=clock,
    )


def rotating_install(slack: FakeSlack, tokens: StoreTokens) -> str:
    """Install T1 through the fake's exchange with token rotation on; the first token."""
    slack.rotate_tokens(expires_in=3600)
    answer = WebClient(base_url=slack.base_url).oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=slack.new_oauth_code()
    )
    expires_at = int(NOW.timestamp()) + int(answer["expires_in"])
    tokens.store.save(
        install(
            "T1",
            answer["access_token"],
            bot_refresh_token=answer["refresh_token"],
            bot_token_expires_at=expires_at,
        )
    )
    return str(answer["access_token"])


def test_a_token_far_from_expiring_is_handed_out_as_stored(
    sqlite_db: Database, slack: FakeSlack
) -> None:
    clock = Clock()
    tokens = tokens_on(sqlite_db, slack, clock)
    first = rotating_install(slack, tokens)
    assert first.startswith("xoxe.xoxb-")
    assert tokens.bot_token("T1") == first
    assert tokens.bot_token("T2") is None
    assert not slack.calls("oauth.v2.access")[1:]  # only the install's exchange


def test_a_token_about_to_expire_is_refreshed_and_stored_sealed(
    sqlite_db: Database, slack: FakeSlack
) -> None:
    clock = Clock()
    tokens = tokens_on(sqlite_db, slack, clock)
    first = rotating_install(slack, tokens)
    clock.at = NOW + timedelta(minutes=55)  # 5 minutes left
    fresh = tokens.bot_token("T1")
    assert fresh is not None and fresh != first and fresh == slack.token
    refreshes = [c for c in slack.calls("oauth.v2.access") if c.args.get("grant_type")]
    assert [c.args["grant_type"] for c in refreshes] == ["refresh_token"]
    assert tokens.bot_token("T1") == fresh  # stored: no second refresh
    assert len(slack.calls("oauth.v2.access")) == 2
    assert where_found(sqlite_db, fresh) == [] and where_found(sqlite_db, first) == []
    assert WebClient(token=fresh, base_url=slack.base_url).auth_test()["team_id"] == "T1"
    # twelve hours on, it is refreshed again with the refresh token Slack gave last time
    clock.at = NOW + timedelta(minutes=55 + 58)
    third = tokens.bot_token("T1")
    assert third not in (None, first, fresh)


def test_a_refused_refresh_keeps_the_token_and_logs_no_secret(
    sqlite_db: Database, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    tokens = tokens_on(sqlite_db, slack, clock)
    tokens.store.save(
        install(
            "T1",
            "xoxe.xoxb-about-to-go",
            bot_refresh_token="xoxe-1-unknown-to-slack",
            bot_token_expires_at=int(NOW.timestamp()) + 60,
        )
    )
    caplog.set_level(logging.DEBUG)
    assert tokens.bot_token("T1") == "xoxe.xoxb-about-to-go"
    assert "invalid_refresh_token" in caplog.text
    assert "xoxe.xoxb-about-to-go" not in caplog.text
    assert "xoxe-1-unknown-to-slack" not in caplog.text
