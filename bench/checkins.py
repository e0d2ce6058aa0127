"""10,000 check-ins due at once, delivered to the fake Slack under Slack-like pacing and 429s.

    .venv/bin/python -m bench.checkins [--n 10000] [--rate 6000] [--inject-429 10]
                                       [--backends sqlite,postgres] [--second job]

For each backend it builds a throwaway database (a temp SQLite file; a ``bravo_bench_*`` database
on PostgreSQL), bulk-loads ``--n`` people (the ``slack_user`` cache, fresh, in a mix of time
zones) and one active weekly goal each, every one due at or before T (its local check-in time
fell in the hour before T). The recording fake Slack (``bot.sandbox.server.FakeSlack``) runs in
this process on 127.0.0.1, with the same people, a workspace-wide limit of ``--rate``
chat.postMessage calls a minute, Slack's one message a second per channel, and
``--inject-429`` calls answered 429 (Retry-After 1) spread over the run.

Bravo runs in subprocesses, each with ``bot.deps.build_deps`` and ``BRAVO_POSTS_PER_MINUTE``
set to ``--rate``: the *leader* runs ``bot.goals.jobs.run_checkins(deps, T)`` with its outbox
thread started, and at the same moment a second process runs the same job (``--second job``: a
second scheduler, as in a fail-over; it does not deliver), or only delivers (``--second
deliver``: another Bravo process with its own outbox thread), or there is none (``--second
none``). The time measured runs from the job's start to the fake's last successful
chat.postMessage. A third process then runs the job again at T and drains (a restart).
``--restart-at F`` kills the leader (SIGKILL) once a fraction F of the prompts are sent and starts
a new one, which runs the job again and delivers the rest.

The fake's records are the evidence: exactly one successful chat.postMessage per goal owner (zero
duplicates, zero lost), every outbox row ``sent``, and the 429s answered. A sampler in the leader
reads its threads' stacks every 10 ms, which says where the job and the outbox thread spend their
time (database, HTTP to Slack, waiting, Python).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlalchemy import insert, text
from sqlmodel import col, func, select

from bench.leaderboard import PG_ADMIN_URL, pg_admin, pg_problem
from bot.cadence import local_time, monday_of
from bot.sandbox.server import Call, FakeSlack
from storage.db import Database
from storage.migrate import upgrade
from storage.models import CheckInPrompt, Goal, OutboxRow, ScheduledSend, SlackUser

ROOT = Path(__file__).resolve().parent.parent
TEAM = "T0SANDBOX"
TOKEN = "xoxb-sandbox"
POST = "chat.postMessage"
TARGET_RATIO = 1.2
RETRY_AFTER = 1
# Where the people are, and how many of them (weights).
ZONES = (
    ("America/Los_Angeles", 14),
    ("America/Chicago", 8),
    ("America/New_York", 18),
    ("America/Sao_Paulo", 6),
    ("Europe/London", 10),
    ("Europe/Berlin", 10),
    ("Africa/Lagos", 4),
    ("Asia/Kolkata", 12),
    ("Asia/Manila", 10),
    ("Asia/Tokyo", 4),
    ("Australia/Sydney", 4),
)
SKILLS = (
    "empathy",
    "active-listening",
    "problem-solving",
    "communication",
    "personalization",
    "professionalism",
)
GOALS = (
    ("Greet every caller by name", "Name used in 9 of 10 calls in QA review"),
    ("Close tickets with a clear next step", "Next step stated in 95% of closed tickets"),
    ("Summarise the problem back to the customer", "Summary given in 8 of 10 calls"),
    ("Answer chats within two minutes", "Median first reply under 2 minutes"),
)


# ---- people and goals ------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str


def people(n: int, rng: random.Random) -> list[Person]:
    names = [z for z, _ in ZONES]
    weights = [w for _, w in ZONES]
    zones = rng.choices(names, weights, k=n)
    return [Person(f"U{i:08d}", f"agent{i}", zones[i]) for i in range(n)]


def goal_rows(staff: Sequence[Person], at: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """One active weekly goal per person, due at their local check-in time in the hour before
    ``at`` (a whole minute, on the local weekday it falls on)."""
    created = at - timedelta(days=30)
    rows = []
    for i, p in enumerate(staff):
        zone = ZoneInfo(p.tz)
        local = (at - timedelta(minutes=rng.randrange(0, 60))).astimezone(zone)
        minute = local.hour * 60 + local.minute
        due = local_time(local.date(), minute, zone)
        what, measure = GOALS[i % len(GOALS)]
        rows.append(
            {
                "team_id": TEAM,
                "owner_id": p.user_id,
                "what": what,
                "measure": measure,
                "skill": SKILLS[i % len(SKILLS)],
                "target_date": (at + timedelta(days=90)).date(),
                "cadence": "weekly",
                "cadence_day": local.weekday(),
                "cadence_minute": minute,
                "cadence_anchor": monday_of(created.date()),
                "visibility": "private",
                "status": "active",
                "paused_until": None,
                "tz": p.tz,
                "next_due_at": due,
                "streak": 0,
                "best_streak": 0,
                "missed_in_row": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def seed_database(db: Database, staff: Sequence[Person], at: datetime, seed: int) -> float:
    """Bulk-load the profile cache (fresh as of ``at``) and the goals; returns seconds."""
    began = time.perf_counter()
    users = [
        {
            "team_id": TEAM,
            "user_id": p.user_id,
            "name": p.name,
            "tz": p.tz,
            "is_bot": False,
            "deleted": False,
            "fetched_at": at,
        }
        for p in staff
    ]
    goals = goal_rows(staff, at, random.Random(seed))
    with db.engine.begin() as conn:
        for start in range(0, len(users), 5000):
            conn.execute(insert(SlackUser.__table__), users[start : start + 5000])  # type: ignore[attr-defined]
            conn.execute(insert(Goal.__table__), goals[start : start + 5000])  # type: ignore[attr-defined]
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - began


def count_due(db: Database, at: datetime) -> int:
    with db.read() as s:
        return int(
            s.exec(
                select(func.count())
                .select_from(Goal)
                .where(Goal.status == "active", col(Goal.next_due_at) <= at)
            ).one()
        )


# ---- throwaway databases ---------------------------------------------------------------------


@contextmanager
def fresh_database(backend: str, tmp: Path) -> Iterator[tuple[Database, str]]:
    """A migrated, empty database that is deleted afterwards; yields it and its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
        db = Database.from_url(url)
        try:
            upgrade(db.engine)
            yield db, url
        finally:
            db.dispose()
        return
    name = f"bravo_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    db = Database.from_url(url, pool_size=2)
    try:
        upgrade(db.engine)
        yield db, url
    finally:
        db.dispose()
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- the worker: one Bravo process -----------------------------------------------------------


