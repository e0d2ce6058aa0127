"""oauth.v2.access: the OAuth exchange and Slack's token rotation, offline.

``new_code(ws)`` is what Slack hands the installer's browser after "Allow": a code good once,
for ten minutes, naming its workspace. Exchanged (``grant_type=authorization_code``) it answers
with the workspace's bot token, scopes, team, bot user and app. When the workspace was told to
rotate tokens (``rotate_tokens(ws)``) the token is a new expiring one with a refresh token, and
``grant_type=refresh_token`` answers a new token (the old refresh token is spent). The app
proves itself with its client id and secret (HTTP Basic, as slack_sdk sends them, or in the
arguments), never with a bot token.

Codes and refresh tokens are unguessable and remember their workspace, so one registry serves
every workspace (and every fake) of the process.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
import weakref
from typing import Any

from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "sandbox-client-secret"
# Methods the app calls with its client id and secret instead of a token.
CLIENT_AUTH = frozenset({"oauth.v2.access"})
GRANTED = (
    "commands,chat:write,users:read,users:read.email,usergroups:read,reactions:read,channels:read,groups:read,"
    "files:write,channels:history,groups:history,im:history,mpim:history,im:write"
)
CODE_TTL = 600.0

_lock = threading.Lock()
_codes: dict[str, tuple[Workspace, float, str, bool]] = {}  # code -> ws, expiry, installer, org
_refresh: dict[str, Workspace] = {}  # refresh token -> workspace
_rotating: weakref.WeakKeyDictionary[Workspace, int] = weakref.WeakKeyDictionary()


def new_code(
    ws: Workspace, *, installer: str = "U0INSTALL", ttl: float = CODE_TTL, org: bool = False
) -> str:
    """``org``: an org-wide install of ``ws``'s organisation (``FakeSlack.make_org``)."""
    if org and not ws.org_token:
        raise SlackError("not_an_enterprise")
    code = f"sandbox-code-{secrets.token_hex(12)}"
    with _lock:
        _codes[code] = (ws, time.monotonic() + ttl, installer, org)
    return code


def rotate_tokens(ws: Workspace, *, expires_in: int = 43_200) -> None:
    """From now on the workspace's installs get expiring tokens and refresh tokens."""
    with _lock:
        _rotating[ws] = expires_in


def check_client(header: str | None, args: dict[str, Any]) -> None:
    client_id, secret = args.pop("client_id", None), args.pop("client_secret", None)
    if header and header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[len("basic ") :].strip()).decode()
        except (ValueError, UnicodeDecodeError):
            raise SlackError("invalid_client_id") from None
        client_id, _, secret = decoded.partition(":")
    if not client_id:
        raise SlackError("invalid_client_id")
    if client_id != CLIENT_ID:
        raise SlackError("invalid_client_id")
    if secret != CLIENT_SECRET:
        raise SlackError("bad_client_secret")


def v2_access(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    grant = args.get("grant_type") or "authorization_code"
    if grant == "refresh_token":
        return _refreshed(str(args.get("refresh_token") or ""))
    if grant != "authorization_code":
        raise SlackError("invalid_grant_type")
    with _lock:
        found = _codes.pop(str(args.get("code") or ""), None)
    if found is None or found[1] < time.monotonic():
        raise SlackError("invalid_code")
    target, _, installer, org = found
    if org:
        return _org_wide(target, installer)
    answer = {
        **_bot(target),
        "authed_user": {"id": installer},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    with _lock:
        expires_in = _rotating.get(target)
    if expires_in is not None:
        answer.update(_new_token(target, expires_in))
    return answer


def _org_wide(ws: Workspace, installer: str) -> dict[str, Any]:
    """An org-wide install: one bot token for the organisation, no team."""
    return {
        "access_token": ws.org_token,
        "token_type": "bot",
        "scope": GRANTED,
        "bot_user_id": ws.bot_user_id,
        "app_id": ws.app_id,
        "team": None,
        "enterprise": {"id": ws.enterprise_id, "name": ws.enterprise_id},
        "is_enterprise_install": True,
        "authed_user": {"id": installer},
    }


def _bot(ws: Workspace) -> dict[str, Any]:
    return {
        "access_token": ws.token,
        "token_type": "bot",
        "scope": GRANTED,
        "bot_user_id": ws.bot_user_id,
        "app_id": ws.app_id,
        "team": {"id": ws.team_id, "name": ws.team_name},
    }


def _new_token(ws: Workspace, expires_in: int) -> dict[str, Any]:
    """A fresh expiring bot token: the workspace answers to it (and no longer to the old)."""
    ws.token = f"xoxe.xoxb-{ws.team_id}-{secrets.token_hex(8)}"
    refresh = f"xoxe-1-{secrets.token_hex(16)}"
    with _lock:
        _refresh[refresh] = ws
    return {"access_token": ws.token, "refresh_token": refresh, "expires_in": expires_in}


def _refreshed(refresh_token: str) -> dict[str, Any]:
    with _lock:
        ws = _refresh.pop(refresh_token, None)
        expires_in = None if ws is None else _rotating.get(ws)
    if ws is None or expires_in is None:
        raise SlackError("invalid_refresh_token")
    return {**_bot(ws), **_new_token(ws, expires_in)}
