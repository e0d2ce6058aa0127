"""files.*: the two Web API steps of an upload (files_upload_v2) and the bytes sent between them.

files.getUploadURLExternal hands out an upload URL on the fake (UPLOAD_PATH), the client sends the
file's bytes there, and files.completeUploadExternal shares the uploaded files, in a channel when
one is given.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.calls import CallContext, SlackError
from bot.sandbox.state import Workspace

UPLOAD_PATH = "/_upload/"


def get_upload_url(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    filename = args.get("filename")
    try:
        length = int(args.get("length") or -1)
    except ValueError:
        length = -1
    if not filename or length < 0:
        raise SlackError("invalid_arguments")
    file_id = ws.new_id("F")
    ws.files[file_id] = {
        "id": file_id,
        "name": filename,
        "title": filename,
        "length": length,
        "alt_txt": args.get("alt_txt"),
        "content": None,
        "completed": False,
        "channels": [],
        "initial_comment": None,
    }
    return {"upload_url": f"{ws.root_url}{UPLOAD_PATH}{file_id}", "file_id": file_id}


def receive(ws: Workspace, file_id: str, content: bytes) -> bool:
    """Keep the bytes sent to a file's upload URL; False when no such upload was asked for."""
    stored = ws.files.get(file_id)
    if stored is None:
        return False
    stored["content"] = content
    return True


def complete_upload(ws: Workspace, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments")
    channel = None
    if args.get("channel_id"):
        channel = ws.resolve_channel(args["channel_id"], allow_user=False)
        ws.can_post(channel)
        ws.note_dm(channel, ctx)
    done = []
    for entry in entries:
        stored = ws.files.get(str(entry.get("id") if isinstance(entry, dict) else ""))
        if stored is None or stored["content"] is None:
            raise SlackError("file_not_found")
        done.append((stored, entry))
    shared = [_share(ws, stored, entry, args, channel) for stored, entry in done]
    if channel:
        ts = ws.next_ts()
        message = ws.bot_message(channel, {"text": args.get("initial_comment")}, ts)
        message["files"] = copy.deepcopy(shared)
        ws.messages[(channel, ts)] = message
    return {"files": shared}


def _share(
    ws: Workspace,
    stored: dict[str, Any],
    entry: dict[str, Any],
    args: dict[str, Any],
    channel: str | None,
) -> dict[str, Any]:
    """Mark an uploaded file complete (and shared in `channel`); the file as Slack returns it."""
    stored["completed"] = True
    stored["title"] = entry.get("title") or stored["name"]
    stored["initial_comment"] = args.get("initial_comment")
    if channel:
        stored["channels"].append(channel)
    return {
        "id": stored["id"],
        "name": stored["name"],
        "title": stored["title"],
        "size": len(stored["content"]),
        "channels": list(stored["channels"]),
        "permalink": f"https://{ws.team_domain}.slack.com/files/{stored['id']}",
    }