class StackSampler:
    """Reads the stacks of some threads every ``interval`` s and counts (thread, what it is
    doing, innermost Bravo function): a poor man's py-spy that needs no hooks in Bravo."""

    def __init__(self, threads: Sequence[str], interval: float = 0.01) -> None:
        self.threads = set(threads)
        self.interval = interval
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():  # never started with --no-profile
            self._thread.join(2)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                name = names.get(ident)
                if name in self.threads:
                    self.counts[(name, *classify(frame))] += 1

    def report(self) -> list[list[Any]]:
        return [[t, k, f, n] for (t, k, f), n in self.counts.most_common()]


def classify(frame: FrameType | None) -> tuple[str, str]:
    """What a stack is doing (database, HTTP to Slack, waiting, Python) and its innermost frame in
    Bravo's own code (``bot/``, ``storage/``)."""
    kind, where = "", ""
    leaf = True
    while frame is not None:
        path = frame.f_code.co_filename
        if not kind:
            if "/slack_sdk/" in path or path.endswith(("http/client.py", "urllib/request.py")):
                kind = "HTTP to Slack"
            elif "/sqlalchemy/" in path or "/psycopg/" in path or "sqlite3" in path:
                kind = "database"
            elif leaf and path.endswith("threading.py") and frame.f_code.co_name == "wait":
                kind = "waiting"
        rel = path[len(str(ROOT)) + 1 :] if path.startswith(str(ROOT)) else ""
        if not where and rel.startswith(("bot/", "storage/")):
            where = f"{rel[:-3].replace('/', '.')}.{frame.f_code.co_qualname}"
        if kind and where:
            break
        leaf = False
        frame = frame.f_back
    return kind or "Python", where or "?"


