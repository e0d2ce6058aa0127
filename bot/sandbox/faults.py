"""Fault injection: what the fake is told to get wrong, and whether a call fails now.

Failures queued with `fail_next`, rate limits per method and channel and for the workspace as a
whole (token buckets), the bot token's scopes, and a delay before every answer. The limits are
set once for every hosted workspace, and each workspace has its own buckets, as in Slack (one
workspace's posts never use up another's limit). `Faults` is not
thread-safe on its own: `FakeSlack` calls it under its lock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.calls import SlackError

# The calls that count against a workspace-wide message limit (set_workspace_rate_limit). Slack
# documents that limit for chat.postMessage; the fake picks the stricter reading and counts every
# call that posts or changes a message.
WORKSPACE_PACED = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete", "chat.scheduleMessage"}
)

HISTORY_SCOPES = ("channels:history", "groups:history", "im:history", "mpim:history")
# The scopes a method needs (any one of them), for the methods whose scope matters to a test.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
    "conversations.members": ("channels:read", "groups:read"),
    "conversations.info": ("channels:read", "groups:read"),
    "conversations.history": HISTORY_SCOPES,
    "conversations.replies": HISTORY_SCOPES,
    "conversations.open": ("im:write", "mpim:write"),
    "users.lookupByEmail": ("users:read.email",),
}

SERVER_ERRORS = {500: "internal_error", 503: "service_unavailable"}


@dataclass
class Failure:
    """A failure queued by `fail_next`, good for `times` more calls."""

    status: int
    retry_after: int
    error: str | None
    times: int

    def answer(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(HTTP status, JSON body, headers) of the failed answer."""
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        if self.status == 429:
            return (
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(self.retry_after)},
            )
        error = SERVER_ERRORS.get(self.status, "fatal_error")
        return self.status, {"ok": False, "error": error}, {}


class Bucket:
    """A token bucket: `rate` calls per second, bursts up to `capacity` (default max(1, rate))."""

    def __init__(self, rate: float, now: float, capacity: float | None = None) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate if capacity is None else capacity)
        self.tokens, self.at = self.capacity, now

    def wait(self, now: float) -> int:
        """0 if a call may go ahead now, else the seconds to wait (at least 1); takes nothing."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            return 0
        return max(1, math.ceil((1 - self.tokens) / self.rate))

    def take(self, now: float) -> int:
        """0 if the call may go ahead (a token is taken), else the seconds to wait."""
        wait = self.wait(now)
        if not wait:
            self.tokens -= 1
        return wait


class Faults:
    """The faults the fake is told to inject. The settings (rate limits, scopes, latency) last;
    `clear()` forgets only what calls used up (queued failures, bucket levels)."""

    def __init__(self) -> None:
        self._rate_limits: dict[str, float] = {}
        self._workspace_limit: tuple[float, int] | None = None  # (per second, burst)
        self.latency = 0.0
        self._scopes: set[str] | None = None  # None: every scope Bravo could ask for
        self.clear()

    def clear(self) -> None:
        self._failures: dict[str, list[Failure]] = {}
        self._buckets: dict[tuple[str, str, str], Bucket] = {}  # (team, method, channel)
        self._workspace_buckets: dict[str, Bucket] = {}  # by team

    # ---- settings --------------------------------------------------------------------------

    def fail_next(
        self, method: str, *, status: int, retry_after: int, error: str | None, times: int
    ) -> None:
        self._failures.setdefault(method, []).append(
            Failure(status=status, retry_after=retry_after, error=error, times=times)
        )

    def set_rate_limit(self, method: str, per_second: float | None) -> None:
        if per_second:
            self._rate_limits[method] = float(per_second)
        else:
            self._rate_limits.pop(method, None)
        self._buckets = {k: v for k, v in self._buckets.items() if k[1] != method}

    def set_workspace_rate_limit(self, per_minute: float | None, burst: int) -> None:
        if per_minute:
            self._workspace_limit = (float(per_minute) / 60.0, max(1, int(burst)))
        else:
            self._workspace_limit = None
        self._workspace_buckets = {}

    def set_scopes(self, scopes: Iterable[str] | None) -> None:
        self._scopes = None if scopes is None else set(scopes)

    def set_latency(self, seconds: float) -> None:
        self.latency = max(0.0, float(seconds))

    # ---- decisions, one call at a time -----------------------------------------------------

    def injected(self, method: str) -> Failure | None:
        """The failure queued for this call of `method`, used up; None when there is none."""
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def check_scope(self, method: str, args: dict[str, Any] | None = None) -> None:
        """Raise SlackError("missing_scope") when the token lacks every scope `method` needs
        (conversations.open: ``im:write`` for one person's DM, ``mpim:write`` for several)."""
        needed = METHOD_SCOPES.get(method)
        if method == "conversations.open" and args is not None and not args.get("channel"):
            raw = args.get("users")
            users = raw if isinstance(raw, list) else str(raw or "").split(",")
            needed = ("mpim:write",) if len([u for u in users if u]) > 1 else ("im:write",)
        if needed is None or self._scopes is None:
            return
        if not any(scope in self._scopes for scope in needed):
            raise SlackError(
                "missing_scope", needed=",".join(needed), provided=",".join(sorted(self._scopes))
            )

    def rate_limited(self, method: str, args: dict[str, Any], now: float, team: str = "") -> int:
        """0 when the call may go ahead (taking from every limit it is under), else Retry-After.
        ``team``: the workspace the call is answered for (its own buckets)."""
        buckets = []
        rate = self._rate_limits.get(method)
        if rate:
            key = (team, method, str(args.get("channel") or args.get("channel_id") or ""))
            buckets.append(self._buckets.setdefault(key, Bucket(rate, now)))
        if self._workspace_limit is not None and method in WORKSPACE_PACED:
            bucket = self._workspace_buckets.get(team)
            if bucket is None:
                per_second, burst = self._workspace_limit
                bucket = self._workspace_buckets[team] = Bucket(per_second, now, capacity=burst)
            buckets.append(bucket)
        wait = max((b.wait(now) for b in buckets), default=0)
        if not wait:
            for bucket in buckets:
                bucket.take(now)
        return wait
