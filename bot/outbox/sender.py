"""One Web API call and what came of it (sent, retry later, give up); never raises for Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.outbox.envelope import SlackMethod
from bot.outbox.uploads import upload

# Errors worth trying again; anything else Slack says ``ok: false`` about is final.
TRANSIENT_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    response: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None  # set when Slack said 429
    transient: bool = False
    error: str | None = None


class SlackSender:
    """Makes one Web API call and says what happened; never raises for Slack's answers."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def call(self, method: str, payload: dict[str, Any]) -> Outcome:
        try:
            if method == SlackMethod.UPLOAD:
                response = upload(self.client, payload)
            else:
                response = self.client.api_call(method, json=payload)
            return Outcome(True, dict(response.data) if isinstance(response.data, dict) else {})
        except SlackApiError as err:
            status = err.response.status_code
            error = str(err.response.get("error") or f"http_{status}")
            if status == 429:
                retry = float(err.response.headers.get("Retry-After", "") or 1)
                return Outcome(False, retry_after=max(retry, 1.0), transient=True, error=error)
            transient = status >= 500 or error in TRANSIENT_ERRORS
            return Outcome(False, transient=transient, error=error)
        except (OSError, TimeoutError) as err:  # connection refused, reset, DNS, timeouts
            return Outcome(False, transient=True, error=f"connection: {err}")
