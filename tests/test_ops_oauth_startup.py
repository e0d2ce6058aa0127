"""Starting Bravo installed by OAuth (``python -m bot run --http``, no SLACK_BOT_TOKEN): before
serving it checks, offline first, that every stored installation opens with a key in
BRAVO_ENCRYPTION_KEY, then that SLACK_API_URL answers as Slack's Web API. A failure is one clear
line naming what to fix, never a token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.install.crypto import new_key
from bot.install.oauth import tokens_for
from bot.install.tokens import StoreTokens
from bot.sandbox.api.oauth import CLIENT_ID, CLIENT_SECRET
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from storage.db import Database
from storage.migrate import upgrade
from tests.bot.install.test_store import install
from tests.ops_run import Bravo, bravo_env, free_port, run_bravo
from tests.test_ops_startup import one_clear_line

TOKEN = "xoxb-installed-secret"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


def oauth_env(tmp_path: Path, api_url: str, key: str) -> dict[str, str]:
    return bravo_env(
        tmp_path,
        api_url,
        SLACK_BOT_TOKEN="",
        SLACK_APP_TOKEN="",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        BRAVO_ENCRYPTION_KEY=key,
    )


def installed(env: dict[str, str], *teams: str) -> None:
    """Installations stored in the env's database, sealed with its key."""
    db = Database.from_url(env["DATABASE_URL"])
    upgrade(db.engine)
    tokens = tokens_for(load_settings(env), db, lambda: datetime.now(UTC))
    assert isinstance(tokens, StoreTokens)
    for team in teams:
        tokens.store.save(install(team, f"{TOKEN}-{team}"))
    db.dispose()


def http() -> tuple[str, ...]:
    return ("--http", "--host", "127.0.0.1", "--port", str(free_port()))


def test_installations_no_key_opens_are_one_line_naming_the_key(
    tmp_path: Path, fake: FakeSlack
) -> None:
    installed(oauth_env(tmp_path, fake.base_url, new_key()), "T1", "T2")
    env = oauth_env(tmp_path, fake.base_url, new_key())  # the key that sealed them is gone
    asked = len(fake.calls())
    ran = run_bravo(env, *http())
    one_clear_line(ran, 1, "2 stored installations (T1, T2)", "BRAVO_ENCRYPTION_KEY")
    assert TOKEN not in ran.err and "Traceback" not in ran.err
    assert len(fake.calls()) == asked  # offline first: Slack was not asked


def test_a_rotated_key_still_opens_them_and_slack_out_of_reach_is_one_line(
    tmp_path: Path,
) -> None:
    old = new_key()
    api = f"http://127.0.0.1:{free_port()}/api/"
    installed(oauth_env(tmp_path, api, old), "T1")
    env = oauth_env(tmp_path, api, f"{new_key()},{old}")  # a new key first, the old still read
    ran = run_bravo(env, *http())
    one_clear_line(ran, 1, "Cannot reach Slack", api)


def test_a_slack_api_url_that_is_not_the_web_api_is_one_line(
    tmp_path: Path, fake: FakeSlack
) -> None:
    key = new_key()
    env = oauth_env(tmp_path, fake.root_url + "/nowhere/", key)
    ran = run_bravo(env, *http())
    one_clear_line(ran, 1, "not the Web API", "SLACK_API_URL")


def test_with_the_key_and_slack_answering_it_serves_and_says_where_it_is_installed(
    tmp_path: Path, fake: FakeSlack
) -> None:
    env = oauth_env(tmp_path, fake.base_url, new_key())
    installed(env, "T1", "T2")
    bravo = Bravo(env, tmp_path, *http())
    try:
        bravo.wait_for("installed by OAuth in 2 workspaces")
        bravo.wait_for("Bravo listening on")
    finally:
        assert bravo.stop() == 0, bravo.output
    assert TOKEN not in bravo.output
