"""The scheduler: one leader at a time, jobs rescheduled from the database, and the CLI that
runs a job's due work as of a given time."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.scheduling.scheduler import (
    FileLeader,
    Job,
    PacingTurn,
    PgLeader,
    Scheduler,
    Solo,
    leadership_for,
)


def test_leadership_follows_the_database_url(tmp_path: Path) -> None:
    assert isinstance(leadership_for("sqlite://"), Solo)
    assert isinstance(leadership_for(f"sqlite:///{tmp_path}/b.db"), FileLeader)
    pg = leadership_for("postgresql+psycopg://postgres@127.0.0.1:5432/bravo")
    assert isinstance(pg, PgLeader) and pg.conninfo.startswith("postgresql://")


def test_only_one_process_holds_the_file_lock(tmp_path: Path) -> None:
    path = str(tmp_path / "bravo.db.scheduler.lock")
    first, second = FileLeader(path), FileLeader(path)
    assert first.acquire() and first.held()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_one_process_paces_and_another_takes_over_when_it_stops(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/b.db"
    now = [0.0]
    first = PacingTurn(leadership_for(url, "pacer"), every=5, monotonic=lambda: now[0])
    second = PacingTurn(leadership_for(url, "pacer"), every=5, monotonic=lambda: now[0])
    assert first() and not second()
    # The jobs' lock is another lock: holding it does not stop a process from pacing.
    jobs = leadership_for(url)
    assert jobs.acquire()
    first.leadership.release()  # the pacing process stops
    assert not second()  # looked at again only after `every` seconds
    now[0] = 5.0
    assert second() and not first()
    jobs.release()
    second.leadership.release()


@pytest.mark.postgres
def test_only_one_process_holds_the_advisory_lock_and_another_takes_over(pg_url: str) -> None:
    from sqlalchemy import make_url

    conninfo = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    key = 4242_0001
    first, second = PgLeader(conninfo, key), PgLeader(conninfo, key)
    assert first.acquire() and first.held()
    assert not second.acquire()
    # The leader dies: its connection goes away and PostgreSQL frees the lock.
    first._conn.close()
    assert not first.held()
    assert second.acquire()
    second.release()


class Counting:
    def __init__(self, next_in: timedelta | None) -> None:
        self.runs: list[datetime] = []
        self.next_in = next_in
        self.ran = threading.Event()

    def run(self, deps: Any, at: datetime) -> Counter[str]:
        self.runs.append(at)
        self.ran.set()
        return Counter({"ran": 1})

    def next_due(self, deps: Any, at: datetime) -> datetime | None:
        return at + self.next_in if self.next_in is not None else None


def test_the_leader_runs_jobs_and_reschedules_them_for_their_next_due_time() -> None:
    soon = Counting(next_in=timedelta(seconds=1))
    idle = Counting(next_in=None)
    jobs = [
        Job("soon", "due again in a second", soon.run, soon.next_due, timedelta(hours=1)),
        Job("idle", "nothing due", idle.run, idle.next_due, timedelta(hours=1)),
    ]
    scheduler = Scheduler(None, jobs, Solo(), leader_check=timedelta(seconds=30))
    scheduler.start()
    try:
        deadline = time.monotonic() + 5
        while len(soon.runs) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(soon.runs) >= 2  # ran at start, then again at its next due time
        assert len(idle.runs) == 1  # ran at start; next run only after its hour of polling
        planned = scheduler.planned()
        assert planned["idle"] is not None
        assert planned["idle"] > datetime.now(UTC) + timedelta(minutes=59)
    finally:
        scheduler.stop()


def test_a_job_shared_by_every_process_runs_without_the_leader_lock(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    holder = FileLeader(path)
    assert holder.acquire()  # another process leads
    shared, leaders_only = Counting(next_in=None), Counting(next_in=None)
    jobs = [
        Job("checkins", "x", shared.run, shared.next_due, timedelta(hours=1), everywhere=True),
        Job("digests", "x", leaders_only.run, leaders_only.next_due, timedelta(hours=1)),
    ]
    alone = Scheduler(None, jobs, FileLeader(path), leader_check=timedelta(seconds=0.2))
    alone.start()  # one process (SQLite): only the leader runs jobs, even "everywhere" ones
    try:
        assert not shared.ran.wait(0.6) and not leaders_only.ran.wait(0.01)
    finally:
        alone.stop()
    follower = Scheduler(
        None, jobs, FileLeader(path), leader_check=timedelta(seconds=0.2), shared=True
    )
    follower.start()
    try:
        assert shared.ran.wait(3.0)  # a worker beside the leader shares the check-ins
        assert not leaders_only.ran.wait(0.6) and not follower.leading
        assert follower.planned()["checkins"] is not None
    finally:
        follower.stop()
        holder.release()


def test_a_process_that_is_not_the_leader_runs_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    holder = FileLeader(path)
    assert holder.acquire()
    job = Counting(next_in=None)
    scheduler = Scheduler(
        None,
        [Job("x", "x", job.run, job.next_due, timedelta(seconds=1))],
        FileLeader(path),
        leader_check=timedelta(seconds=0.2),
    )
    scheduler.start()
    try:
        assert not job.ran.wait(1.0)
        assert not scheduler.leading
        holder.release()  # the leader goes away: this one takes over
        assert job.ran.wait(3.0)
        assert scheduler.leading
    finally:
        scheduler.stop()


def test_bravo_jobs_run_and_list_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main
    from bot.cadence import Cadence
    from bot.goals import service as goals
    from bot.sandbox.server import FakeSlack
    from bot.users import Person
    from storage.db import Database
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'bravo.db'}"
    db = Database.from_url(url)
    upgrade(db.engine)
    spec = goals.GoalSpec(
        "Answer chats within 2 minutes",
        "Median under 2 min",
        "empathy",
        date(2027, 1, 1),
        Cadence("weekly", weekday=0, minute=570),
        "coach",
    )
    with db.write() as s:
        goals.create_goal(
            s,
            team_id="T0SANDBOX",
            owner=Person("UANA", tz="America/New_York"),
            spec=spec,
            channel_id=None,
            now=datetime(2026, 11, 22, tzinfo=UTC),
        )
    db.dispose()
    with FakeSlack(team_id="T0SANDBOX") as fake:
        fake.add_user("UANA", "ana", tz="America/New_York")
        monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "none.env"))
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        assert main(["jobs", "list", "--at", "2026-11-23T00:00Z"]) == 0
        listing = capsys.readouterr().out
        # The check-in is at 14:30; the job prepares it five minutes ahead (PREPARE_AHEAD).
        assert "checkins" in listing and "2026-11-23T14:25:00+00:00" in listing
        # Every row's "next:" starts in the same column, the longest job name included.
        rows = [line for line in listing.splitlines() if " next: " in line]
        assert len(rows) > 10 and len({line.index(" next: ") for line in rows}) == 1
        assert main(["jobs", "run", "checkins", "--at", "2026-11-23T14:31Z"]) == 0
        assert "prompt 1" in capsys.readouterr().out
        assert main(["jobs", "run", "checkins", "--at", "2026-11-23T14:31Z"]) == 0
        assert "nothing due" in capsys.readouterr().out
        [prompt] = fake.calls("chat.postMessage", ok=True)
        assert prompt.args["channel"] == "UANA" and "Time to check in" in prompt.args["text"]
        assert main(["jobs", "run", "nope"]) == 2
        assert main(["jobs", "run", "checkins", "--at", "yesterday"]) != 0


def test_wake_runs_a_job_now_unless_it_runs_by_the_due_time_anyway(tmp_path: Path) -> None:
    polled = Counting(next_in=None)
    job = Job("shoutouts", "polled hourly", polled.run, polled.next_due, timedelta(hours=1))
    scheduler = Scheduler(None, [job], Solo(), leader_check=timedelta(seconds=30))
    scheduler.wake("shoutouts")  # not started, not leading: nothing to wake, no error
    scheduler.start()
    try:
        assert polled.ran.wait(3.0)  # the first run, at start
        deadline = time.monotonic() + 3
        while scheduler.planned()["shoutouts"] is None and time.monotonic() < deadline:
            time.sleep(0.01)
        planned = scheduler.planned()["shoutouts"]
        assert planned is not None and planned > datetime.now(UTC) + timedelta(minutes=59)
        polled.ran.clear()
        # Work due after the next run: that run finds it in time, nothing moves.
        scheduler.wake("shoutouts", planned + timedelta(minutes=1))
        assert scheduler.planned()["shoutouts"] == planned
        assert not polled.ran.wait(0.3)
        # Work due before it: the job runs now (and reschedules from the database).
        scheduler.wake("shoutouts", datetime.now(UTC) + timedelta(minutes=2))
        assert polled.ran.wait(3.0)
        assert len(polled.runs) == 2
        scheduler.wake("nope")  # an unknown job: nothing happens
    finally:
        scheduler.stop()


def test_wake_does_nothing_in_a_process_that_is_not_the_leader(tmp_path: Path) -> None:
    path = str(tmp_path / "lock")
    holder = FileLeader(path)
    assert holder.acquire()
    polled = Counting(next_in=None)
    job = Job("shoutouts", "polled hourly", polled.run, polled.next_due, timedelta(hours=1))
    scheduler = Scheduler(None, [job], FileLeader(path), leader_check=timedelta(seconds=30))
    scheduler.start()
    try:
        scheduler.wake("shoutouts")
        assert not polled.ran.wait(0.5)
        assert scheduler.planned() == {"shoutouts": None}
    finally:
        scheduler.stop()
        holder.release()


def test_bravo_jobs_run_without_a_name_lists_the_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "unknown job None": the command says a name is needed and which names there are."""
    from bot.__main__ import main
    from bot.scheduling.registry import BY_NAME

    monkeypatch.setenv("BRAVO_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bravo.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-sandbox")
    assert main(["jobs", "run"]) == 2
    said = capsys.readouterr().err
    assert "None" not in said and "name the job to run" in said
    assert all(name in said for name in BY_NAME)
    assert main(["jobs", "run", "nope"]) == 2
    assert "unknown job 'nope'" in capsys.readouterr().err
