"""auth.test and team.info: who the bot is, and in which workspace."""

from __future__ import annotations

from typing import Any

from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace


def auth_test(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.users[ws.bot_user_id]["name"],
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        **({"enterprise_id": ws.enterprise_id} if ws.enterprise_id else {}),
        "is_enterprise_install": False,
    }


def teams_list(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """auth.teams.list: the workspaces an org-wide install's token can reach (its own only,
    for a workspace install)."""
    teams = ws.org_teams or [{"id": ws.team_id, "name": ws.team_name}]
    return {"teams": [dict(t) for t in teams], "response_metadata": {"next_cursor": ""}}


def not_socket_mode(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """apps.connections.open when the fake serves no Socket Mode (FakeSlack answers it)."""
    raise SlackError("not_allowed_token_type")


def team_info(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    return {
        "team": {
            "id": ws.team_id,
            "name": ws.team_name,
            "domain": ws.team_domain,
            "email_domain": "",
            "icon": {"image_default": True},
        }
    }


def check_token(ws: Workspace, header: str | None, supplied: Any) -> None:
    """Raise not_authed or invalid_auth unless the call carries the bot token, as an
    ``Authorization: Bearer`` header or a `token` argument."""
    token = None
    if header and header.lower().startswith("bearer "):
        token = header[len("bearer ") :].strip()
    elif supplied:
        token = str(supplied)
    if not token:
        raise SlackError("not_authed")
    if token != ws.token and (ws.org_token is None or token != ws.org_token):
        raise SlackError("invalid_auth")
