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
    from bot.scheduling.registry import JOBS
    from bot.scheduling.scheduler import PacingTurn, Scheduler, leadership_for

    url = deps.settings.database_url
    scheduler = Scheduler(deps, JOBS, leadership_for(url), clock=deps.clock)
    # One process at a time sends paced messages, so the workspace's pace holds (Deliverer.paces).
    deps.deliverer.paces = PacingTurn(leadership_for(url, "pacer"))
    scheduler.start()
    deps.wake = scheduler.wake
    return scheduler
