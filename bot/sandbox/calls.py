"""What the fake records and what its method handlers raise: the vocabulary every piece shares.

`Call` is one answered request; `CallLog` keeps them in order; `CallContext` is what a handler
learns about a call beyond its arguments (warnings, the person behind it); `SlackError` is an
`{"ok": false, "error": ...}` answer. Nothing here locks: `FakeSlack` holds the one lock.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One request the fake answered. `context` holds what the fake knew beyond the arguments
    (the person behind a trigger_id or response_url, the user of a DM channel)."""

    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    status: int
    at: float
    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    team_id: str = ""  # the workspace the call was answered for (its token's)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class CallContext:
    """Filled in while a call is answered: warnings for the X-Sandbox-Warnings header and what
    the fake knew about the call (`user`, `dm_user`, `channel`, `message_ts`)."""

    warnings: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


class SlackError(Exception):
    """An `{"ok": false, "error": ...}` answer, raised inside a method handler."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class CallLog:
    """The recorded calls, oldest first."""

    def __init__(self) -> None:
        self._calls: list[Call] = []

    def record(
        self,
        method: str,
        args: dict[str, Any],
        response: dict[str, Any],
        status: int,
        ctx: CallContext | None = None,
        *,
        team_id: str = "",
    ) -> None:
        ctx = ctx or CallContext()
        self._calls.append(
            Call(
                method=method,
                args=copy.deepcopy(args),
                response=copy.deepcopy(response),
                status=status,
                at=time.time(),
                warnings=list(ctx.warnings),
                context=dict(ctx.context),
                team_id=team_id,
            )
        )

    def select(self, method: str | None = None, *, ok: bool | None = None) -> list[Call]:
        """Copies of the recorded calls of `method` (None: all), only successful ones when
        `ok=True`, only failed ones when `ok=False`."""
        return [
            copy.deepcopy(c)
            for c in self._calls
            if (method is None or c.method == method) and (ok is None or c.ok == ok)
        ]

    def all(self) -> list[Call]:
        """The recorded calls themselves (not copies), for rendering."""
        return list(self._calls)

    def clear(self) -> None:
        self._calls = []


def summarize(calls: list[Call], last: int = 40) -> str:
    """The last calls, one line each, for assertion messages."""
    if not calls:
        return "Recorded: nothing."
    lines = [f"Recorded ({len(calls)} calls, last {min(last, len(calls))}):"]
    for c in calls[-last:]:
        outcome = "ok" if c.ok else c.response.get("error", "error")
        keys = ("channel", "user", "user_id", "ts", "trigger_id", "url_id", "response_type")
        shown = {k: c.args[k] for k in keys if k in c.args}
        text = str(c.args.get("text", ""))[:60]
        lines.append(f"  {c.method} [{c.status} {outcome}] {shown} {text!r}")
    return "\n".join(lines)
