"""Queue mode's group commit (``bot.worker.GroupRecord``): requests recorded at once share a
transaction, and none returns (so none is acked) before its own request is committed."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import select

from bot.worker import GroupRecord
from storage import work as store
from storage.db import Database
from storage.models import WorkItem

CALLERS = 40


class Counted:
    """The real appender, counting its batches; the first waits for ``gate``."""

    def __init__(self, db: Database) -> None:
        self.append = store.Appender(db)
        self.writes = 0
        self.gate = threading.Event()
        self.fail = False

    def __call__(self, items: list[tuple[str, dict[str, Any]]], *, now: datetime) -> None:
        self.writes += 1
        if self.writes == 1:
            self.gate.wait(10)
        if self.fail:
            raise OSError("the database went away")
        self.append(items, now=now)


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
    while record.waiting() < CALLERS - 1:  # all but the first writer wait behind it
        threading.Event().wait(0.01)
    counted.gate.set()
    for t in threads:
        t.join(20)
    assert seen_after_return == dict.fromkeys(range(CALLERS), True)
    assert sorted(b["n"] for b in bodies(db)) == list(range(CALLERS))  # each once
    assert counted.writes == 2  # the first alone, then the 39 that waited, together


def test_a_stalled_group_holds_back_only_its_own_requests(db: Database) -> None:
    """Two appenders: while the first group's write stalls, the requests after it are written
    through the other and return; the stalled one returns once its write is done."""
    stalled = Counted(db)  # its first write waits for the gate
    other = Counted(db)
    other.gate.set()
    record = GroupRecord([other, stalled])  # the first free (the last) is the stalling one
    returned: list[int] = []
    lock = threading.Lock()

    def call(n: int) -> None:
        record("T1", {"n": n})
        with lock:
            returned.append(n)

    first = threading.Thread(target=call, args=(0,))
    first.start()
    for _ in range(1000):  # the first request took an appender and is stuck in it
        if stalled.writes:
            break
        threading.Event().wait(0.01)
    assert stalled.writes == 1
    later = [threading.Thread(target=call, args=(n,)) for n in range(1, 10)]
    for t in later:
        t.start()
    for t in later:
        t.join(20)
    assert sorted(returned) == list(range(1, 10))  # all through the other, none behind the stall
    assert 0 not in returned and other.writes >= 1
    stalled.gate.set()
    first.join(20)
    assert sorted(returned) == list(range(10))
    assert sorted(b["n"] for b in bodies(db)) == list(range(10))  # each once


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


@pytest.mark.postgres
def test_the_appender_writes_again_after_the_server_drops_its_connection(pg_url: str) -> None:
    from sqlalchemy import text

    from storage.migrate import upgrade

    db = Database.from_url(pg_url, pool_size=2)
    upgrade(db.engine)
    append = store.Appender(db)
    now = datetime.now().astimezone()
    append([("TAPPEND", {"n": 1})], now=now)
    pid = append._conn.info.backend_pid
    with db.write() as session:  # as a restart would: the server ends that connection
        session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    append([("TAPPEND", {"n": 2}), ("TAPPEND", {"n": 3})], now=now)
    assert append._conn.info.backend_pid != pid
    with db.read() as session:
        found = session.exec(select(WorkItem).where(WorkItem.team_id == "TAPPEND")).all()
        assert sorted(store.body_of(i)["n"] for i in found) == [1, 2, 3]  # each once
    append.close()
    db.dispose()
