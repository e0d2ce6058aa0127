"""Whose token each call to Slack goes with: a Web API client per workspace, made with the
workspace's bot token as ``Tokens`` says it is now (so a refreshed or revoked token is seen at
the next call), and kept while that token is the workspace's."""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_sdk.web import WebClient

from bot.errors import NotInstalledError
from bot.tokens import Tokens

# team id -> the client for that workspace; raises NotInstalledError when Bravo has no token there
ClientFor = Callable[[str], WebClient]
NOT_INSTALLED = "not_installed"  # the error written on a row whose workspace has no token
MAX_CLIENTS = 10_000  # clients kept (one per token); more, and the cache starts again


class TeamClients:
    """``clients(team_id)``: a WebClient with that workspace's bot token (made by ``make``)."""

    def __init__(self, tokens: Tokens, make: Callable[[str], WebClient]) -> None:
        self._tokens = tokens
        self._make = make
        self._by_token: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    def __call__(self, team_id: str) -> WebClient:
        token = self._tokens.bot_token(team_id)
        if not token:
            raise NotInstalledError(team_id)
        with self._lock:
            client = self._by_token.get(token)
            if client is None:
                if len(self._by_token) >= MAX_CLIENTS:  # bounded: rotated tokens accumulate
                    self._by_token.clear()
                client = self._by_token[token] = self._make(token)
            return client


def one_client(client: WebClient) -> ClientFor:
    """Every workspace's calls with one client (one workspace, or a test)."""
    return lambda team_id: client