def thread_cpu(exclude: set[int]) -> dict[str, float]:
    """CPU seconds used so far by each live thread (Linux ``/proc``), summed by name with
    numbered pool threads together: where the process's CPU went, next to its wall time."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for t in threading.enumerate():
        if t.native_id is None or t.native_id in exclude or t.name == "bench-sampler":
            continue
        try:
            stat = Path(f"/proc/self/task/{t.native_id}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        name = "sender threads" if t.name.startswith("bravo-send") else f"{t.name} thread"
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return dict(used)


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine so far, from ``/proc/stat``."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    values = [float(v) for v in first]
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)
    return sum(values) - idle, sum(values)


def outbox_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.exec(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all()
    return {str(k): int(v) for k, v in rows}


ROLES = {  # role: (runs the job, delivers with the outbox thread)
    "leader": (True, True),  # the scheduler's leader: the job and its own outbox thread
    "job": (True, False),  # a second scheduler that fired too (fail-over): the job only
    "deliver": (False, True),  # another Bravo process (a web worker): its outbox thread only
    "rerun": (True, False),  # a restart: the job again, then drain()
}


def settled(db: Database, at: datetime) -> bool:
    """No goal is due at ``at`` any more and nothing is waiting in the outbox."""
    return not count_due(db, at) and not outbox_counts(db).get("pending", 0)


def run_worker(args: argparse.Namespace) -> int:
    """One Bravo process: build deps, say "ready", wait for "go" on stdin, then do its role's
    part until everything is settled; print one RESULT line of JSON."""
    from bot.deps import build_deps
    from bot.goals.jobs import run_checkins
    from bot.scheduling.scheduler import PacingTurn, leadership_for
    from bot.settings import load_settings

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": args.api_url,
            "DATABASE_URL": args.database_url,
            "BRAVO_POSTS_PER_MINUTE": str(args.rate),
            "LOG_LEVEL": "WARNING",
        }
    )
    db = Database.from_url(settings.database_url)
    deps = build_deps(settings, db)
    # As in production (bot.scheduling.start): one process paces posts.
    deps.deliverer.paces = PacingTurn(leadership_for(settings.database_url, "pacer"))
    at = datetime.fromisoformat(args.at)
    runs_job, delivers = ROLES[args.worker]
    outbox_counts(db)  # connect and warm up before the clock starts
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return 1
    sampler = StackSampler(["MainThread", "bravo-delivery"])
    if args.profile:
        sampler.start()
    cpu0, began = time.process_time(), time.time()
    if delivers:
        deps.deliverer.start()
    outcomes = run_checkins(deps, at) if runs_job else Counter()
    job_done = time.time()
    sampler.threads.discard("MainThread")  # from here on it only waits for the outbox
    cpu = {"job thread": time.thread_time()}
    if args.worker == "rerun":
        deps.deliverer.drain()
    elif delivers:
        deadline = time.monotonic() + args.timeout
        while not settled(db, at) and time.monotonic() < deadline:
            time.sleep(0.2)
        cpu |= thread_cpu(exclude={threading.get_native_id()})
        deps.deliverer.stop()
    result = {
        "role": args.worker,
        "began": began,
        "job_done": job_done if runs_job else None,
        "settled": time.time(),
        "outcomes": dict(outcomes),
        "outbox": outbox_counts(db),
        "cpu": time.process_time() - cpu0,
        "thread_cpu": cpu,
        "samples": sampler.report(),
        "interval": sampler.interval,
    }
    sampler.stop()
    print("RESULT " + json.dumps(result), flush=True)
    db.dispose()
    return 0


# ---- the orchestrator ------------------------------------------------------------------------


@dataclass
class Worker:
    role: str
    popen: subprocess.Popen[str]
    log: Path

    def tail(self, lines: int = 20) -> str:
        try:
            text_ = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(f"    {line}" for line in text_[-lines:])

    def wait_ready(self) -> None:
        assert self.popen.stdout is not None
        line = self.popen.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"{self.role} did not start ({line!r}):\n{self.tail()}")

    def go(self) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write("go\n")
        self.popen.stdin.flush()

    def result(self, timeout: float) -> dict[str, Any]:
        assert self.popen.stdout is not None
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired as err:
            raise RuntimeError(f"{self.role} still running after {timeout:.0f}s") from err
        for line in self.popen.stdout.read().splitlines():
            if line.startswith("RESULT "):
                return dict(json.loads(line[len("RESULT ") :]))
        raise RuntimeError(f"{self.role} exited {self.popen.returncode}:\n{self.tail()}")

    def kill(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


@contextmanager
def workers(
    roles: Sequence[str], opts: Options, url: str, api_url: str, at: datetime, tmp: Path
) -> Iterator[list[Worker]]:
    """Start one Bravo subprocess per role and wait until each is ready (not yet running)."""
    started: list[Worker] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env |= {"PYTHONUNBUFFERED": "1", "BRAVO_ENV_FILE": str(tmp / "no.env")}
    try:
        for role in roles:
            log = tmp / f"{role}-{len(list(tmp.glob(role + '-*.log')))}.log"
            argv = [sys.executable, "-m", "bench.checkins", "--worker", role]
            argv += ["--database-url", url, "--api-url", api_url, "--at", at.isoformat()]
            argv += ["--rate", str(opts.rate), "--timeout", str(opts.timeout)]
            argv += [] if opts.profile else ["--no-profile"]
            with log.open("w") as err:
                popen = subprocess.Popen(
                    argv,
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    text=True,
                    start_new_session=True,
                )
            started.append(Worker(role, popen, log))
        for w in started:
            w.wait_ready()
        yield started
    finally:
        for w in started:
            w.kill()


class Injector:
    """Answers ``count`` chat.postMessage calls with 429 (Retry-After 1), one at a time, spread
    evenly over ``span`` seconds from ``start``."""

    def __init__(self, fake: FakeSlack, count: int, span: float) -> None:
        self.fake, self.count, self.span = fake, count, span
        self.injected = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-429", daemon=True)
        self.start_at = 0.0

    def start(self) -> None:
        self.start_at = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():  # never started with --no-profile
            self._thread.join(2)

    def _run(self) -> None:
        for i in range(self.count):
            when = self.start_at + self.span * (i + 0.5) / self.count
            if self._stop.wait(max(0.0, when - time.monotonic())):
                return
            self.fake.fail_next(POST, status=429, retry_after=RETRY_AFTER)
            self.injected += 1


class Progress:
    """Every second: prompts created and outbox rows sent, read from the database."""

    def __init__(self, url: str) -> None:
        self.db = Database.from_url(url, **({} if url.startswith("sqlite") else {"pool_size": 1}))
        self.samples: list[tuple[float, int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-progress", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.db.dispose()

    def sent(self) -> int:
        return self.samples[-1][2] if self.samples else 0

    def _run(self) -> None:
        while True:
            with self.db.read() as s:
                prompts = s.exec(select(func.count()).select_from(CheckInPrompt)).one()
                sent = s.exec(
                    select(func.count()).select_from(OutboxRow).where(OutboxRow.status == "sent")
                ).one()
            self.samples.append((time.time(), int(prompts), int(sent)))
            if self._stop.wait(1.0):
                return


@dataclass
class Options:
    n: int
    rate: int
    inject: int
    second: str
    restart_at: float | None
    timeout: float
    profile: bool
    seed: int


@dataclass
class Run:
    backend: str
    n: int
    seed_seconds: float
    results: dict[str, dict[str, Any]]
    calls: list[Call]
    owners: set[str]
    db_counts: dict[str, Any]
    injected: int
    progress: list[tuple[float, int, int]]
    rerun: dict[str, Any] = field(default_factory=dict)
    machine_busy: float = 0.0  # share of all CPUs busy from go to settled


def make_fake(staff: Sequence[Person], rate: int) -> FakeSlack:
    fake = FakeSlack(team_id=TEAM, token=TOKEN)
    for p in staff:
        fake.add_user(p.user_id, p.name, tz=p.tz)
    fake.set_rate_limit(POST, 1.0)  # Slack: about one message a second per channel
    fake.set_workspace_rate_limit(rate)  # and several hundred a minute per workspace
    return fake.start()


def run_backend(backend: str, opts: Options, tmp: Path) -> Run:
    say = lambda msg: print(f"[{backend}] {msg}", flush=True)  # noqa: E731
    rng = random.Random(opts.seed)
    staff = people(opts.n, rng)
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    with fresh_database(backend, tmp) as (db, url):
        seconds = seed_database(db, staff, at, opts.seed)
        due = count_due(db, at)
        if due != opts.n:
            raise RuntimeError(f"seeded {opts.n} goals but {due} are due at T")
        say(f"seeded {opts.n:,} people and goals, all due by T={at:%H:%M:%S}Z ({seconds:.1f}s)")
        fake = make_fake(staff, opts.rate)
        try:
            run = deliver_all(backend, opts, db, url, fake, at, tmp, say)
        finally:
            fake.stop()
        run.seed_seconds = seconds
        run.owners = {p.user_id for p in staff}
        return run


def deliver_all(
    backend: str,
    opts: Options,
    db: Database,
    url: str,
    fake: FakeSlack,
    at: datetime,
    tmp: Path,
    say: Callable[[str], None],
) -> Run:
    floor = opts.n * 60 / opts.rate
    roles = ["leader"] + ([] if opts.second == "none" else [opts.second])
    results: dict[str, dict[str, Any]] = {}
    progress = Progress(url)
    injector = Injector(fake, opts.inject, floor)
    with workers(roles, opts, url, fake.base_url, at, tmp) as started:
        say(f"{' + '.join(roles)} ready; go (floor {floor:.0f}s at {opts.rate}/min)")
        progress.start()
        busy0 = machine_busy()
        injector.start()
        for w in started:
            w.go()
        if opts.restart_at is not None:
            restarted = restart_leader(started[0], opts, url, fake, at, tmp, progress, say)
            results["leader (killed)"] = {"role": "leader (killed)", **restarted.pop("killed")}
            results["leader"] = restarted
        else:
            results["leader"] = started[0].result(opts.timeout + 60)
        for w in started[1:]:
            results[w.role] = w.result(60)
    busy1 = machine_busy()
    injector.stop()
    progress.stop()
    say(f"all settled; outbox {results['leader']['outbox']}; rerunning the job (a restart)")
    with workers(["rerun"], opts, url, fake.base_url, at, tmp) as (again,):
        calls_before = len(fake.calls(POST))
        again.go()
        rerun = again.result(120)
        rerun["new_calls"] = len(fake.calls(POST)) - calls_before
    return Run(
        backend=backend,
        n=opts.n,
        seed_seconds=0.0,
        results=results,
        calls=fake.calls(POST),
        owners=set(),
        db_counts=database_counts(db, at),
        injected=injector.injected,
        progress=progress.samples,
        rerun=rerun,
        machine_busy=(busy1[0] - busy0[0]) / max(1.0, busy1[1] - busy0[1]),
    )


def restart_leader(
    leader: Worker,
    opts: Options,
    url: str,
    fake: FakeSlack,
    at: datetime,
    tmp: Path,
    progress: Progress,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """SIGKILL the leader once ``restart_at`` of the prompts are sent; a new leader runs the job
    again and delivers the rest. Returns the new leader's result with ``killed`` added."""
    assert opts.restart_at is not None
    began = time.time()
    while progress.sent() < opts.restart_at * opts.n:
        if leader.popen.poll() is not None:
            raise RuntimeError(f"leader exited early:\n{leader.tail()}")
        time.sleep(0.2)
    leader.kill()
    killed_at = time.time()
    say(f"killed the leader at {progress.sent():,} sent, {killed_at - began:.0f}s in; restarting")
    with workers(["leader"], opts, url, fake.base_url, at, tmp) as (new,):
        new.go()
        result = new.result(opts.timeout + 60)
    result["killed"] = {"began": began, "killed_at": killed_at}
    return result


