"""The one delivery path for everything Bravo sends to Slack.

``SlackSender`` makes a Web API call and classifies the outcome (sent, retry later, give up).
``Outbox`` queues messages in the same database transaction as the record they announce, and
``Deliverer`` sends them: it honours 429 ``Retry-After`` (pausing the whole workspace), retries
server and connection errors with backoff, records every failure on the row, and never drops a
message because Slack failed. Claims are atomic, so several processes may deliver at once.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from storage import outbox as store
from storage.db import Database
from storage.models import OutboxRow

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

# Errors worth trying again; anything else Slack says ``ok: false`` about is final.
TRANSIENT_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}
MAX_BACKOFF = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(days=2)
CLAIM_FOR = timedelta(seconds=60)


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class Outbox:
    def enqueue(
        self, session: Any, team_id: str, messages: Iterable[OutMessage], now: datetime
    ) -> list[OutboxRow]:
        rows = []
        for msg in messages:
            payload = dict(msg.payload)
            if msg.update_of is not None:
                payload["_update_of"] = msg.update_of
            row = store.add(
                session,
                team_id=team_id,
                kind=msg.kind,
                method=msg.method,
                payload=json.dumps(payload),
                ref=msg.ref,
                dedupe_key=msg.dedupe_key,
                notify_user=msg.notify_user,
                now=now,
            )
            if row is not None:
                rows.append(row)
        return rows

    def withdraw(
        self,
        session: Any,
        team_id: str,
        ref: str,
        kinds: Sequence[str],
        replacement: Callable[[OutboxRow], OutMessage],
        now: datetime,
    ) -> int:
        """Cancel what is still queued for ``ref``; queue ``replacement(row)`` edits for what was
        already posted (or is being posted). Returns how many were cancelled before sending."""
        cancelled = 0
        for row in store.by_ref(session, team_id, ref, kinds):
            if row.status == "pending" and store.cancel_if_unclaimed(session, row.id or 0, now):
                cancelled += 1
            elif row.status in {"pending", "sent"}:
                self.enqueue(session, team_id, [replacement(row)], now)
        return cancelled


class Deliverer:
    """Sends due outbox rows. ``deliver_due`` is synchronous (tests, CLI); ``start`` runs it in a
    background thread woken by ``kick`` after every commit that queued something."""

    def __init__(
        self, db: Database, sender: SlackSender, clock: Clock = utcnow, poll_seconds: float = 2.0
    ) -> None:
        self._db = db
        self._sender = sender
        self._clock = clock
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._paused_until: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def kick(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="bravo-delivery", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.deliver_due()
            except Exception:  # keep the loop alive; the rows stay queued
                log.exception("delivery pass failed")
                sent = 0
            if not sent:
                self._wake.wait(self._poll)
                self._wake.clear()

    def deliver_due(self, limit: int = 100) -> int:
        """One pass: claim and send what is due. Returns how many rows were handled."""
        with self._lock:
            now = self._clock()
            with self._db.read() as session:
                due = store.due(session, now, limit)
            handled = 0
            for row_id, team_id in due:
                if self._paused_until.get(team_id, now) > now:
                    continue
                with self._db.write() as session:
                    row = store.claim(session, row_id, now, now + CLAIM_FOR)
                if row is None:
                    continue  # another process has it
                self._deliver(row)
                handled += 1
            return handled

    def drain(self, max_passes: int = 50) -> None:
        """Deliver until nothing more is due now (for tests and the demo)."""
        for _ in range(max_passes):
            if not self.deliver_due():
                return

    def _deliver(self, row: OutboxRow) -> None:
        payload = json.loads(row.payload)
        update_of = payload.pop("_update_of", None)
        if update_of is not None:
            with self._db.read() as session:
                target = store.get(session, int(update_of))
            if target is None or target.status in {"cancelled", "failed"}:
                self._finish(row, "cancelled", error="nothing to update")
                return
            if target.status != "sent":
                self._retry(row, "waiting for the message it edits", timedelta(seconds=2))
                return
            payload["channel"], payload["ts"] = target.result_channel, target.result_ts
        outcome = self._sender.call(row.method, payload)
        if outcome.ok:
            self._finish(row, "sent", response=outcome.response)
        elif outcome.retry_after is not None:
            now = self._clock()
            self._paused_until[row.team_id] = now + timedelta(seconds=outcome.retry_after)
            self._retry(
                row,
                outcome.error or "ratelimited",
                timedelta(seconds=outcome.retry_after),
                count_attempt=False,
            )
        elif outcome.transient and self._clock() - row.created_at < GIVE_UP_AFTER:
            backoff = min(MAX_BACKOFF, timedelta(seconds=2 ** min(row.attempts, 11)))
            self._retry(row, outcome.error or "transient", backoff)
        else:
            log.warning("Slack refused outbox row %s (%s): %s", row.id, row.method, outcome.error)
            self._finish(row, "failed", error=outcome.error)

    def _finish(
        self,
        row: OutboxRow,
        status: str,
        *,
        response: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        now = self._clock()
        response = response or {}
        channel = response.get("channel")
        ts = response.get("ts") or response.get("message_ts")
        with self._db.write() as session:
            store.finish(session, row.id or 0, status, now, error=error, channel=channel, ts=ts)
            if status == "failed" and row.notify_user:
                self._notify_failure(session, row, error or "unknown", now)

    def _notify_failure(self, session: Any, row: OutboxRow, error: str, now: datetime) -> None:
        from bot.render.delivery import delivery_failed_dm

        payload = json.loads(row.payload)
        message = delivery_failed_dm(row.notify_user or "", payload.get("channel"), error)
        Outbox().enqueue(session, row.team_id, [message], now)

    def _retry(
        self, row: OutboxRow, error: str, delay: timedelta, *, count_attempt: bool = True
    ) -> None:
        now = self._clock()
        with self._db.write() as session:
            store.reschedule(session, row.id or 0, now + delay, error, count_attempt=count_attempt)
