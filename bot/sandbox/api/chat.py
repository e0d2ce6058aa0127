"""chat.*: the bot posts, updates, deletes and schedules messages, and links to them."""

from __future__ import annotations

import copy
import time
from typing import Any

from bot.sandbox.blockkit import check_message
from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace

MAX_TEXT = 40_000
SCHEDULE_HORIZON = 120 * 86400  # chat.scheduleMessage: at most 120 days ahead


def check_content(args: dict[str, Any], ctx: CallContext, *, required: bool = True) -> None:
    """Raise no_text, msg_too_long or invalid_blocks as Slack would; warn when blocks come
    without a text fallback."""
    text, blocks = args.get("text"), args.get("blocks")
    has_blocks = isinstance(blocks, list) and len(blocks) > 0
    if required and not text and not has_blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    problems = check_message(args)
    if problems:
        raise SlackError(
            "invalid_blocks",
            errors=problems,
            response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
        )
    if has_blocks and not text:
        ctx.warnings.append("missing_text_fallback")


def public(message: dict[str, Any]) -> dict[str, Any]:
    """A stored message as the API returns it (a copy, without the channel)."""
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}


def post_message(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=True)
    ws.can_post(channel)
    check_content(args, ctx)
    ws.note_dm(channel, ctx)
    message = ws.bot_message(channel, args, ws.next_ts())
    ws.messages[(channel, message["ts"])] = message
    return {"channel": channel, "ts": message["ts"], "message": public(message)}


def post_ephemeral(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=True)
    ws.visible(channel)
    if ws.is_archived(channel):
        raise SlackError("is_archived")
    user = ws.user(args.get("user"))["id"]
    if user not in ws.members(channel):
        raise SlackError("user_not_in_channel")
    check_content(args, ctx)
    ctx.context["user"] = user
    return {"message_ts": ws.next_ts()}


def own_message(ws: Workspace, args: dict[str, Any], *, verb: str) -> tuple[str, dict[str, Any]]:
    """(channel, stored message) of the bot's own message named by `channel` and `ts`."""
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    message = ws.messages.get((channel, str(args.get("ts") or "")))
    if message is None:
        raise SlackError("message_not_found")
    if message.get("user") != ws.bot_user_id:
        raise SlackError(f"cant_{verb}_message")
    return channel, message


def update(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel, message = own_message(ws, args, verb="update")
    if ws.is_archived(channel):
        raise SlackError("is_archived")
    check_content(args, ctx)
    ws.note_dm(channel, ctx)
    message["text"] = args.get("text") or ""
    for key in ("blocks", "attachments", "metadata"):
        if key in args:  # Slack keeps the old blocks unless new ones (maybe []) are given
            if args[key]:
                message[key] = args[key]
            else:
                message.pop(key, None)
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    return {
        "channel": channel,
        "ts": message["ts"],
        "text": message["text"],
        "message": public(message),
    }


def delete(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel, message = own_message(ws, args, verb="delete")
    ws.note_dm(channel, ctx)
    del ws.messages[(channel, message["ts"])]
    return {"channel": channel, "ts": message["ts"]}


def get_permalink(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    ts = str(args.get("message_ts") or "")
    if not ts:
        raise SlackError("message_not_found")
    permalink = f"https://{ws.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return {"channel": channel, "permalink": permalink}


def schedule_message(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    channel = ws.resolve_channel(args.get("channel"), allow_user=True)
    ws.can_post(channel)
    try:
        post_at = int(float(args.get("post_at") or 0))
    except ValueError as err:
        raise SlackError("invalid_time") from err
    now = time.time()
    if post_at <= now:
        raise SlackError("time_in_past")
    if post_at > now + SCHEDULE_HORIZON:
        raise SlackError("time_too_far")
    check_content(args, ctx)
    ws.note_dm(channel, ctx)
    scheduled_id = ws.new_id("Q")
    message = ws.bot_message(channel, args, "")
    ws.scheduled.append({"id": scheduled_id, "post_at": post_at, "message": message})
    return {
        "channel": channel,
        "scheduled_message_id": scheduled_id,
        "post_at": post_at,
        "message": public(message),
    }