def database_counts(db: Database, at: datetime) -> dict[str, Any]:
    with db.read() as s:
        prompts = s.exec(select(func.count()).select_from(CheckInPrompt)).one()
        per_goal = s.exec(
            select(func.count()).select_from(
                select(CheckInPrompt.goal_id)
                .group_by(col(CheckInPrompt.goal_id))
                .having(func.count() > 1)
                .subquery()
            )
        ).one()
        records = s.exec(select(func.count()).select_from(ScheduledSend)).one()
        linked = s.exec(
            select(func.count())
            .select_from(ScheduledSend)
            .where(col(ScheduledSend.outbox_id).is_not(None))
        ).one()
        still_due = s.exec(
            select(func.count()).select_from(Goal).where(col(Goal.next_due_at) <= at)
        ).one()
        errors = s.exec(
            select(OutboxRow.last_error, func.count())
            .where(col(OutboxRow.last_error).is_not(None))
            .group_by(OutboxRow.last_error)
        ).all()
        attempts = s.exec(
            select(OutboxRow.attempts, func.count()).group_by(col(OutboxRow.attempts))
        ).all()
    updates = None
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
            updates = conn.execute(
                text("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'outbox'")
            ).scalar()
    return {
        "outbox_updates": updates,
        "prompts": int(prompts),
        "goals_with_2_prompts": int(per_goal),
        "records": int(records),
        "records_linked": int(linked),
        "still_due": int(still_due),
        "outbox": outbox_counts(db),
        "last_errors": {str(e): int(n) for e, n in errors},
        "attempts": {int(a): int(n) for a, n in attempts},
    }


