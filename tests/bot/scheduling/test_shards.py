"""Sharing paced delivery among processes (PostgreSQL): each workspace's shard held by one
process at a time, shards spread over the processes alive, a dead one's taken over, and a
deliverer sending the paced posts of its own shards only."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import make_url, select

from bot.outbox.outbox import Outbox
from bot.outbox.shards import SHARDS, shard_of
from bot.scheduling.shards import ShardLeases
from storage import outbox as store
from storage.db import Database
from storage.models import OutboxRow
from tests.bot.outbox.test_deliverer import Clock, ScriptedSender, dm, make_deliverer

pytestmark = pytest.mark.postgres


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def eventually(look: Callable[[], frozenset[int]], want: int) -> frozenset[int]:
    """What ``look`` answers once it holds ``want`` shards (a closed connection's locks are
    freed when its server process has ended, a moment later), within 5 seconds."""
    deadline = time.monotonic() + 5
    while len(held := look()) != want and time.monotonic() < deadline:
        time.sleep(0.05)
    return held


def leases(url: str, busy: set[int] | None = None) -> ShardLeases:
    held = busy if busy is not None else set()
    return ShardLeases(conninfo(url), every=0, busy=lambda shard: shard in held)


def test_the_database_and_python_agree_on_every_workspace_shard(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("shards are shared out on PostgreSQL only")
    teams = [f"T{i:07d}" for i in range(100)] + ["E0123ABC", "TZZZZZZZZZ"]
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with db.write() as s:
        for team in teams:
            Outbox().enqueue(s, team, [dm("U1")], now)
    with db.read() as s:
        found = dict(s.execute(select(OutboxRow.team_id, store.shard_of_team(SHARDS))).all())
    assert found == {t: shard_of(t) for t in teams}
    assert len(set(found.values())) == SHARDS  # a hundred workspaces reach every shard


def test_two_processes_split_the_shards_and_never_hold_one_together(pg_url: str) -> None:
    first = leases(pg_url)
    assert eventually(first, SHARDS) == frozenset(range(SHARDS))  # alone: every shard
    second = leases(pg_url)
    assert len(second()) == 0  # the first holds them all until it looks again
    mine = first()  # it sees two processes: lets go of half
    theirs = second()
    assert len(mine) == len(theirs) == SHARDS // 2
    assert not mine & theirs
    assert first() == mine and second() == theirs  # stable once shared
    first.release()
    second.release()


def test_a_dead_process_shards_are_taken_over(pg_url: str) -> None:
    first, second = leases(pg_url), leases(pg_url)
    eventually(first, SHARDS)
    second()
    first()
    assert len(second()) == SHARDS // 2
    first._conn.close()  # the process dies: PostgreSQL frees its locks
    assert eventually(second, SHARDS) == frozenset(range(SHARDS))
    assert first() == frozenset() or not (first() & second())
    first.release()
    second.release()


def test_a_shard_with_posts_under_way_is_kept_until_they_are_done(pg_url: str) -> None:
    busy: set[int] = set(range(SHARDS))
    first = leases(pg_url, busy)
    assert len(eventually(first, SHARDS)) == SHARDS
    second = leases(pg_url)
    second()
    # Over its share, but every shard still has posts held or in flight: it lets go of none,
    # and takes no new posts of the ones it means to let go of.
    leaving = SHARDS - len(first())
    assert leaving == SHARDS // 2
    assert len(second()) == 0
    busy.clear()
    first()
    assert len(second()) == SHARDS // 2
    assert not first() & second()
    first.release()
    second.release()


def test_a_deliverer_sends_the_paced_posts_of_its_shards_only(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("shards are shared out on PostgreSQL only")
    clock = Clock(datetime(2026, 11, 23, tzinfo=UTC))
    teams = [f"T{i:07d}" for i in range(40)]
    ours = next(t for t in teams if shard_of(t) == 3)
    other = next(t for t in teams if shard_of(t) != 3)
    for team in (ours, other):
        with db.write() as s:
            Outbox().enqueue(s, team, [dm("U1", team)], clock())
    sender = ScriptedSender(clock=clock)
    deliverer = make_deliverer(db, sender, clock)
    deliverer.shards = lambda: frozenset({3})
    deliverer.drain()
    assert [c[1]["text"] for c in sender.calls] == [ours]
    nobody = make_deliverer(db, sender, clock)
    nobody.shards = frozenset  # holds no shard: sends no paced post
    nobody.drain()
    assert len(sender.calls) == 1
    everyone = make_deliverer(db, sender, clock)
    everyone.drain()  # the one-process default: all of them
    assert [c[1]["text"] for c in sender.calls] == [ours, other]
