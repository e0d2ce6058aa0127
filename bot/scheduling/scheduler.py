"""Running the registered jobs (``bot.scheduling.registry``) on time, one process at a time.

The database says what is due; the scheduler only decides when to look. After each run a job
is rescheduled for its next due time from the database (or its polling interval, whichever is
sooner), so the schedule is rebuilt from the tables at every start and after every run.

Only the leader runs jobs: on PostgreSQL, the process holding an advisory lock on a connection
of its own (if it dies, the connection closes, the lock is freed and another process takes
over); on a SQLite file, the process holding an exclusive lock on a file beside it. Even so,
jobs are safe to run twice: every message has a unique delivery record. A job marked
``everywhere`` (the check-ins) runs in every process on PostgreSQL (``shared``), so that workers
share a busy minute's work: it locks what it handles with SKIP LOCKED.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any, Protocol

from apscheduler.schedulers.background import BackgroundScheduler

from bot.clock import Clock, utcnow
from bot.deps import Deps

log = logging.getLogger(__name__)
LOCK_KEY = 0x62726176_6F6A6F62  # "bravojob": the advisory lock id every Bravo process agrees on
LOCK_KEYS = {"scheduler": LOCK_KEY, "pacer": 0x62726176_6F706163}  # ... and "bravopac"


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: Callable[[Deps, datetime], Counter[str]]  # (deps, as_of) -> what came of it
    next_due: Callable[[Deps, datetime], datetime | None]  # what the database says is next
    poll: timedelta  # look at least this often (work can become due from another process)
    # Where several processes serve one PostgreSQL database, every one of them runs it, not
    # only the leader: for a job that is safe to run at once and splits its work (row locks
    # with SKIP LOCKED), so that a busy minute's work is shared by the workers.
    everywhere: bool = False


class Leadership(Protocol):
    def acquire(self) -> bool: ...
    def held(self) -> bool: ...
    def release(self) -> None: ...


class Solo:
    """One process, nothing to coordinate (an in-memory database, tests)."""

    def acquire(self) -> bool:
        return True

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass


class FileLeader:
    """An exclusive ``flock`` on a file next to the SQLite database."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        import fcntl

        if self._file is not None:
            return True
        handle = open(self.path, "a")  # noqa: SIM115  (held open while leading)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


