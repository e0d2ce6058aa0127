"""Whose request it is: with a token per workspace (``Deps.tokens`` is not the one token of
``SLACK_BOT_TOKEN``), each request is authorised for its own workspace, and its listeners'
``client`` carries that workspace's bot token. A workspace with no token gets Bolt's refusal
(nothing is done for it)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import cast

from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.errors import NotInstalledError

log = logging.getLogger(__name__)
MAX_REMEMBERED = 10_000  # tokens whose auth.test is remembered; more, and it starts again


class TeamAuthorize:
    """Bolt's ``authorize``: the request's workspace's bot token and who the bot is there
    (``auth.test``, asked once per token)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._known: dict[str, AuthorizeResult] = {}
        self._lock = threading.Lock()

    def __call__(self, team_id: str | None, enterprise_id: str | None) -> AuthorizeResult | None:
        if not team_id:  # an org-wide request names no workspace: none of Bravo's
            return None
        try:
            client = self._deps.client_for(team_id)
        except NotInstalledError:
            log.info("a request from %s, where Bravo is not installed: refused", team_id)
            return None
        token = client.token or ""
        with self._lock:
            known = self._known.get(token)
        if known is not None:
            return known
        try:
            result = AuthorizeResult.from_auth_test_response(
                bot_token=token, auth_test_response=client.auth_test(), user_token=None
            )
        except SlackApiError as err:  # revoked, or Slack is away: refused this time
            log.warning("auth.test for %s failed: %s", team_id, err.response.get("error"))
            return None
        with self._lock:
            if len(self._known) >= MAX_REMEMBERED:
                self._known.clear()
            self._known[token] = result
        return result


def tokenless(client: WebClient) -> WebClient:
    """Bolt's own client, without a token (each request's client gets its workspace's), still
    pointed at ``SLACK_API_URL`` and retrying as ``client`` does."""
    return WebClient(
        base_url=client.base_url, timeout=client.timeout, retry_handlers=client.retry_handlers
    )


def authorize_for(deps: Deps) -> Callable[..., AuthorizeResult]:
    """``TeamAuthorize`` as Bolt's ``authorize`` takes it (a function; None: refused)."""
    team_authorize = TeamAuthorize(deps)

    def authorize(team_id: str | None, enterprise_id: str | None) -> AuthorizeResult | None:
        return team_authorize(team_id, enterprise_id)

    return cast(Callable[..., AuthorizeResult], authorize)
