"""``bravo worker``: does the work the web process acked and recorded (queue mode).

The web process (``bravo run --http --queue``) acks each request and records its body in the
database (``record_for``: ``storage.work``). A worker claims the oldest item nobody holds and
replays it through the same Bolt app (``dispatch``, built by the composition root without
request verification: it reads only Bravo's own database) with an ``InlineWork``, so the
listener's work runs there and then; then it marks the item done. A worker that dies mid-item
leaves it claimed; once the claim is older than ``claim_for`` another worker takes it again,
and the use cases' own idempotence (event ids, batch ids, the outbox's dedupe keys) keeps it
from being done twice. An item that has been taken ``MAX_ATTEMPTS`` times is given up (logged):
a request that kills every worker must not go round for ever.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.group_commit import GroupCommit
from bot.work import Record
from storage import work as store
from storage.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
CLAIM_FOR = timedelta(minutes=5)  # far longer than any one request's work
KEEP_DONE = timedelta(hours=1)  # then a done item (what people typed) is deleted
PURGE_EVERY = 60.0  # seconds between purges, per worker

Dispatch = Callable[[dict[str, Any]], None]


class Append(Protocol):
    """Writes a batch of (team_id, body) work items, committed when it returns
    (``storage.work.Appender``)."""

    def __call__(self, items: list[tuple[str, dict[str, Any]]], *, now: datetime) -> None: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


WRITERS = 2  # groups written at once, each on its own connection


def record_for(db: Database, now: Callable[[], datetime] = _utc_now) -> Record:
    """What the web process records a request with, in queue mode (``GroupRecord``)."""
    return GroupRecord([store.Appender(db) for _ in range(WRITERS)], now)


class GroupRecord:
    """Records requests for workers as a group commit (``bot.group_commit``): one INSERT per
    group, each on its own appender's connection; a call returns once its request is committed
    (it raises if its group failed), so a request is acked only when it is safe."""

    def __init__(
        self, appenders: Sequence[Append] | Append, now: Callable[[], datetime] = _utc_now
    ) -> None:
        found = list(appenders) if isinstance(appenders, Sequence) else [appenders]
        if not found:
            raise ValueError("a group record needs an appender")
        self._now = now
        self._group = GroupCommit([self._writer(a) for a in found])

    def _writer(self, append: Append) -> Callable[[list[tuple[str, dict[str, Any]]]], None]:
        return lambda batch: append(batch, now=self._now())

    def __call__(self, team_id: str, body: dict[str, Any]) -> None:
        self._group((team_id, body))

    def waiting(self) -> int:
        return self._group.waiting()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self,
        db: Database,
        dispatch: Dispatch,
        *,
        name: str | None = None,
        claim_for: timedelta = CLAIM_FOR,
        poll_seconds: float = 0.5,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.db = db
        self.name = name or worker_name()
        self._dispatch = dispatch
        self._claim_for = claim_for
        self._poll = poll_seconds
        self._now = now

    def run_once(self) -> bool:
        """Claim one item and do it; False when there was nothing to claim."""
        now = self._now()
        with self.db.write() as session:
            items = store.claim(
                session, worker=self.name, now=now, stale_before=now - self._claim_for
            )
            taken = [(int(i.id or 0), i.attempts, store.body_of(i)) for i in items]
        if not taken:
            return False
        item_id, attempts, body = taken[0]
        failed = attempts > MAX_ATTEMPTS
        if failed:
            log.error("gave up work item %s after %s attempts", item_id, attempts - 1)
        else:
            failed = not self._do(item_id, body)
        with self.db.write() as session:
            if not store.finish(session, item_id, worker=self.name, now=self._now(), failed=failed):
                log.warning("work item %s was taken again before it was done", item_id)
        return True

    def purge(self) -> int:
        with self.db.write() as session:
            return store.purge_done(session, before=self._now() - KEEP_DONE)

    def _do(self, item_id: int, body: dict[str, Any]) -> bool:
        try:
            self._dispatch(body)
        except Exception:  # one bad request must not stop the worker; its user was told
            log.exception("work item %s failed", item_id)
            return False
        return True

    def run(self, stop: threading.Event) -> None:
        """Until ``stop``: take items as they come, polling when there are none."""
        log.info("worker %s taking work", self.name)
        purged = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() - purged > PURGE_EVERY:
                    self.purge()
                    purged = time.monotonic()
                busy = self.run_once()
            except Exception:  # the database went away: try again after a pause
                log.exception("could not take work")
                busy = False
            if not busy:
                stop.wait(self._poll)
