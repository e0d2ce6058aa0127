"""Whose request it is: with a token per workspace (``Deps.tokens`` is not the one token of
``SLACK_BOT_TOKEN``), each request is authorised for its own workspace, and its listeners'
``client`` carries that workspace's bot token. A workspace with no token gets Bolt's refusal
(nothing is done for it).

With the one token of ``SLACK_BOT_TOKEN`` (self-hosting), Bravo serves the token's own workspace
only (``OneTeam``: learnt from ``auth.test`` once): a request signed with the secret but from
another workspace is refused before anything reads it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.errors import NotInstalledError

log = logging.getLogger(__name__)
OTHER_WORKSPACE = (
    "Bravo here is installed for another workspace, so nothing was done. To use Bravo in this "
    "workspace, an admin can install it here."
)
UNCHECKED = (
    "Bravo couldn't check this request with Slack just now, so nothing was done. Please try "
    "again in a minute."
)
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


class OneTeam:
    """A Bolt middleware (run before ``authorize``) for the one token of ``SLACK_BOT_TOKEN``:
    a request from the token's own workspace goes on; one from another workspace is refused
    (an ephemeral answer where the person waits, one log line) and nothing is stored. The
    token's workspace is learnt at start-up (else asked of Slack, ``auth.test``, once). While
    Slack cannot say (asked again at most every ``RETRY_AFTER`` seconds), requests are refused
    too: Bravo never serves a workspace it has not checked."""

    RETRY_AFTER = 10.0

    def __init__(self, client: WebClient, *, team: str | None = None) -> None:
        """``team``: the token's workspace when already known (start-up asked Slack)."""
        self._client = client
        self._team = team
        self._next_try = 0.0
        self._lock = threading.Lock()

    def team(self) -> str | None:
        """The token's own workspace (``auth.test``, asked once), or None while Slack can't say."""
        with self._lock:
            if self._team is None and time.monotonic() >= self._next_try:
                self._team = self._ask()
                self._next_try = time.monotonic() + self.RETRY_AFTER
            return self._team

    def _ask(self) -> str | None:
        try:
            team = self._client.auth_test().get("team_id")
        except SlackApiError as err:
            log.warning("auth.test for SLACK_BOT_TOKEN failed: %s", err.response.get("error"))
            return None
        except OSError as err:
            log.warning("auth.test for SLACK_BOT_TOKEN failed: %s", type(err).__name__)
            return None
        return team if isinstance(team, str) and team else None

    def __call__(
        self, context: BoltContext, body: dict[str, Any], respond: Any, next: Callable[[], None]
    ) -> BoltResponse | None:
        asking = context.team_id
        if not asking:  # Slack's own checks (url_verification), or no workspace named
            next()
            return None
        own = self.team()
        if asking == own:
            next()
            return None
        kind = body.get("type") or ("slash_command" if body.get("command") else "request")
        event = body.get("event")
        if kind == "event_callback" and isinstance(event, dict):
            kind = event.get("type") or kind
        if own is None:
            log.warning("refused a %.40r: SLACK_BOT_TOKEN's workspace is not known yet", kind)
            words = UNCHECKED
        else:
            log.info(
                "ignored a %.40r from %.20r: Bravo here serves %s (SLACK_BOT_TOKEN)",
                kind,
                asking,
                own,
            )
            words = OTHER_WORKSPACE
        if context.response_url and respond is not None:
            respond(text=words, response_type="ephemeral", replace_original=False)
        return BoltResponse(status=200, body="")
