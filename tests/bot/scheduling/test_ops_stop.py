"""Stopping the scheduler while a job is touching the schedule: APScheduler's shutdown holds
its job store lock while it waits for running jobs, so a job that then added jobs (on becoming
the leader) or rescheduled itself waited for that lock forever, and so did the shutdown (a
gunicorn worker hung until it was killed)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from bot.scheduling.scheduler import Job, Scheduler


class SlowToLead:
    """Leadership that is granted only when the test says so."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.grant = threading.Event()

    def acquire(self) -> bool:
        self.asked.set()
        self.grant.wait(10)
        return True

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass


def job(name: str, runs: list[str]) -> Job:
    def run(deps: Any, at: datetime) -> Counter[str]:
        runs.append(name)
        return Counter()

    return Job(name, "test", run, lambda deps, at: None, timedelta(hours=1))


def test_stop_while_a_job_becomes_leader_returns() -> None:
    leadership, runs = SlowToLead(), []
    scheduler = Scheduler(None, [job("a", runs)], leadership)  # type: ignore[arg-type]
    scheduler.start()
    assert leadership.asked.wait(10)
    stopper = threading.Thread(target=scheduler.stop)
    stopper.start()
    threading.Timer(0.3, leadership.grant.set).start()  # once stop() is waiting
    stopper.join(15)
    assert not stopper.is_alive(), "Scheduler.stop() deadlocked with a running job"
