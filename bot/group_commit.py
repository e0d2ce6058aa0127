"""A group commit: the writes that arrive while a transaction is being written wait, then go
together in the next one, so 32 requests at once cost a few commits, not 32. Each caller
returns only once its own item is committed, and raises if its group failed: nothing is
answered before it is safe. Alone, an item is written at once, without waiting for company.

With several writers (each with its own connection), up to that many groups are written at
once: a write that stalls (its database backend descheduled, a slow flush) holds back only its
own group. Used for queue mode's work items (``bot.worker.GroupRecord``) and the rating
webhook (``bot.ratings.service.GroupReceive``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
Write = Callable[[list[T]], None]  # writes a batch, committed when it returns


@dataclass(eq=False)
class _Waiting(Generic[T]):
    item: T
    done: bool = False
    error: Exception | None = None


class GroupCommit(Generic[T]):
    def __init__(self, writers: Sequence[Write[T]]) -> None:
        if not writers:
            raise ValueError("a group commit needs a writer")
        self._free: list[Write[T]] = list(writers)
        self._turn = threading.Condition()
        self._queue: list[_Waiting[T]] = []

    def waiting(self) -> int:
        """How many items wait for a writer (not counting those being written)."""
        with self._turn:
            return len(self._queue)

    def __call__(self, item: T) -> None:
        mine = _Waiting(item)
        with self._turn:
            self._queue.append(mine)
            while not self._free and not mine.done:
                self._turn.wait()
            if not mine.done:  # a writer is free: this thread writes all that waits
                write = self._free.pop()
                batch, self._queue = self._queue, []
        if not mine.done:
            self._write(write, batch)
        if mine.error is not None:
            raise mine.error

    def _write(self, write: Write[T], batch: list[_Waiting[T]]) -> None:
        error: Exception | None = RuntimeError("the group was not written")
        try:
            write([w.item for w in batch])
            error = None
        except Exception as err:  # every item of the batch is told, and not answered
            error = err
        finally:
            with self._turn:
                for waiting in batch:
                    waiting.done, waiting.error = True, error
                self._free.append(write)
                self._turn.notify_all()
