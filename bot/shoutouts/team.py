"""What Slack says about a team channel: whether Bravo can post there, and who is in it."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.shoutouts.errors import (
    ArchivedChannelError,
    BotNotInChannelError,
    ChannelNotVisibleError,
    NotAChannelError,
)

PAGE = 200


def check_channel(client: WebClient, channel_id: str) -> dict[str, Any]:
    """``conversations.info`` for a channel Bravo can post in; domain errors otherwise."""
    if not channel_id or channel_id[0] not in "CG":
        raise NotAChannelError()
    try:
        info: dict[str, Any] = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as err:
        if err.response.get("error") in {"channel_not_found", "not_in_channel"}:
            raise ChannelNotVisibleError() from None
        raise
    if info.get("is_im") or info.get("is_mpim"):
        raise NotAChannelError()
    if info.get("is_archived"):
        raise ArchivedChannelError()
    if not info.get("is_member"):
        raise BotNotInChannelError()
    return info


def fetch_members(client: WebClient, channel_id: str) -> list[str]:
    """Every member of a channel, page by page."""
    members: list[str] = []
    cursor: str | None = None
    for _ in range(10_000):
        response = client.conversations_members(channel=channel_id, limit=PAGE, cursor=cursor)
        members += list(response.get("members") or [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return list(dict.fromkeys(members))