# ---- report ----------------------------------------------------------------------------------


def verdict(run: Run, opts: Options) -> list[str]:
    floor = run.n * 60 / opts.rate
    ok_posts = [c for c in run.calls if c.ok]
    per_channel = Counter(str(c.args.get("channel")) for c in ok_posts)
    duplicates = sum(n - 1 for n in per_channel.values() if n > 1)
    lost = len(run.owners - set(per_channel))
    strangers = len(set(per_channel) - run.owners)
    limited = [c for c in run.calls if c.status == 429]
    other_errors = Counter(
        str(c.response.get("error")) for c in run.calls if not c.ok and c.status != 429
    )
    began = min(r["began"] for r in run.results.values())
    last = max((c.at for c in ok_posts), default=began)
    measured = last - began
    paused = run.injected * RETRY_AFTER
    ratio = measured / floor
    leader = run.results["leader"]
    outbox = run.db_counts["outbox"]
    good = (
        ratio <= TARGET_RATIO
        and duplicates == 0
        and lost == 0
        and outbox.get("sent", 0) == run.n == sum(outbox.values())
    )
    lines = [
        f"check-ins due at once: {run.n:,} (one goal per person, {len(ZONES)} time zones); "
        f"loaded in {run.seed_seconds:.1f}s",
        f"pacing: {opts.rate:,}/min ({opts.rate / 60:.1f}/s) in Bravo (BRAVO_POSTS_PER_MINUTE) "
        "and as the fake's workspace limit; 1/s per channel in the fake",
        f"floor = n / rate = {floor:.1f}s; with the injected 429s' Retry-After pauses "
        f"(the workspace waits them out): {floor + paused:.1f}s = x{(floor + paused) / floor:.2f}",
        f"delivered all in {measured:.1f}s (job start to the last successful "
        f"{POST}) = x{ratio:.2f} the floor",
        f"target: within x{TARGET_RATIO} of the floor, no duplicates, none lost: "
        + ("PASS" if good else "FAIL"),
    ]
    for name, r in run.results.items():
        if not r.get("job_done"):
            continue
        job = r["job_done"] - r["began"]
        goals = sum(r["outcomes"].values())
        rate = f" ({goals / job:.0f} goals/s)" if job and goals else ""
        lines.append(f"job in the {name} process: {job:.1f}s{rate}, outcomes {dict(r['outcomes'])}")
    for name, r in run.results.items():
        if "cpu" not in r:
            continue  # killed: no report
        threads = ", ".join(f"{k} {v:.1f}s" for k, v in r.get("thread_cpu", {}).items())
        lines.append(
            f"CPU of the {name} process: {r['cpu']:.1f}s over {r['settled'] - r['began']:.1f}s"
            + (f" ({threads})" if threads else "")
        )
    lines.append(
        f"machine: {run.machine_busy:.0%} of its {os.cpu_count()} CPUs busy during the run "
        "(Bravo's processes, PostgreSQL, the fake)"
    )
    if "leader (killed)" in run.results:
        k = run.results["leader (killed)"]
        lines.append(f"leader killed {k['killed_at'] - k['began']:.1f}s in; a new one took over")
    rr = run.rerun
    lines.append(
        f"restart (job run again at T, then drained): outcomes {dict(rr['outcomes']) or '{}'}, "
        f"{rr['new_calls']} new {POST} calls"
    )
    lines.append(
        f"429s: injected {run.injected} (Retry-After {RETRY_AFTER}s), answered {len(limited)} "
        f"({max(0, len(limited) - run.injected)} more from the workspace limit); "
        + ("every row still sent" if outbox.get("sent", 0) == run.n else "NOT all rows sent")
    )
    if other_errors:
        lines.append(f"other error answers: {dict(other_errors)}")
    lines.append(
        f"duplicates: {duplicates}; lost: {lost}; posts to people without a goal: {strangers} "
        f"({len(ok_posts):,} successful posts to {len(per_channel):,} DMs, "
        f"{len(run.calls):,} {POST} calls in all)"
    )
    dc = run.db_counts
    lines.append(
        f"outbox: {outbox}; prompts {dc['prompts']:,} (goals with two: "
        f"{dc['goals_with_2_prompts']}); delivery records {dc['records']:,} "
        f"({dc['records_linked']:,} linked); goals still due {dc['still_due']}"
    )
    lines.append(f"outbox attempts per row: {dc['attempts']}; last errors: {dc['last_errors']}")
    if dc["outbox_updates"] is not None:
        lines.append(
            f"outbox row updates (PostgreSQL statistics): {dc['outbox_updates']:,}, "
            f"{dc['outbox_updates'] / run.n:.1f} a message (2 = a claim and its result; "
            "more: rows claimed and put back to wait for a pacing slot or a 429 pause)"
        )
    lines += timeline(run, began, floor)
    lines += gaps(ok_posts, limited, began)
    if leader.get("samples"):
        lines += profile(leader)
    return lines


