"""Slow work after an ack, on a few threads of its own.

Bolt runs every listener, ``ack()`` included, on its listener pool. If the work that follows an
ack (users.info, the database, replies) ran there too, a burst of commands would fill the pool
and new acks would queue behind old work, past Slack's 3 seconds (measured in bench/). So
listeners ack and hand the rest to this queue; a small pool also leaves the CPU to acks and to
the delivery thread. The queue is bounded: when it is full, the caller decides (a command tells
the person to retry; an event runs in place, so it is never dropped).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)


class WorkQueue:
    def __init__(self, threads: int = 4, max_pending: int = 5000) -> None:
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
                fn()
            except Exception as err:  # the one error path for work done after an ack
                log.exception("unhandled error in work after an ack")
                try:
                    on_error(err)
                except Exception:
                    log.warning("could not tell the user about the error")
            finally:
                self._slots.release()
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

        self._pool.submit(run)
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running (False if ``timeout`` seconds passed first):
        the demo and tests settle on it before they look at what was sent."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)
