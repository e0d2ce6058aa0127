"""Which workspaces' paced posts this process sends, when several processes deliver (PostgreSQL).

Workspaces fall into ``SHARDS`` shards (``bot.outbox.shards``). Every delivering process (the
leader, each ``bravo worker``, each web worker that delivers) keeps one connection of its own
with a shared advisory lock that says "a deliverer is here", and an exclusive advisory lock on
each shard it holds. Counting the shared locks tells each process its fair share (the shards
divided by the processes alive); every ``every`` seconds it takes free shards up to its share
and lets go of the ones over it. A shard is let go only once this process has nothing of it
held for a slot or in flight and its workspaces' buckets are empty (``Deliverer.busy_with``),
and no new posts of it are taken meanwhile, so the next holder starts where the pace allows.
A process that dies closes its connection, PostgreSQL frees its locks, and the others take its
shards at their next look. So each workspace is paced by exactly one process at a time, and
the work spreads over all of them.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from typing import Any

from bot.outbox.shards import SHARDS

log = logging.getLogger(__name__)

LOCK_CLASS = 0x62726173  # "bras": the first key of every shard lock (two-int advisory locks)
HERE = -1  # the second key of the shared lock each delivering process holds


class ShardLeases:
    """The shards this process paces (call it); an empty set while it cannot reach PostgreSQL."""

    def __init__(
        self,
        conninfo: str,
        *,
        shards: int = SHARDS,
        every: float = 2.0,
        busy: Callable[[int], bool] = lambda shard: False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conninfo = conninfo
        self.shards = shards
        self.every = every
        self.busy = busy
        self._mono = monotonic
        self._conn: Any = None
        self._held: set[int] = set()
        self._leaving: set[int] = set()
        self._checked = -math.inf

    def __call__(self) -> frozenset[int]:
        now = self._mono()
        if now - self._checked >= self.every:
            self._checked = now
            try:
                self.rebalance()
            except Exception:  # the connection (and with it every lock) is gone
                log.warning("outbox: lost the shard locks; looking again shortly", exc_info=True)
                self.release()
        return frozenset(self._held - self._leaving)

    def rebalance(self) -> None:
        """Let go of shards over this process's fair share, take free ones up to it."""
        conn = self._connect()
        if conn is None:
            return
        here = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (LOCK_CLASS, HERE & 0xFFFFFFFF),
        ).fetchone()
        share = math.ceil(self.shards / max(1, int(here[0]) if here else 1))
        for shard in self._over(share):  # the highest first, once nothing of it is under way
            if not self.busy(shard):
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, shard))
                self._held.discard(shard)
        self._leaving = set(self._over(share))
        if len(self._held) - len(self._leaving) >= share:
            return
        start = os.getpid() % self.shards  # processes try different shards first
        for step in range(self.shards):
            shard = (start + step) % self.shards
            if shard in self._held:
                continue
            got = conn.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, shard)
            ).fetchone()
            if got and got[0]:
                self._held.add(shard)
                if len(self._held) >= share:
                    break

    def _over(self, share: int) -> list[int]:
        return sorted(self._held, reverse=True)[: max(0, len(self._held) - share)]

    def _connect(self) -> Any:
        if self._conn is not None:
            return self._conn
        import psycopg

        try:
            conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
        except psycopg.Error as err:
            log.warning("outbox: cannot reach PostgreSQL for the shard locks: %s", err)
            return None
        conn.execute("SELECT pg_advisory_lock_shared(%s, %s)", (LOCK_CLASS, HERE))
        self._conn = conn
        return conn

    def release(self) -> None:
        """Let go of every shard (closing the connection frees the locks)."""
        self._held.clear()
        self._leaving.clear()
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                log.debug("closing the shard connection failed", exc_info=True)
            self._conn = None
