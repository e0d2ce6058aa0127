from __future__ import annotations

import threading

from bot.work import WorkQueue


def test_runs_work_and_reports_errors() -> None:
    queue = WorkQueue(threads=2, max_pending=10)
    done = threading.Event()
    errors: list[Exception] = []
    assert queue.submit(done.set, on_error=errors.append)

    def boom() -> None:
        raise ValueError("boom")

    assert queue.submit(boom, on_error=errors.append)
    queue.shutdown(wait=True)
    assert done.is_set()
    assert [str(e) for e in errors] == ["boom"]


def test_a_full_queue_refuses_and_frees_its_slots_afterwards() -> None:
    queue = WorkQueue(threads=1, max_pending=1)
    gate = threading.Event()
    assert queue.submit(gate.wait, on_error=lambda e: None)
    assert not queue.submit(lambda: None, on_error=lambda e: None)
    gate.set()
    queue.shutdown(wait=True)
    queue2 = WorkQueue(threads=1, max_pending=1)
    ran = threading.Event()
    assert queue2.submit(ran.set, on_error=lambda e: None)
    queue2.shutdown(wait=True)
    assert ran.is_set()
