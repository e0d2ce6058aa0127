"""Periodic upkeep (APScheduler): forgetting Events API ids once Slack can no longer retry."""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler

from bot.deps import Deps
from bot.events import forget_old_events

log = logging.getLogger(__name__)


def forget_events(deps: Deps) -> int:
    with deps.db.write() as session:
        removed = forget_old_events(session=session, now=deps.clock())
    if removed:
        log.info("forgot %d handled event ids", removed)
    return removed


def start_housekeeping(deps: Deps) -> BackgroundScheduler:
    # Idempotent jobs, so several processes may run them; coalesce + a long grace time so a
    # process that was down catches up once instead of skipping (APScheduler's default is 1 s).
    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "misfire_grace_time": 3600, "max_instances": 1},
    )
    scheduler.add_job(
        forget_events,
        "interval",
        hours=1,
        args=[deps],
        id="forget_events",
        next_run_time=deps.clock(),
    )
    scheduler.start()
    return scheduler
