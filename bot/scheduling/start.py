"""Starting the scheduler in a serving process: it runs jobs only while this process leads."""

from __future__ import annotations

from bot.deps import Deps
from bot.scheduling.registry import JOBS
from bot.scheduling.scheduler import PacingTurn, Scheduler, leadership_for, pg_conninfo
from bot.scheduling.shards import ShardLeases


def start_scheduler(deps: Deps) -> Scheduler:
    url = deps.settings.database_url
    shared = pg_conninfo(url) is not None  # several processes may serve it: share the work
    scheduler = Scheduler(deps, JOBS, leadership_for(url), clock=deps.clock, shared=shared)
    share_pacing(deps)
    scheduler.start()
    deps.wake.attach(scheduler.wake)
    return scheduler


def share_pacing(deps: Deps) -> None:
    """Each workspace's paced posts go from one process at a time, so its pace holds. On
    PostgreSQL every delivering process paces the workspaces of the shards it holds
    (``ShardLeases``); elsewhere one process (the holder of the pacer lock) paces them all."""
    url, deliverer = deps.settings.database_url, deps.deliverer
    conninfo = pg_conninfo(url)
    if conninfo is not None:
        deliverer.shards = ShardLeases(conninfo, busy=deliverer.busy_with)
    else:
        deliverer.paces = PacingTurn(leadership_for(url, "pacer"))