class PgLeader:
    """``pg_try_advisory_lock`` held on a dedicated autocommit connection."""

    def __init__(self, conninfo: str, key: int = LOCK_KEY) -> None:
        self.conninfo = conninfo
        self.key = key
        self._conn: Any = None

    def acquire(self) -> bool:
        import psycopg

        if self._conn is not None:
            return self.held()
        try:
            conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
        except psycopg.Error as err:
            log.warning("scheduler: cannot reach PostgreSQL for the leader lock: %s", err)
            return False
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        if not got or not got[0]:
            conn.close()
            return False
        self._conn = conn
        return True

    def held(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except Exception:  # the connection (and with it the lock) is gone
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                log.debug("closing the leader connection failed", exc_info=True)
            self._conn = None


def pg_conninfo(url: str) -> str | None:
    """The libpq connection string of a PostgreSQL database URL; None for another database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def leadership_for(url: str, role: str = "scheduler") -> Leadership:
    """PgLeader for PostgreSQL, FileLeader for a SQLite file, Solo for in-memory SQLite; one
    lock per ``role`` (``scheduler``: runs the jobs; ``pacer``: sends paced messages, where
    workspaces are not shared out in shards: ``bot.scheduling.start.share_pacing``)."""
    from sqlalchemy.engine import make_url

    conninfo = pg_conninfo(url)
    if conninfo is not None:
        return PgLeader(conninfo, LOCK_KEYS[role])
    database = make_url(url).database or ""
    if not database or database == ":memory:" or database.startswith("file::memory"):
        return Solo()
    return FileLeader(f"{database}.{role}.lock")


class PacingTurn:
    """Whether this process sends paced (chat.*) messages: while it holds the ``pacer`` lock.
    Pacing is per process, so one process at a time paces each workspace's posts; the lock is
    looked at every ``every`` seconds, and a process that dies frees it for another."""

    def __init__(
        self,
        leadership: Leadership,
        every: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.leadership = leadership
        self.every = every
        self._mono = monotonic
        self._checked = -math.inf
        self._holding = False

    def __call__(self) -> bool:
        now = self._mono()
        if now - self._checked >= self.every:
            self._checked = now
            self._holding = self.leadership.held() or self.leadership.acquire()
        return self._holding


class Scheduler:
    def __init__(
        self,
        deps: Deps,
        jobs: Sequence[Job],
        leadership: Leadership,
        *,
        clock: Clock = utcnow,
        leader_check: timedelta = timedelta(seconds=15),
        shared: bool = False,
    ) -> None:
        self.deps = deps
        # The jobs this process runs whether it leads or not (``Job.everywhere``, with ``shared``:
        # several processes on PostgreSQL).
        self.shared = {job.name for job in jobs if shared and job.everywhere}
        self.jobs = {job.name: job for job in jobs}
        self.leadership = leadership
        self.clock = clock
        self.leader_check = leader_check
        self.leading = False
        self._lock = threading.Lock()
        self._stopping = False  # set under _lock: jobs then leave APScheduler alone
        # Lateness is judged by the jobs themselves (grace periods), never by APScheduler's
        # 1-second default misfire grace, which would silently skip a run after a busy second.
        self._aps = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def start(self) -> None:
        self._aps.add_job(
            self._check_leadership,
            "interval",
            seconds=self.leader_check.total_seconds(),
            id="_leadership",
            next_run_time=datetime.now(UTC),
        )
        for name in sorted(self.shared):
            self._add(self.jobs[name])
        self._aps.start()

    def _add(self, job: Job) -> None:
        self._aps.add_job(
            self._run,
            "interval",
            seconds=job.poll.total_seconds(),
            args=[job.name],
            id=job.name,
            next_run_time=datetime.now(UTC),
            replace_existing=True,
        )

    def stop(self) -> None:
        """Stop after the jobs under way. APScheduler's shutdown holds its job store lock while
        it waits for them, so a job that then touched the schedule (adding jobs on becoming the
        leader, rescheduling itself) would wait forever: from here on, jobs don't."""
        with self._lock:
            self._stopping = True
        if self._aps.running:
            self._aps.shutdown(wait=True)
        self.leadership.release()
        self.leading = False

    def _check_leadership(self) -> None:
        with self._lock:
            if self._stopping:
                return
            if self.leading and not self.leadership.held():
                log.warning("scheduler: lost the leader lock; another process takes over")
                self.leading = False
                for name in self.jobs:
                    if name not in self.shared and self._aps.get_job(name):
                        self._aps.remove_job(name)
            elif not self.leading and self.leadership.acquire():
                log.info("scheduler: this process runs the scheduled jobs")
                self.leading = True
                for job in self.jobs.values():
                    if job.name not in self.shared:
                        self._add(job)

    def _run(self, name: str) -> None:
        job = self.jobs[name]
        now = self.clock()
        try:
            counts = +job.run(self.deps, now)  # what happened, without the zeros
            if counts:
                log.info("job %s: %s", name, dict(counts))
        except Exception:  # logged; the job runs again at its next time
            log.exception("job %s failed", name)
        self._reschedule(job)

    def _reschedule(self, job: Job) -> None:
        now = self.clock()
        when = now + job.poll
        try:
            nxt = job.next_due(self.deps, now)
        except Exception:
            log.exception("job %s: could not read its next due time", job.name)
            nxt = None
        if nxt is not None:
            when = min(when, max(nxt, now + timedelta(seconds=1)))
        with self._lock:
            if not self._stopping and self._aps.get_job(job.name):
                self._aps.modify_job(job.name, next_run_time=when)

    def wake(self, name: str, due: datetime | None = None) -> None:
        """Look at ``name``'s due work now, after a change that may have moved it earlier (work
        due at ``due``): unless the job runs by then anyway. Run now, the job reschedules itself
        for its next due time from the database, which now includes the change. Only the leader
        runs jobs; in another process this does nothing and the leader's polling finds it."""
        with self._lock:
            runs_here = self.leading or name in self.shared
            job = self._aps.get_job(name) if runs_here and not self._stopping else None
            if job is None:
                return
            if due is not None and job.next_run_time is not None and job.next_run_time <= due:
                return
            self._aps.modify_job(name, next_run_time=datetime.now(UTC))

    def planned(self) -> dict[str, datetime | None]:
        """When this process will next run each job (None: not the leader)."""
        out: dict[str, datetime | None] = {}
        for name in self.jobs:
            job = self._aps.get_job(name)
            out[name] = job.next_run_time if job else None
        return out
