"""One Web API call and what came of it (sent, retry later, give up); never raises for Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.errors import NotInstalledError
from bot.outbox.clients import NOT_INSTALLED, ClientFor, one_client
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
    """Makes one Web API call, with the token of the workspace it is for, and says what
    happened; never raises for Slack's answers. ``clients``: the client of each workspace
    (``bot.outbox.clients.TeamClients``), or one client for every call."""

    def __init__(self, clients: WebClient | ClientFor) -> None:
        self.client_for = one_client(clients) if isinstance(clients, WebClient) else clients

    def call(self, method: str, payload: dict[str, Any], team_id: str = "") -> Outcome:
        try:
            client = self.client_for(team_id)
        except NotInstalledError:  # final: nothing can be sent there until it is installed
            return Outcome(False, error=NOT_INSTALLED)
        except Exception as err:  # the token could not be read (the database): later
            return Outcome(False, transient=True, error=f"token: {type(err).__name__}")
        try:
            if method == SlackMethod.UPLOAD:
                response = upload(client, payload)
            else:
                response = client.api_call(method, json=payload)
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
