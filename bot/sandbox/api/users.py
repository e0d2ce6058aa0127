"""users.* and usergroups.*: the people in the workspace, and its user groups."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.api.paging import READ_ONLY_LIMIT, page
from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace


def tz_offset(tz: str) -> tuple[int, str]:
    """(seconds east of UTC now, the zone's abbreviation) of an IANA zone; (0, tz) if unknown."""
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return 0, tz
    offset = now.utcoffset()
    return int(offset.total_seconds()) if offset else 0, now.tzname() or tz


def user_json(ws: Workspace, user_id: str) -> dict[str, Any]:
    """A member as users.info returns it."""
    u = ws.users[user_id]
    offset, label = tz_offset(u["tz"])
    profile: dict[str, Any] = {
        "display_name": u["name"],
        "display_name_normalized": u["name"],
        "real_name": u["real_name"],
        "real_name_normalized": u["real_name"],
        "team": ws.team_id,
        **status_json(u),
    }
    if u.get("email"):
        profile["email"] = u["email"]
    if user_id == ws.bot_user_id:
        profile["bot_id"] = ws.bot_id
        profile["api_app_id"] = ws.app_id
    return {
        "id": user_id,
        "team_id": ws.team_id,
        "name": u["name"],
        "deleted": u["deleted"],
        "real_name": u["real_name"],
        "tz": u["tz"],
        "tz_label": label,
        "tz_offset": offset,
        "is_admin": u["is_admin"] or u["is_owner"],
        "is_owner": u["is_owner"],
        "is_bot": u["is_bot"],
        "is_app_user": False,
        "updated": ws.ts_start,
        "profile": profile,
    }


def status_json(u: dict[str, Any]) -> dict[str, Any]:
    """A member's status as their profile shows it; one past its expiry reads as cleared, as
    Slack clears it then."""
    expiration = int(u.get("status_expiration") or 0)
    if expiration and expiration <= time.time():
        return {"status_text": "", "status_emoji": "", "status_expiration": 0}
    return {
        "status_text": u.get("status_text") or "",
        "status_emoji": u.get("status_emoji") or "",
        "status_expiration": expiration,
    }


def users_profile_get(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """A member's profile (the caller's own when ``user`` is not given, which a bot token
    cannot have: Slack answers user_not_found then, as the fake does)."""
    return {"profile": user_json(ws, ws.user(args.get("user"))["id"])["profile"]}


def users_info(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    return {"user": user_json(ws, ws.user(args.get("user"))["id"])}


def users_lookup_by_email(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """A member by their email (any case), as Slack finds them: deactivated ones too."""
    email = str(args.get("email") or "").strip().lower()
    if not email:
        raise SlackError("invalid_arguments")
    for uid, u in ws.users.items():
        if (u.get("email") or "").lower() == email:
            return {"user": user_json(ws, uid)}
    raise SlackError("users_not_found")


def users_list(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    members, cursor = page(list(ws.users), args, default_limit=READ_ONLY_LIMIT)
    return {
        "members": [user_json(ws, uid) for uid in members],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": cursor},
    }


def usergroups_users_list(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    group = ws.usergroups.get(str(args.get("usergroup") or ""))
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group["users"])}
