"""Checks made before Bravo starts serving (before gunicorn forks a worker, before Socket Mode
connects), so that a wrong token or a busy port is one line saying what to do, not a traceback.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.settings import Settings

if TYPE_CHECKING:
    from storage.db import Database

APPS_PAGE = "api.slack.com/apps > your app"


class StartupError(Exception):
    """Bravo cannot start; the message is one line: what is wrong and how to fix it."""


_BOT_TOKEN_WORDS = {
    "invalid_auth": f"copy the Bot User OAuth Token (xoxb-...) again from {APPS_PAGE} > "
    "OAuth & Permissions",
    "not_authed": f"paste the Bot User OAuth Token (xoxb-...) from {APPS_PAGE} > "
    "OAuth & Permissions",
    "token_revoked": f"reinstall the app ({APPS_PAGE} > OAuth & Permissions) and paste the new "
    "token",
    "account_inactive": f"reinstall the app ({APPS_PAGE} > OAuth & Permissions) and paste the new "
    "token",
}
_APP_TOKEN_WORDS = {
    "invalid_auth": f"make an app-level token with connections:write ({APPS_PAGE} > Basic "
    "Information > App-Level Tokens) and paste it",
    "not_authed": f"paste an app-level token (xapp-...) from {APPS_PAGE} > Basic Information > "
    "App-Level Tokens",
    "not_allowed_token_type": "it must be an app-level token (xapp-...), not a bot or user token",
    "missing_scope": "give the app-level token the connections:write scope",
    "token_revoked": f"make a new app-level token ({APPS_PAGE} > Basic Information)",
}


@dataclass(frozen=True)
class Identity:
    """Who Bravo is with SLACK_BOT_TOKEN: ``who`` for the log ("@bravo in Acme"), and the
    token's workspace (the only one it serves: ``handlers.authorize.OneTeam``)."""

    who: str
    team_id: str | None


def check_slack(settings: Settings, *, socket_mode: bool) -> Identity:
    """Ask Slack whether the tokens work (auth.test; apps.connections.open for Socket Mode).
    Returns who Bravo is; raises ``StartupError`` if Slack says no."""
    client = _client(settings, settings.slack_bot_token)
    who = _ask(settings, "SLACK_BOT_TOKEN", _BOT_TOKEN_WORDS, client.auth_test)
    if socket_mode:
        app_token = settings.slack_app_token
        _ask(
            settings,
            "SLACK_APP_TOKEN",
            _APP_TOKEN_WORDS,
            lambda: client.apps_connections_open(app_token=app_token or ""),
        )
    team = who.get("team_id")
    name = f"@{who.get('user', '?')} in {who.get('team', '?')}"
    return Identity(name, team if isinstance(team, str) else None)


def check_oauth(settings: Settings, db: Database) -> str:
    """Installed by OAuth: what can be checked before serving. Offline first: every stored
    installation opens with a key in BRAVO_ENCRYPTION_KEY (a row none opens is one line naming
    the variable and the workspaces, never a token); then that SLACK_API_URL answers as Slack's
    Web API (OAuth runs over HTTP only: no app-level token to check). Returns who Bravo is."""
    count = check_installations(settings, db)
    client = _client(settings, None)
    _ask(settings, "SLACK_API_URL", {}, lambda: _answered(client.auth_test))
    installed = f"{count} workspace{'' if count == 1 else 's'}" if count else "no workspace yet"
    return f"installed by OAuth in {installed}: add it to a workspace at /slack/install"


def check_installations(settings: Settings, db: Database) -> int:
    """How many installations are stored; ``StartupError`` if any cannot be opened with the
    keys in BRAVO_ENCRYPTION_KEY (the key that sealed it was removed, or another one given)."""
    from bot.install.crypto import Sealer, UnreadableSecret
    from storage.install import all_installations

    sealer = Sealer(settings.encryption_keys)
    with db.read() as session:
        rows = all_installations(session, client_id=settings.slack_client_id or "")
    closed: list[str] = []
    for row in rows:
        try:
            sealer.open(row.bot_token_sealed)
            sealer.open(row.bot_refresh_token_sealed)
        except UnreadableSecret:
            closed.append(row.team_id or row.enterprise_id or "?")
    if closed:
        named = ", ".join(closed[:3]) + (f" and {len(closed) - 3} more" if len(closed) > 3 else "")
        raise StartupError(
            f"{len(closed)} stored installation{'' if len(closed) == 1 else 's'} ({named}) "
            "cannot be decrypted with any key in BRAVO_ENCRYPTION_KEY: put back the key that "
            "sealed them (keys are comma separated, the first seals new ones), or reinstall "
            "those workspaces."
        )
    return len(rows)


def _answered(call: Any) -> Any:
    """Any answer shaped as the Web API's (``not_authed`` included: no token was sent)."""
    from slack_sdk.errors import SlackApiError

    try:
        return call()
    except SlackApiError as err:
        code = err.response.get("error") if isinstance(err.response.data, dict) else None
        if isinstance(code, str) and re.fullmatch(r"[a-z_]+", code):
            return err.response
        raise


def _client(settings: Settings, token: str | None) -> Any:
    from slack_sdk.web import WebClient

    quiet = logging.getLogger("bravo.preflight.web")  # its failures are reported here, once
    quiet.setLevel(logging.CRITICAL)
    return WebClient(  # no retries: a failure is reported at once, and the operator retries
        token=token, base_url=settings.slack_api_url, timeout=10, logger=quiet, retry_handlers=[]
    )


def _ask(settings: Settings, name: str, words: dict[str, str], call: Any) -> dict[str, Any]:
    from slack_sdk.errors import SlackApiError

    try:
        return dict(call().data)
    except SlackApiError as err:
        code = err.response.get("error") if isinstance(err.response.data, dict) else None
        if not isinstance(code, str) or not re.fullmatch(r"[a-z_]+", code):  # not Slack's answer
            raise StartupError(
                f"Slack at {settings.slack_api_url} answered HTTP {err.response.status_code}, "
                "not the Web API: check SLACK_API_URL."
            ) from None
        fix = words.get(code, f"check {name} at {APPS_PAGE}")
        raise StartupError(f"Slack refused {name} ({code}): {fix}.") from None
    except OSError as err:  # no network, DNS, refused, timed out
        reason = getattr(err, "reason", None) or err.strerror or err
        raise StartupError(
            f"Cannot reach Slack at {settings.slack_api_url} ({reason}): check the network, "
            "or SLACK_API_URL."
        ) from None


def check_port(host: str, port: int) -> None:
    """Raise ``StartupError`` if ``host:port`` cannot be listened on (in use, not allowed)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"Port {port} is already in use (another Bravo?): stop what listens there, "
                    "or run with --port N (or PORT=N)."
                ) from None
            if err.errno == errno.EACCES:
                raise StartupError(
                    f"Bravo may not listen on port {port}: use a port above 1023 (--port N)."
                ) from None
            raise StartupError(f"Cannot listen on {host}:{port}: {err.strerror}.") from None
