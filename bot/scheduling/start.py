"""Starting the scheduler in a serving process: it runs jobs only while this process leads."""

from __future__ import annotations

from bot.deps import Deps
from bot.scheduling.registry import JOBS
from bot.scheduling.scheduler import PacingTurn, Scheduler, leadership_for


def start_scheduler(deps: Deps) -> Scheduler:
    url = deps.settings.database_url
    scheduler = Scheduler(deps, JOBS, leadership_for(url), clock=deps.clock)
    # One process at a time sends paced messages, so the workspace's pace holds (Deliverer.paces).
    deps.deliverer.paces = PacingTurn(leadership_for(url, "pacer"))
    scheduler.start()
    deps.wake.attach(scheduler.wake)
    return scheduler
