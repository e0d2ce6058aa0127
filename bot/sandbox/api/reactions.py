"""reactions.add: the bot reacts to a message with an emoji."""

from __future__ import annotations

from typing import Any

from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace


def add(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    name = str(args.get("name") or "").strip(":")
    ts = str(args.get("timestamp") or "")
    if not ts:
        raise SlackError("no_item_specified")
    if not name:
        raise SlackError("invalid_name")
    channel = ws.resolve_channel(args.get("channel"), allow_user=False)
    ws.visible(channel)
    ws.note_dm(channel, ctx)
    done = ws.reactions.setdefault((channel, ts), [])
    if name in done:
        raise SlackError("already_reacted")
    done.append(name)
    message = ws.messages.get((channel, ts))
    if message is not None:
        message.setdefault("reactions", []).append(
            {"name": name, "users": [ws.bot_user_id], "count": 1}
        )
    return {}
