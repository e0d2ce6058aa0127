"""conversations.*: channels and DMs, what the bot can see of them, and who is in them."""

from __future__ import annotations

from typing import Any

from bot.sandbox.api.chat import public
from bot.sandbox.api.paging import page
from bot.sandbox.args import flag
from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace


def channel_json(ws: Workspace, channel_id: str) -> dict[str, Any]:
    """A channel or a DM with the app, as conversations.info returns it."""
    if channel_id in ws.dm_users:
        return {
            "id": channel_id,
            "created": ws.ts_start,
            "is_im": True,
            "is_org_shared": False,
            "user": ws.dm_users[channel_id],
            "is_open": True,
            "is_user_deleted": ws.users.get(ws.dm_users[channel_id], {}).get("deleted"),
        }
    c = ws.channels[channel_id]
    return {
        "id": channel_id,
        "name": c["name"],
        "name_normalized": c["name"],
        "is_channel": not c["is_private"],
        "is_group": c["is_private"],
        "is_im": False,
        "is_mpim": c.get("is_mpim", False),
        "is_private": c["is_private"],
        "is_archived": c["is_archived"],
        "is_general": False,
        "is_member": ws.bot_user_id in c["members"],
        "created": c["created"],
        "creator": c.get("creator", ""),
        "num_members": len(c["members"]),
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
    }


def info(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    return {"channel": channel_json(ws, channel)}


def members(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    found, cursor = page(ws.members(channel), args, default_limit=100)
    return {"members": found, "response_metadata": {"next_cursor": cursor}}


def list_conversations(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    types = set(str(args.get("types") or "public_channel").split(","))
    exclude_archived = flag(args.get("exclude_archived"))
    wanted = []
    for cid, c in ws.channels.items():
        kind = "private_channel" if c["is_private"] else "public_channel"
        if c.get("is_mpim"):
            kind = "mpim"
        if kind not in types or (exclude_archived and c["is_archived"]):
            continue
        if c["is_private"] and ws.bot_user_id not in c["members"]:
            continue
        wanted.append(cid)
    if "im" in types:
        wanted += list(ws.dm_users)
    found, cursor = page(wanted, args, default_limit=100)
    return {
        "channels": [channel_json(ws, cid) for cid in found],
        "response_metadata": {"next_cursor": cursor},
    }


def open_conversation(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    if args.get("channel"):
        channel = ws.resolve_channel(args["channel"], allow_user=False)
        return {"channel": {"id": channel}, "no_op": True, "already_open": True}
    raw = args.get("users")
    users = raw if isinstance(raw, list) else [u for u in str(raw or "").split(",") if u]
    if not users:
        raise SlackError("users_list_not_supplied")
    for uid in users:
        if ws.user(uid)["deleted"]:
            raise SlackError("user_disabled")
    if len(users) == 1:
        already = users[0] in ws.dms
        channel = ws.dm_for(users[0])
        ctx.context["dm_user"] = users[0]
        return {"channel": {"id": channel}, "no_op": already, "already_open": already}
    return open_group_dm(ws, users)


def open_group_dm(ws: Workspace, users: list[str]) -> dict[str, Any]:
    """conversations.open for several people: their group DM (mpim) with the bot."""
    everyone = sorted({*users, ws.bot_user_id})
    for cid, c in ws.channels.items():
        if c.get("is_mpim") and sorted(c["members"]) == everyone:
            return {"channel": {"id": cid}, "no_op": True, "already_open": True}
    cid = ws.new_id("G")
    names = "--".join(ws.users[u]["name"] for u in everyone)
    ws.add_channel(cid, f"mpdm-{names}-1", members=everyone, is_private=True)
    ws.channels[cid]["is_mpim"] = True
    return {"channel": {"id": cid}}


def _window(args: dict[str, Any]) -> tuple[float, float, bool]:
    """(oldest, latest, inclusive) of a history call; latest defaults to now."""
    try:
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or 0) or float("inf")
    except ValueError as err:
        raise SlackError("invalid_ts_oldest") from err
    return oldest, latest, flag(args.get("inclusive"))


def _readable(ws: Workspace, args: dict[str, Any]) -> str:
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    stored = ws.channels.get(channel)
    if stored is not None and ws.bot_user_id not in stored["members"]:
        raise SlackError("not_in_channel")
    return channel


def _shown(message: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """A message as a history call returns it: metadata only with include_all_metadata."""
    shown = public(message)
    if not flag(args.get("include_all_metadata")):
        shown.pop("metadata", None)
    return shown


def _in_window(ts: str, window: tuple[float, float, bool]) -> bool:
    oldest, latest, inclusive = window
    at = float(ts)
    if inclusive:
        return oldest <= at <= latest
    return oldest < at < latest


def history(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """conversations.history: the channel's messages, newest first; thread replies only when
    broadcast to the channel."""
    channel = _readable(ws, args)
    window = _window(args)
    wanted = [
        m
        for m in reversed(ws.messages_in(channel))
        if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        if _in_window(m["ts"], window)
    ]
    found, cursor = page(wanted, args, default_limit=100)
    return {
        "messages": [_shown(m, args) for m in found],
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


def replies(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    """conversations.replies: a thread's parent and its replies, oldest first."""
    channel = _readable(ws, args)
    thread = str(args.get("ts") or "")
    if (channel, thread) not in ws.messages:
        raise SlackError("thread_not_found")
    window = _window(args)
    wanted = [
        m
        for m in ws.messages_in(channel)
        if m["ts"] == thread or (m.get("thread_ts") == thread and _in_window(m["ts"], window))
    ]
    found, cursor = page(wanted, args, default_limit=100)
    return {
        "messages": [_shown(m, args) for m in found],
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }
