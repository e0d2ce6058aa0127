"""response_url: the URL that comes with a slash command or an interaction, for answering it.

The fake hands out response URLs under RESPONSE_PATH; each takes RESPONSE_URL_POSTS posts within
RESPONSE_URL_TTL seconds, as Slack's do. A post may answer the person alone (ephemeral), the
channel (in_channel), or replace or delete the message the interaction came from.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from bot.sandbox.args import flag
from bot.sandbox.blockkit import check_message
from bot.sandbox.calls import CallContext
from bot.sandbox.state import Workspace

RESPONSE_PATH = "/_response/"
RESPONSE_URL_POSTS = 5
RESPONSE_URL_TTL = 30 * 60


def new_response_url(
    ws: Workspace, user_id: str | None, channel_id: str | None, message_ts: str | None
) -> str:
    """A response_url served by the fake, for this person, channel and message."""
    url_id = secrets.token_hex(8)
    ws.response_urls[url_id] = {
        "user": user_id,
        "channel": channel_id,
        "message_ts": message_ts,
        "posts": 0,
        "created": time.time(),
    }
    return f"{ws.root_url}{RESPONSE_PATH}{url_id}"


def context_of(ws: Workspace, url_id: str) -> dict[str, Any]:
    """What the fake knows about a response_url: the person, channel and message it answers."""
    entry = ws.response_urls.get(url_id)
    return {k: entry[k] for k in ("user", "channel", "message_ts")} if entry else {}


def respond(
    ws: Workspace, url_id: str, payload: Any, args: dict[str, Any], ctx: CallContext
) -> tuple[int, str | None]:
    """Answer a post of `payload` (read as `args`) to a response_url: (HTTP status, error)."""
    entry = ws.response_urls.get(url_id)
    status, error = _problem(entry, payload, args)
    if error or entry is None:
        return status, error
    entry["posts"] += 1
    if args.get("text") is None and args.get("blocks"):
        ctx.warnings.append("missing_text_fallback")
    _apply(ws, entry, args)
    return 200, None


def _problem(
    entry: dict[str, Any] | None, payload: Any, args: dict[str, Any]
) -> tuple[int, str | None]:
    if entry is None:
        return 404, "no_service"
    if time.time() - entry["created"] > RESPONSE_URL_TTL:
        return 404, "expired_url"
    if entry["posts"] >= RESPONSE_URL_POSTS:
        return 404, "used_url"
    if not isinstance(payload, dict):
        return 400, "invalid_payload"
    if check_message(args):
        return 400, "invalid_blocks"
    if not (args.get("text") or args.get("blocks") or args.get("delete_original")):
        return 400, "no_text"
    return 200, None


def _apply(ws: Workspace, entry: dict[str, Any], args: dict[str, Any]) -> None:
    channel, ts = entry["channel"], entry["message_ts"]
    original = ws.messages.get((channel, ts)) if channel and ts else None
    if flag(args.get("delete_original")):
        if original is not None:
            del ws.messages[(channel, ts)]
    elif flag(args.get("replace_original")):
        if original is not None:
            original["text"] = args.get("text") or ""
            original["blocks"] = args.get("blocks") or []
            original["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    elif args.get("response_type") == "in_channel" and channel:
        ts = ws.next_ts()
        ws.messages[(channel, ts)] = ws.bot_message(channel, args, ts)
