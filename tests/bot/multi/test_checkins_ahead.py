"""Check-ins prepared ahead of their time: the job queues each prompt up to ``PREPARE_AHEAD``
before its check-in time, to go then and not before; still once per due time with several
runs at once, and never to a workspace nothing can be sent to."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from bot.deps import Deps
from bot.goals.jobs import PREPARE_AHEAD, next_checkin, run_checkins
from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from storage import privacy
from storage.models import CheckInPrompt, Goal, OutboxRow, ScheduledSend
from tests.bot.multi.conftest import A, B
from tests.bot.multi.test_jobs_tokens import MONDAY_0931, deps, goal_in, queued_for
from tests.handlers.conftest import Clock

__all__ = ["deps"]  # the fixture

DUE = MONDAY_0931 - timedelta(minutes=1)  # the goals' check-in time, 09:30 UTC
BEFORE = DUE - timedelta(minutes=3)


def at(deps: Deps, when: object) -> None:
    assert isinstance(deps.clock, Clock)
    deps.clock.at = when  # type: ignore[assignment]


def test_a_prompt_is_queued_ahead_and_goes_at_its_check_in_time(
    deps: Deps, fake: FakeSlack
) -> None:
    goal_in(deps.db, A, "UANA")
    assert next_checkin(deps, BEFORE) == DUE - PREPARE_AHEAD  # the scheduler runs it then
    assert run_checkins(deps, DUE - PREPARE_AHEAD - timedelta(seconds=1)) == {}  # too early
    assert run_checkins(deps, BEFORE) == {"prompt": 1}
    [row] = queued_for(deps.db, A)
    assert row.next_attempt_at == DUE
    with deps.db.read() as s:
        [prompt] = s.exec(select(CheckInPrompt)).all()
        [goal] = s.exec(select(Goal)).all()
    assert prompt.due_at == DUE and prompt.outbox_id == row.id
    assert goal.next_due_at == DUE + timedelta(days=7)  # moved on: not prompted again
    at(deps, BEFORE)
    deps.deliverer.drain()
    assert fake.calls("chat.postMessage", team_id=A) == []  # not before its time
    at(deps, DUE)
    deps.deliverer.drain()
    [sent] = fake.calls("chat.postMessage", team_id=A)
    assert sent.args["channel"] == "UANA"
    assert run_checkins(deps, DUE) == {}  # the due time itself: nothing more to do


def test_runs_ahead_at_once_prompt_each_goal_once(deps: Deps) -> None:
    owners = [f"U{i:03d}" for i in range(12)]
    for owner in owners:
        goal_in(deps.db, A, owner)
    results: list[Counter[str]] = []
    runs = [
        threading.Thread(target=lambda: results.append(run_checkins(deps, BEFORE)))
        for _ in range(3)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    run_checkins(deps, DUE)  # and again at the due time (a retry, a restart)
    assert sum(r["prompt"] for r in results) == len(owners)
    with deps.db.read() as s:
        rows = s.exec(select(OutboxRow).where(OutboxRow.kind == "checkin_prompt")).all()
        sends = s.exec(select(ScheduledSend)).all()
    assert sorted(r.dedupe_key or "" for r in rows) == sorted(s.key for s in sends)
    assert len(rows) == len(owners) and len(sends) == len(owners)


def test_an_uninstalled_workspace_is_skipped_ahead_and_after_queueing(
    deps: Deps, beta: WorkspaceHandle, fake: FakeSlack
) -> None:
    goal_in(deps.db, A, "UANA")
    goal_in(deps.db, B, "UZED")
    with deps.db.write() as s:
        privacy.mark_uninstalled(s, team_id=B, now=BEFORE)
    assert run_checkins(deps, BEFORE) == {"prompt": 1, "not_installed": 1}
    assert queued_for(deps.db, B) == []
    with deps.db.read() as s:
        [b_goal] = s.exec(select(Goal).where(Goal.team_id == B)).all()
    assert b_goal.next_due_at == DUE + timedelta(days=7)
    # A queued ahead, then uninstalled before its check-in time: nothing goes.
    with deps.db.write() as s:
        privacy.mark_uninstalled(s, team_id=A, now=BEFORE)
    at(deps, DUE)
    deps.deliverer.drain()
    assert fake.calls("chat.postMessage") == [] and beta.calls() == []
