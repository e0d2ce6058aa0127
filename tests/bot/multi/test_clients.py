"""A Web API client per workspace: made with the workspace's token as ``Tokens`` says it is now
(a refreshed token is used at the next call), kept while the token stays, refused when none."""

from __future__ import annotations

import pytest
from slack_sdk.web import WebClient

from bot.deps import build_deps
from bot.errors import NotInstalledError, error_text
from bot.outbox.clients import TeamClients
from bot.settings import load_settings
from storage.db import Database
from tests.bot.multi.tokens import TeamTokens


def test_a_client_per_token_kept_until_the_token_changes() -> None:
    tokens = TeamTokens({"T1": "xoxb-one", "T2": "xoxb-two"})
    made: list[str] = []

    def make(token: str) -> WebClient:
        made.append(token)
        return WebClient(token=token)

    clients = TeamClients(tokens, make)
    assert clients("T1").token == "xoxb-one" and clients("T2").token == "xoxb-two"
    assert clients("T1") is clients("T1") and made == ["xoxb-one", "xoxb-two"]
    tokens.tokens["T1"] = "xoxb-one-refreshed"  # token rotation
    assert clients("T1").token == "xoxb-one-refreshed"
    del tokens.tokens["T2"]  # uninstalled
    with pytest.raises(NotInstalledError) as caught:
        clients("T2")
    assert error_text(caught.value)  # friendly words, no token in them
    assert "xoxb" not in error_text(caught.value)


def test_deps_with_one_token_use_the_environment_s_client(db: Database) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_SIGNING_SECRET": "s"}
    deps = build_deps(load_settings(env), db)
    assert deps.client_for("T1") is deps.client and deps.client_for("T9") is deps.client
    two = build_deps(load_settings(env), db, tokens=TeamTokens({"T1": "xoxb-env", "T2": "xoxb-2"}))
    assert two.client_for("T1") is two.client
    assert two.client_for("T2").token == "xoxb-2"
    assert two.client_for("T2").base_url == two.client.base_url
    with pytest.raises(NotInstalledError):
        two.client_for("T3")
