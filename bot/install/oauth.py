"""Bolt's OAuth for Bravo: the Add to Slack page (``GET /slack/install``, a state used once),
the redirect (``GET /slack/oauth_redirect``: ``oauth.v2.access`` through SLACK_API_URL, the
installation stored sealed, a page saying what happens next), and ``authorize`` (each request
gets its own workspace's token; a workspace with no installation is refused)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.install.crypto import Sealer
from bot.install.store import STATE_TTL, InstallStore, StateStore
from bot.install.tokens import StoreTokens
from bot.settings import Settings
from bot.tokens import OneToken, Tokens
from storage.db import Database

# What Bravo asks a workspace for (manifest.yml's bot scopes; a test keeps them the same).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "users:read.email",
    "usergroups:read",
    "reactions:read",
    "channels:read",
    "groups:read",
    "files:write",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "im:write",
    "mpim:write",
)
MAX_SEEN = 10_000  # org workspaces remembered as recorded, per process; more, and it starts again
NOT_INSTALLED = (
    "Bravo isn't installed in this workspace (or its installation was removed), so nothing was "
    "done. An admin can add it from Bravo's Add to Slack page."
)
log = logging.getLogger(__name__)


def quiet_client(base_url: str) -> WebClient:
    """The client of the OAuth exchange and refreshes: SLACK_API_URL, and a logger that never
    says more than warnings (slack_sdk's debug lines hold the codes and tokens exchanged)."""
    quiet = logging.getLogger("bravo.install.web")
    quiet.setLevel(logging.WARNING)
    return WebClient(base_url=base_url, timeout=10, logger=quiet)


def tokens_for(settings: Settings, db: Database, clock: Callable[[], datetime]) -> Tokens:
    """Installed by OAuth: the store's tokens; else the one SLACK_BOT_TOKEN (self-hosting)."""
    if not settings.oauth:
        return OneToken(settings.slack_bot_token)
    store = InstallStore(
        db,
        Sealer(settings.encryption_keys),
        client_id=settings.slack_client_id or "",
        clock=clock,
    )
    return StoreTokens(
        store,
        quiet_client(settings.slack_api_url),
        client_id=settings.slack_client_id or "",
        client_secret=settings.slack_client_secret or "",
        clock=clock,
    )


class StoreAuthorize(Authorize):
    """Bolt's ``authorize``: the request's own workspace's token (refreshed when due), no call
    to Slack. None: Bolt answers with ``NOT_INSTALLED`` and no listener runs."""

    def __init__(self, tokens: StoreTokens) -> None:
        self.tokens = tokens
        self._seen: set[str] = set()  # workspaces of an org-wide install recorded (this process)

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        inst = self.tokens.installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=bool(context.is_enterprise_install),
        )
        if inst is None or not inst.bot_token:
            log.warning("refused a request from %s: Bravo is not installed there", team_id)
            return None
        if inst.is_enterprise_install and inst.enterprise_id and team_id:
            self._saw(inst.enterprise_id, team_id)
        return AuthorizeResult(
            enterprise_id=inst.enterprise_id,
            team_id=team_id or inst.team_id,
            bot_token=inst.bot_token,
            bot_id=inst.bot_id,
            bot_user_id=inst.bot_user_id,
            bot_scopes=inst.bot_scopes,
            user_id=user_id,
        )

    def _saw(self, enterprise_id: str, team_id: str) -> None:
        """A workspace of an org-wide install, recorded once (so jobs find its token)."""
        if team_id in self._seen:
            return
        if self.tokens.store.note_workspace(enterprise_id=enterprise_id, team_id=team_id):
            log.info("workspace %s of %s is served by its org-wide install", team_id, enterprise_id)
        if len(self._seen) >= MAX_SEEN:
            self._seen.clear()
        self._seen.add(team_id)


