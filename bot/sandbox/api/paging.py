"""Slack-style cursor pagination for the list methods."""

from __future__ import annotations

import base64
from typing import Any

from bot.sandbox.calls import SlackError

READ_ONLY_LIMIT = 1000


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def page(items: list[Any], args: dict[str, Any], default_limit: int) -> tuple[list[Any], str]:
    """Slack-style cursor pagination: (this page, next_cursor or "")."""
    try:
        limit = int(args.get("limit") or 0) or default_limit
    except ValueError as err:
        raise SlackError("invalid_limit") from err
    limit = max(1, min(limit, READ_ONLY_LIMIT))
    start = 0
    cursor = args.get("cursor")
    if cursor:
        try:
            kind, _, number = base64.b64decode(str(cursor), validate=True).decode().partition(":")
            start = int(number)
        except (ValueError, UnicodeDecodeError) as err:
            raise SlackError("invalid_cursor") from err
        if kind != "offset" or start < 0:
            raise SlackError("invalid_cursor")
    items_here = items[start : start + limit]
    more = start + limit < len(items)
    return items_here, encode_cursor(start + limit) if more else ""
