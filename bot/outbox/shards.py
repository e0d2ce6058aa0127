"""Shards of workspaces, so that several processes can share paced delivery.

Pacing is per process (``Pacer``), so a workspace's posts must be paced by one process at a
time. Workspaces are split into ``SHARDS`` shards by a hash of their id; a deliverer sends the
paced posts of the shards it holds (``Deliverer.shards``) and leaves the others' to their
holders. Who holds which shard is decided elsewhere (``bot.scheduling.shards``: PostgreSQL
advisory locks); the hash is the same here and in the database's query
(``storage.outbox.shard_of_team``), so both agree on every workspace's shard.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

SHARDS = 16

# The shards this process paces now (None: every workspace, the one-process default).
ShardsHeld = Callable[[], frozenset[int] | None]


def shard_of(team_id: str, shards: int = SHARDS) -> int:
    """The shard of a workspace: the first 32 bits of the MD5 of its id, modulo ``shards``."""
    return int(hashlib.md5(team_id.encode()).hexdigest()[:8], 16) % shards