def org_workspaces(client: WebClient, token: str) -> list[str]:
    """The workspaces an org-wide install's token reaches (``auth.teams.list``, every page)."""
    teams: list[str] = []
    cursor = ""
    for _page in range(100):
        answer = client.auth_teams_list(token=token, cursor=cursor or None, limit=200)
        teams += [t["id"] for t in answer.get("teams") or [] if isinstance(t.get("id"), str)]
        cursor = (answer.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            break
    return teams


class BravoOAuthFlow(OAuthFlow):
    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_page(url)

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        """A database failure is the "could not save" page and one log line (its name only:
        the statement's parameters are not for the log), not a 500 with a stack trace."""
        try:
            super().store_installation(request, installation)
        except SQLAlchemyError as err:
            where = installation.team_id or installation.enterprise_id
            log.error("could not store the installation of %s: %s", where, type(err).__name__)
            raise BoltError("storage_error") from None
        if installation.is_enterprise_install and installation.enterprise_id:
            self._note_org(installation.enterprise_id, installation.bot_token or "")

    def _note_org(self, enterprise_id: str, token: str) -> None:
        """The org-wide install's workspaces, recorded now (each is also recorded at its first
        request, so a failure here only delays a job until then)."""
        store = self.settings.installation_store
        if not isinstance(store, InstallStore):
            return
        try:
            teams = org_workspaces(self.client, token)
            for team in teams:
                store.note_workspace(enterprise_id=enterprise_id, team_id=team)
        except (SlackApiError, SQLAlchemyError) as err:
            log.warning(
                "could not list the workspaces of %s: %s", enterprise_id, type(err).__name__
            )
            return
        log.info("org-wide install in %s serves %d workspaces", enterprise_id, len(teams))


def oauth_flow(settings: Settings, tokens: StoreTokens, db: Database) -> BravoOAuthFlow:
    clock = tokens.store.clock
    return BravoOAuthFlow(
        client=quiet_client(settings.slack_api_url),
        logger=logging.getLogger("bravo.install"),
        settings=OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(BOT_SCOPES),
            user_scopes=[],
            redirect_uri=settings.slack_redirect_uri,
            authorization_url=urljoin(settings.slack_api_url, "../oauth/v2/authorize"),
            installation_store=tokens.store,
            installation_store_bot_only=True,
            state_store=StateStore(db, clock=clock),
            state_expiration_seconds=int(STATE_TTL.total_seconds()),
            callback_options=CallbackOptions(success=on_installed, failure=on_failed),
            logger=logging.getLogger("bravo.install"),
        ),
    )


# ---- the pages --------------------------------------------------------------------------------


def _page(title: str, body: str, status: int = 200) -> BoltResponse:
    return BoltResponse(
        status=status, body=_html(title, body), headers={"Content-Type": "text/html; charset=utf-8"}
    )


def _html(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head>"
        "<body style='font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5'>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def install_page(url: str) -> str:
    link = html.escape(url, quote=True)
    return _html(
        "Add Bravo to Slack",
        "<p>Bravo brings kudos, goals and coaching to your support team's Slack.</p>"
        f"<p><a href='{link}' id='add-to-slack'>Add to Slack</a></p>"
        "<p>Slack asks you to allow what Bravo needs, then brings you back here. The link "
        "works once, for ten minutes.</p>",
    )


def on_installed(args: SuccessArgs) -> BoltResponse:
    inst = args.installation
    where = html.escape(inst.team_name or inst.enterprise_name or "your workspace")
    return _page(
        "Bravo is installed",
        f"<p>Bravo is now in <b>{where}</b>. What happens next:</p><ul>"
        "<li>Invite Bravo to a channel (<code>/invite @Bravo</code>) and give someone kudos: "
        "<code>/kudos @ana for calming an angry caller #empathy</code>.</li>"
        "<li>Open Bravo's Home tab in Slack: your kudos, goals and what is new.</li>"
        "<li>Admins: <code>/bravo settings</code> sets the values, the daily allowance and "
        "the kudos channel for this workspace.</li></ul>"
        "<p>You can close this page.</p>",
    )


FAILURES = {
    "access_denied": "Bravo was not installed: the request was cancelled in Slack.",
    "invalid_state": "This install link was already used or is more than ten minutes old.",
    "invalid_browser": "This install was started in another browser (or cookies are off).",
    "missing_code": "Slack did not send the code this page needs.",
    "invalid_code": "Slack did not accept the code (it may have been used already).",
    "storage_error": "Bravo could not save the installation.",
}


def on_failed(args: FailureArgs) -> BoltResponse:
    reason = FAILURES.get(args.reason, "The install did not finish.")
    log.warning("an install did not finish: %s", args.reason[:40])
    return _page(
        "Bravo was not installed",
        f"<p>{html.escape(reason)} Nothing was stored.</p>"
        "<p><a href='install'>Start again from the Add to Slack page</a>.</p>",
        status=args.suggested_status_code,
    )
