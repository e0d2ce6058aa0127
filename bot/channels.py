"""What Slack says about a channel (``conversations.info``), remembered for a minute.

Giving kudos asks whether Bravo can post in the channel, and someone else's kudos history asks
which channels are public. Asked per command, a busy channel would spend Slack's Tier 3 budget
for ``conversations.info`` (about 50 calls a minute per workspace) and then wait on 429s. A
channel's nature rarely changes within a minute; when it does (archived, Bravo removed), the
post fails as it would have, and the outbox tells the giver."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_sdk.web import WebClient

TTL = 60.0  # seconds a channel's description is reused
MAX_CHANNELS = 10_000  # described channels kept, across workspaces (the oldest go first)


class ChannelInfo:
    """``conversations.info`` per (workspace, channel), each answer reused for ``ttl`` seconds.
    Only answers are kept: an error (channel not found, Slack down) is raised every time. Two
    requests at once for a channel not known yet may both ask (no waiting on each other)."""

    def __init__(
        self,
        ttl: float = TTL,
        max_channels: int = MAX_CHANNELS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._max, self._now = ttl, max_channels, now
        self._seen: OrderedDict[tuple[str, str], tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def info(self, client: WebClient, team_id: str, channel_id: str) -> dict[str, Any]:
        """The channel as Slack describes it (``SlackApiError`` as the call raises it)."""
        key = (team_id, channel_id)
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and self._now() - seen[0] < self._ttl:
                return seen[1]
        described = client.conversations_info(channel=channel_id).get("channel") or {}
        found = dict(described) if isinstance(described, dict) else {}
        with self._lock:
            self._seen[key] = (self._now(), found)
            self._seen.move_to_end(key)
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
        return found

    def forget(self, team_id: str, channel_id: str) -> None:
        """A channel Bravo heard has changed (archived, left): ask Slack again next time."""
        with self._lock:
            self._seen.pop((team_id, channel_id), None)
