"""What gets sent: a message envelope naming its Slack method, and which methods are paced."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class SlackMethod(StrEnum):
    """The Web API methods Bravo queues. ``UPLOAD`` is not one Web API method but slack_sdk's
    ``files_upload_v2`` (three calls: get an upload URL, upload, complete)."""

    POST = "chat.postMessage"
    UPDATE = "chat.update"
    DELETE = "chat.delete"
    EPHEMERAL = "chat.postEphemeral"
    REACT = "reactions.add"
    UPLOAD = "files.uploadV2"


@dataclass(frozen=True)
class OutMessage:
    """A message to deliver. ``update_of`` names an earlier outbox row whose posted message this
    call edits (its channel and ts are filled in when that row has been sent)."""

    kind: str
    method: str
    payload: dict[str, Any]
    ref: str | None = None
    dedupe_key: str | None = None
    notify_user: str | None = None
    update_of: int | None = None


def paced(method: str) -> bool:
    """chat.* calls post or edit messages and count against Slack's message limits; views.* and
    response_url posts have limits of their own and are never held back."""
    return method.startswith("chat.") and method != "chat.getPermalink"
