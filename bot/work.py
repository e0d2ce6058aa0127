"""Slow work after an ack, on a few threads of its own.

Bolt runs every listener, ``ack()`` included, on its listener pool. If the work that follows an
ack (users.info, the database, replies) ran there too, a burst of commands would fill the pool
and new acks would queue behind old work, past Slack's 3 seconds (measured in bench/). So
listeners ack and hand the rest to this queue; a small pool also leaves the CPU to acks and to
the delivery thread. The queue is bounded: when it is full, the caller decides (a command tells
the person to retry; an event runs in place, so it is never dropped).

Queue mode (``bravo run --http --queue``, PostgreSQL): the web process only acks and records the
request (``hand_on``: its body, once, in the database, ``bot.worker``); a ``bravo worker``
replays it through the same Bolt app with an ``InlineWork``, where the listener acks into the
void and its work runs at once. A listener replayed so must do nothing before ``later`` that
cannot be done twice (parse, check, read: yes; views.open, a reply: no, they use ``here``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


Record = Callable[[str, dict[str, Any]], None]  # (team_id, body): queue it for a worker


@dataclass
class _Request:
    team_id: str
    body: dict[str, Any]
    recorded: bool = False


_SERVING: ContextVar[_Request | None] = ContextVar("bravo_serving", default=None)


def serving(team_id: str, body: dict[str, Any]) -> None:
    """The request being served on this thread, from a Bolt middleware. Bolt runs a request's
    listener after its middleware (not inside ``next()``), on the same thread (Bravo's apps
    process before responding), so it stays set until the thread's next request."""
    _SERVING.set(_Request(team_id, body))


class Replayed(Exception):
    """Raised inside a use case's transaction when its request's key was already recorded: the
    request is a replay of one whose work was done (queue mode: its worker died before marking
    the item done). The transaction rolls back; ``run_reporting`` drops it quietly."""


class NotRecorded(Exception):
    """Queue mode: the request could not be recorded for a worker (the database is down), so
    nothing will do it: the person is told to try again (a command or a button), or Slack is
    answered with an error so that it sends the event again."""


class WorkQueue:
    def __init__(
        self, threads: int = 4, max_pending: int = 5000, record: Record | None = None
    ) -> None:
        """``record``: queue mode, requests are handed on to workers through it."""
        self._record = record
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="bravo-work")
        self._slots = threading.BoundedSemaphore(max_pending)
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[[], None], *, on_error: Callable[[Exception], None]) -> bool:
        """Run ``fn`` soon; False (and nothing queued) when the queue is full."""
        if not self._slots.acquire(blocking=False):
            return False
        with self._idle:
            self._pending += 1

        def run() -> None:
            try:
                run_reporting(fn, on_error)
            finally:
                self._slots.release()
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

        self._pool.submit(run)
        return True

    @property
    def queued(self) -> bool:
        """Queue mode: work after an ack is handed on to ``bravo worker`` processes."""
        return self._record is not None

    def hand_on(self) -> bool:
        """Queue mode: record the request being served for a worker (once, however many times
        its listener asks); True when it is recorded, so its work is not for this process."""
        current = _SERVING.get()
        if self._record is None or current is None:
            return False
        if not current.recorded:
            try:
                self._record(current.team_id, current.body)
            except Exception as err:
                log.exception("could not record a request for a worker")
                raise NotRecorded() from err
            current.recorded = True
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running (False if ``timeout`` seconds passed first):
        the demo and tests settle on it before they look at what was sent."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)


class InlineWork(WorkQueue):
    """A worker's: the replayed request's work runs at once, on the worker's thread."""

    def __init__(self) -> None:
        super().__init__(threads=1)

    def submit(self, fn: Callable[[], None], *, on_error: Callable[[Exception], None]) -> bool:
        run_reporting(fn, on_error)
        return True


def run_reporting(fn: Callable[[], None], on_error: Callable[[Exception], None]) -> None:
    """The one error path for work done after an ack: logged, and the person told."""
    try:
        fn()
    except Replayed as done:
        log.info("request %s was already done; not doing it again", done)
    except Exception as err:
        log.exception("unhandled error in work after an ack")
        try:
            on_error(err)
        except Exception:
            log.warning("could not tell the user about the error")
