"""WorkQueue.wait_idle: what the demo and tests settle on before they look at what was sent."""

from __future__ import annotations

import threading

from bot.work import WorkQueue


def test_wait_idle_waits_for_work_queued_and_running() -> None:
    work = WorkQueue(threads=1)
    gate, done = threading.Event(), []
    assert work.wait_idle(1)  # nothing queued
    work.submit(gate.wait, on_error=lambda _err: None)
    work.submit(lambda: done.append(1), on_error=lambda _err: None)
    assert not work.wait_idle(0.05)  # one running, one waiting
    gate.set()
    assert work.wait_idle(5) and done == [1]
    work.shutdown()


def test_a_failing_job_still_counts_as_finished() -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    work = WorkQueue(threads=1)
    errors: list[Exception] = []
    work.submit(boom, on_error=errors.append)
    assert work.wait_idle(5) and len(errors) == 1
    work.shutdown()
