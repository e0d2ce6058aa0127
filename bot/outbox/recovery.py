"""Rows left in doubt: a process claimed them for sending and died (kill -9, power cut) before
it wrote what Slack answered, so Slack may or may not have them. Before one is sent again it is
looked for in Slack.

Every chat.postMessage Bravo sends carries the row's id in Slack's message metadata
(``TAG``); a file upload is known by its file name and title. ``Recovery.find`` reads the
channel's recent history (``conversations.history``; ``conversations.replies`` for a post in a
thread; a DM's channel through ``conversations.open``) from a little before the row was claimed.
Found: the row is written as sent, with the message's channel and ts. Not found: it is sent.
Slack could not be asked (no history scope yet, the channel is gone): it is sent, as before, at
least once. Slack is unavailable: the row waits and stays in doubt.

Rows are in doubt from their claim (``in_doubt_since``, written in the claiming statement, before
any call) to their result. Whose claim it is (``Claimant``: host, pid and a token of the run)
lets a process starting on the same host free at once the rows of a predecessor that is dead,
instead of waiting for their claims to lapse; a live neighbour's rows are left alone.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from bot.errors import NotInstalledError
from bot.outbox.clients import NOT_INSTALLED, ClientFor, one_client
from bot.outbox.envelope import SlackMethod
from storage import outbox as store
from storage.db import Database

log = logging.getLogger(__name__)

EVENT_TYPE = "bravo_outbox"
# Slack's clock and ours may differ a little: history is read from this long before the claim.
CLOCK_MARGIN = timedelta(minutes=2)
PAGE = 200  # messages a history page (Slack recommends no more than 200)
MAX_PAGES = 20  # a channel busier than 4,000 messages in the window is not read further


def tag(payload: dict[str, Any], row_id: int) -> dict[str, Any]:
    """A chat.postMessage payload with the row's id in its metadata (unless it has its own)."""
    if "metadata" in payload:
        return payload
    metadata = {"event_type": EVENT_TYPE, "event_payload": {"outbox_id": row_id}}
    return {**payload, "metadata": metadata}


def tagged(message: dict[str, Any], row_id: int) -> bool:
    meta = message.get("metadata") or {}
    return bool(
        meta.get("event_type") == EVENT_TYPE
        and str((meta.get("event_payload") or {}).get("outbox_id")) == str(row_id)
    )


def looked_up(method: str) -> bool:
    """Methods whose result can be found in Slack; the others are sent again (chat.update says
    the same twice, reactions.add answers already_reacted)."""
    return method in {SlackMethod.POST, SlackMethod.UPLOAD}


@dataclass(frozen=True)
class Lookup:
    """What Slack's history said about a row in doubt. ``found``: it is there (``channel``,
    ``ts``). Not found and no ``error``: send it. ``error``: Slack could not say; ``transient``
    errors are asked again later, other errors mean it cannot be known (send it)."""

    found: bool
    channel: str | None = None
    ts: str | None = None
    error: str | None = None
    transient: bool = False


NOT_FOUND = Lookup(False)
_RUNS: dict[int, str] = {}  # pid -> this run's claimant name (Claimant.name)


class Recovery:
    """Looks for rows in doubt in Slack (see the module's docstring), with the token of the
    row's workspace (``clients``: as ``SlackSender`` takes them)."""

    def __init__(self, clients: WebClient | ClientFor) -> None:
        self.client_for = one_client(clients) if isinstance(clients, WebClient) else clients

    def find(
        self, row_id: int, method: str, payload: dict[str, Any], since: datetime, team_id: str = ""
    ) -> Lookup:
        if not looked_up(method):
            return NOT_FOUND
        try:
            client = self.client_for(team_id)
            channel = _channel(client, str(payload.get("channel") or ""))
            oldest = f"{(since - CLOCK_MARGIN).timestamp():.6f}"
            if method == SlackMethod.UPLOAD:
                return _search(client, channel, oldest, None, lambda m: _has_file(m, payload))
            thread = payload.get("thread_ts")
            return _search(client, channel, oldest, thread, lambda m: tagged(m, row_id))
        except NotInstalledError:  # cannot be known; sending it fails the same way
            return Lookup(False, error=NOT_INSTALLED)
        except SlackApiError as err:
            status = err.response.status_code
            error = str(err.response.get("error") or f"http_{status}")
            return Lookup(False, error=error, transient=status == 429 or status >= 500)
        except (OSError, TimeoutError) as err:
            return Lookup(False, error=f"connection: {err}", transient=True)


def _channel(client: WebClient, channel: str) -> str:
    """A DM given as a person's id is read through its D... channel."""
    if channel[:1] in ("U", "W"):
        opened = client.conversations_open(users=channel)
        return str(opened["channel"]["id"])
    return channel


def _search(client: WebClient, channel: str, oldest: str, thread: Any, match: Any) -> Lookup:
    cursor = None
    for _ in range(MAX_PAGES):
        args: dict[str, Any] = {
            "channel": channel,
            "oldest": oldest,
            "limit": PAGE,
            "include_all_metadata": True,
        }
        if cursor:
            args["cursor"] = cursor
        if thread:
            page = client.conversations_replies(ts=str(thread), **args)
        else:
            page = client.conversations_history(**args)
        for message in page.get("messages") or []:
            if match(message):
                return Lookup(True, channel=channel, ts=str(message.get("ts")))
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return NOT_FOUND
    log.warning("outbox recovery: more than %d messages in %s since %s", PAGE, channel, oldest)
    return NOT_FOUND


def _has_file(message: dict[str, Any], payload: dict[str, Any]) -> bool:
    return any(
        f.get("name") == payload.get("filename")
        and (f.get("title") or f.get("name")) == (payload.get("title") or payload.get("filename"))
        for f in message.get("files") or []
    )


class Claimant:
    """Who claims rows: ``host:pid:token``, the token drawn once per run of a process (every
    deliverer of one process is one claimant, so none takes another's rows for a dead one's)."""

    @property
    def name(self) -> str:
        pid = os.getpid()  # a forked worker is a claimant of its own
        if pid not in _RUNS:
            _RUNS[pid] = f"{socket.gethostname()[:60]}:{pid}:{secrets.token_hex(6)}"
        return _RUNS[pid]

    def is_dead(self, other: str | None) -> bool:
        """Whether ``other`` claimed rows in a process of this host that no longer runs (this
        very pid in an earlier run included). Unknown hosts are not judged: their claims lapse."""
        if not other or other == self.name:
            return False
        host, _, rest = other.partition(":")  # a host name has no colon
        pid_text = rest.partition(":")[0]
        if host != socket.gethostname()[:60] or not pid_text.isdigit():
            return False
        pid = int(pid_text)
        return pid == os.getpid() or not _alive(pid)


def _alive(pid: int) -> bool:
    """A process is alive when it exists and is no zombie (a zombie's outbox thread is gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


def free_dead_claims(db: Database, claimant: Claimant) -> int:
    """End the claims that dead processes of this host hold on rows in doubt, so they can be
    claimed (and looked for in Slack) now rather than when the claims lapse."""
    with db.write() as session:
        dead: dict[str, list[int]] = {}
        for row_id, owner in store.claims_in_doubt(session):
            if owner and claimant.is_dead(owner):
                dead.setdefault(owner, []).append(row_id)
        return sum(store.release(session, ids, owner) for owner, ids in dead.items())
