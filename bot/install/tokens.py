"""The store-backed ``Tokens`` (``bot.tokens``): each workspace's bot token read from its
installation (decrypted), refreshed through ``oauth.v2.access`` (``grant_type=refresh_token``)
shortly before it expires when Slack's token rotation is on, and stored again sealed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web import WebClient

from bot.install.store import InstallStore

# A token this close to expiring is refreshed before it is handed out (Slack's last 12 hours).
REFRESH_BEFORE = timedelta(minutes=10)
log = logging.getLogger(__name__)


class StoreTokens:
    """``Tokens`` for a Bravo installed by OAuth in many workspaces."""

    def __init__(
        self,
        store: InstallStore,
        client: WebClient,
        *,
        client_id: str,
        client_secret: str,
        clock: Callable[[], datetime],
    ) -> None:
        """``client``: the Web API client the refresh goes through (SLACK_API_URL, a quiet
        logger: its debug lines would show the tokens)."""
        self.store = store
        self._client, self._clock = client, clock
        self._client_id, self._client_secret = client_id, client_secret
        self._refreshing = threading.Lock()

    def __repr__(self) -> str:
        return f"StoreTokens({self.store!r})"

    def bot_token(self, team_id: str) -> str | None:
        found = self.installation(enterprise_id=None, team_id=team_id)
        return None if found is None else found.bot_token

    def installation(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool = False
    ) -> Installation | None:
        """The installation that serves this workspace now, its token fresh."""

        def find() -> Installation | None:
            return self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )

        found = find()
        if found is None or not self._expiring(found):
            return found
        with self._refreshing:  # one refresh per process at a time; read again inside
            found = find()
            if found is None or not self._expiring(found):
                return found
            return self._refresh(found)

    def _expiring(self, inst: Installation) -> bool:
        if not inst.bot_refresh_token or inst.bot_token_expires_at is None:
            return False
        left = inst.bot_token_expires_at - self._clock().timestamp()
        return left <= REFRESH_BEFORE.total_seconds()

    def _refresh(self, inst: Installation) -> Installation:
        """A new bot token (and refresh token) from Slack, stored sealed. When Slack says no,
        the token as it is (calls then fail with Slack's words, logged) and one log line that
        names the workspace and Slack's error, never a token."""
        where = inst.team_id or inst.enterprise_id
        try:
            answer = self._client.oauth_v2_access(
                client_id=self._client_id,
                client_secret=self._client_secret,
                grant_type="refresh_token",
                refresh_token=inst.bot_refresh_token,
            )
        except SlackApiError as err:
            log.warning(
                "could not refresh the bot token of %s: %s", where, err.response.get("error")
            )
            return inst
        now = self._clock().timestamp()
        refreshed = Installation(
            **{
                **inst.to_dict_for_copying(),
                "bot_token": answer.get("access_token"),
                "bot_refresh_token": answer.get("refresh_token") or inst.bot_refresh_token,
                "bot_token_expires_at": int(now + int(answer.get("expires_in") or 0)),
                "bot_token_expires_in": None,
            }
        )
        self.store.save(refreshed)
        log.info("refreshed the bot token of %s", where)
        return refreshed