def timeline(run: Run, began: float, floor: float) -> list[str]:
    """Prompts created and posts delivered over time (a tenth of the floor a step, or longer
    for a long run)."""
    ok_at = sorted(c.at - began for c in run.calls if c.ok)
    step = float(max(1, round(max(floor / 10, (ok_at[-1] if ok_at else 0) / 24))))
    lines = [f"progress every {step:.0f}s (prompts created / posts delivered, cumulative):"]
    cells = []
    t = step
    end = (ok_at[-1] if ok_at else 0) + step
    while t <= end:
        made = max((p for ts, p, _ in run.progress if ts - began <= t), default=0)
        sent = sum(1 for x in ok_at if x <= t)
        cells.append(f"{t:>4.0f}s {made:>6,}/{sent:>6,}")
        t += step
    for i in range(0, len(cells), 4):
        lines.append("  " + "   ".join(cells[i : i + 4]))
    return lines


def gaps(ok_posts: list[Call], limited: list[Call], began: float) -> list[str]:
    """Pauses between successful posts longer than half a second, and what preceded them."""
    times = sorted(c.at for c in ok_posts)
    stops = [(b - a, a) for a, b in itertools.pairwise(times) if b - a > 0.5]
    lost = sum(d for d, _ in stops)
    after_429 = sum(1 for d, a in stops if any(0 <= c.at - a <= d for c in limited))
    return [
        f"pauses over 0.5s between posts: {len(stops)}, {lost:.1f}s in all "
        f"({after_429} began with a 429 answer); longest "
        + (", ".join(f"{d:.1f}s at {a - began:.0f}s" for d, a in sorted(stops)[-3:]) or "none")
    ]


