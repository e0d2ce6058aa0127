"""Periodic upkeep: forgetting Events API ids once Slack can no longer retry them."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.events import forget_old_events

log = logging.getLogger(__name__)


def forget_events(deps: Any, at: datetime | None = None) -> int:
    with deps.db.write() as session:
        removed = forget_old_events(session=session, now=at or deps.clock())
    if removed:
        log.info("forgot %d handled event ids", removed)
    return removed


def start_scheduler(deps: Any) -> Any:
    """Start the job scheduler (it runs jobs only while this process is the leader)."""
    from bot.jobs import JOBS
    from bot.scheduler import Scheduler, leadership_for

    scheduler = Scheduler(deps, JOBS, leadership_for(deps.settings.database_url), clock=deps.clock)
    # One process paces each workspace's messages: the leader (see Deliverer.paces).
    deps.deliverer.paces = lambda: scheduler.leading
    scheduler.start()
    return scheduler
