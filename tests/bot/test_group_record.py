"""Queue mode's group commit (``bot.worker.GroupRecord``): requests recorded at once share a
transaction, and none returns (so none is acked) before its own request is committed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session, select

from bot.worker import GroupRecord
from storage import work as store
from storage.db import Database
from storage.models import WorkItem

CALLERS = 40


class Counted(Database):
    """The real database, counting its writing transactions; the first waits for ``gate``."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine)
        self.writes = 0
        self.gate = threading.Event()
        self.fail = False

    @contextmanager
    def write(self) -> Iterator[Session]:
        self.writes += 1
        if self.writes == 1:
            self.gate.wait(10)
        if self.fail:
            raise OSError("the database went away")
        with super().write() as session:
            yield session


def bodies(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        return [store.body_of(i) for i in session.exec(select(WorkItem)).all()]


def test_concurrent_requests_share_commits_and_each_returns_once_committed(db: Database) -> None:
    counted = Counted(db)
    record = GroupRecord(counted)
    seen_after_return: dict[int, bool] = {}
    lock = threading.Lock()

    def call(n: int) -> None:
        record("T1", {"n": n})
        there = any(b["n"] == n for b in bodies(db))  # committed: another session sees it
        with lock:
            seen_after_return[n] = there

    threads = [threading.Thread(target=call, args=(n,)) for n in range(CALLERS)]
    for t in threads:
        t.start()
    while len(record._queue) < CALLERS - 1:  # all but the first writer wait behind it
        threading.Event().wait(0.01)
    counted.gate.set()
    for t in threads:
        t.join(20)
    assert seen_after_return == dict.fromkeys(range(CALLERS), True)
    assert sorted(b["n"] for b in bodies(db)) == list(range(CALLERS))  # each once
    assert counted.writes == 2  # the first alone, then the 39 that waited, together


def test_a_failed_commit_fails_every_request_in_it_and_the_next_still_records(
    db: Database,
) -> None:
    counted = Counted(db)
    counted.gate.set()
    counted.fail = True
    record = GroupRecord(counted)
    failures: list[str] = []

    def call(n: int) -> None:
        try:
            record("T1", {"n": n})
        except OSError as err:
            failures.append(str(err))

    threads = [threading.Thread(target=call, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(failures) == 8 and bodies(db) == []  # nobody told "recorded"
    counted.fail = False
    record("T1", {"n": 99})  # no writer left stuck
    assert bodies(db) == [{"n": 99}]