def profile(result: dict[str, Any]) -> list[str]:
    """Where the leader's job (main thread) and outbox thread spent their time."""
    interval = float(result["interval"])
    by_thread: dict[str, Counter[str]] = {}
    by_place: dict[str, Counter[tuple[str, str]]] = {}
    for thread, kind, where, n in result["samples"]:
        by_thread.setdefault(thread, Counter())[kind] += n
        by_place.setdefault(thread, Counter())[(kind, where)] += n
    lines = [f"where the leader's time went (stack samples every {interval * 1000:.0f} ms):"]
    names = {"MainThread": "job thread", "bravo-delivery": "outbox thread"}
    for thread, kinds in by_thread.items():
        total = sum(kinds.values())
        shares = ", ".join(f"{k} {n / total:.0%}" for k, n in kinds.most_common())
        lines.append(f"  {names.get(thread, thread)} (~{total * interval:.0f}s): {shares}")
        top = by_place[thread].most_common(6)
        lines += [f"    {n / total:>4.0%} {kind:<14} {where}" for (kind, where), n in top]
    return lines


def interrupted(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like Ctrl-C, so the workers are stopped either way."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.checkins",
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    p.add_argument("--n", type=int, default=10_000, help="goals due at once (one per person)")
    p.add_argument("--rate", type=int, default=6000, help="posts per minute, Bravo and the fake")
    p.add_argument(
        "--inject-429", type=int, default=10, dest="inject", help="429s spread over the run"
    )
    p.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    p.add_argument(
        "--second",
        choices=("job", "deliver", "none"),
        default="job",
        help="a second process at the same time: runs the job too (a second scheduler), or "
        "only delivers (another Bravo process), or none",
    )
    p.add_argument(
        "--restart-at", type=float, default=None, help="kill the leader at this fraction sent"
    )
    p.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for delivery")
    p.add_argument("--no-profile", action="store_true", help="no stack sampling in the leader")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--database-url", help=argparse.SUPPRESS)
    p.add_argument("--api-url", help=argparse.SUPPRESS)
    p.add_argument("--at", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.profile = not args.no_profile
    if args.worker:
        return run_worker(args)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := [b for b in backends if b not in ("sqlite", "postgres")]:
        p.error(f"unknown backend(s): {', '.join(unknown)}")
    opts = Options(
        n=args.n,
        rate=args.rate,
        inject=args.inject,
        second=args.second,
        restart_at=args.restart_at,
        timeout=args.timeout,
        profile=args.profile,
        seed=args.seed,
    )
    signal.signal(signal.SIGTERM, interrupted)
    print(
        f"bench.checkins: {opts.n:,} check-ins due at once, {opts.rate:,} posts/min, "
        f"{opts.inject} injected 429s, second process: {opts.second}"
        + (f", leader killed at {opts.restart_at:.0%} sent" if opts.restart_at else "")
        + f"; Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    reports: dict[str, list[str] | str] = {}
    try:
        for backend in backends:
            if backend == "postgres" and (problem := pg_problem()):
                reports[backend] = f"skipped: {problem}"
                print(f"[{backend}] skipped: {problem}", flush=True)
                continue
            with tempfile.TemporaryDirectory(prefix="bravo-checkins-") as tmpdir:
                run = run_backend(backend, opts, Path(tmpdir))
            reports[backend] = verdict(run, opts)
    except KeyboardInterrupt:
        print("interrupted; workers stopped", file=sys.stderr)
        return 130
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for backend, report in reports.items():
        print(f"\n=== {backend} ===")
        print(report if isinstance(report, str) else "\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
