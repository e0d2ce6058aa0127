"""Resident memory of each Bravo process while people use a workspace with 1M kudos behind it.

    .venv/bin/python -m bench.memory [--quick] [--size 1000000] [--backends sqlite,postgres]
                                     [--duration 150] [--rate 20] [--clients 4]

For each backend it loads a throwaway database with ``bench.leaderboard``'s loader (a 2,000-person
workspace and a 200-person one, two years of kudos ending now, the rollups beside them), then
starts, as real subprocesses, the fake Slack (``python -m bot.sandbox.server``, hosting the
bench's workspace) and Bravo (``python -m bot run --http``: gunicorn's arbiter and one worker,
with its outbox thread and its scheduler). The fake is seeded with the people the requests use
and a #kudos channel. Then, for ``--duration`` seconds, ``--clients`` threads act as people at
``--rate`` requests a second in all: ``/kudos`` commands, ``/kudos leaderboard`` (week, month,
all), ``/kudos stats`` and ``/kudos history`` (their own or someone's), the Home tab opened by
ever new people (each a home built and published, then refreshed by the ``home_refresh`` job),
and every ``--export-every`` seconds ``/bravo export`` for the two heaviest people (the top giver
and the top receiver). Meanwhile every scheduled job is run once as its own process (``python
-m bot jobs run NAME``), one after the other.

A sampler reads ``VmRSS`` from ``/proc/<pid>/status`` for every process and its children every
``--every`` seconds. Per process: RSS once started and idle, the peak over the whole run, and
the steady RSS (the median over the last half of the exercise), next to the 150 MB target.
``python -m bot worker`` (queue mode) is measured too when this checkout has it (``--help``
answers): ``bravo run --http --queue`` and one worker on PostgreSQL (``--queue-env`` adds
environment to both).

``--quick``: 100k kudos, SQLite only, a 30 s exercise (2-3 minutes in all on a busy 2-CPU machine:
the twelve job processes run one after the other, and the outbox is waited for afterwards).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.ack_latency import (
    Control,
    Fake,
    Proc,
    base_env,
    free_port,
    process,
    wait_http,
)
from bench.leaderboard import (
    TEAM,
    Workspace,
    analyze,
    busiest_giver,
    fresh_database,
    load,
    make_workspaces,
    pg_problem,
    reopen,
)
from bot.sandbox.signing import SlackRequester
from bot.scheduling.registry import JOBS
from bot.settings import DEFAULT_VALUES
from bot.users import Person

TARGET_MB = 150.0
SECRET = "bench-memory-secret"
TOKEN = "xoxb-bench-memory"
CHANNEL = "C0KUDOS"
BOT_USER = "UBRAVO"
SEEDED = 1_000  # people of the workspace the fake knows (and the requests use)
REASONS = (
    "calming an angry caller",
    "the refund walkthrough",
    "covering my queue at lunch",
    "the macro for shipping delays",
    "staying late for the outage",
)
MIX = (  # (what a person does, weight)
    ("kudos", 35),
    ("leaderboard", 15),
    ("stats", 10),
    ("history", 10),
    ("home", 30),
)


# ---- RSS -------------------------------------------------------------------------------------


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except (OSError, ValueError):
        pass
    return found


@dataclass
class Series:
    label: str
    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)  # (monotonic, kB)

    def peak(self) -> int:
        return max((kb for _, kb in self.samples), default=0)

    def at(self, start: float, end: float) -> list[int]:
        return [kb for t, kb in self.samples if start <= t <= end]


class Sampler:
    """Reads the RSS of every watched process and its descendants every ``every`` seconds."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.roots: dict[int, str] = {}
        self.series: dict[int, Series] = {}
        self.child_labels: dict[int, str] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def watch(self, pid: int, label: str, child: str | None = None) -> None:
        """Sample ``pid`` (as ``label``) and its descendants (a child as ``child``, if given)."""
        with self.lock:
            self.roots[pid] = label
            if child is not None:
                self.child_labels[pid] = child

    def _label(self, root: int, depth: int, index: int) -> str:
        label = self.roots[root]
        if depth == 0:
            return label
        if depth == 1:
            return self.child_labels.get(root) or f"{label}, child {index}"
        return f"{label}, grandchild"

    def sample(self) -> None:
        now = time.monotonic()
        with self.lock:
            roots = dict(self.roots)
        for root in roots:
            todo = [(root, 0, 0)]
            while todo:
                pid, depth, index = todo.pop()
                kb = rss_kb(pid)
                if kb is None:
                    continue
                with self.lock:
                    series = self.series.get(pid)
                    if series is None:
                        series = Series(self._label(root, depth, index), pid)
                        self.series[pid] = series
                    series.samples.append((now, kb))
                todo += [(c, depth + 1, i) for i, c in enumerate(children(pid), 1)]

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            self.sample()

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(5)


# ---- --trace: where the memory is --------------------------------------------------------------

TRACER = """
import os, threading, time, tracemalloc

def _dump(folder, every):
    while True:
        time.sleep(every)
        snap = tracemalloc.take_snapshot().filter_traces(
            (tracemalloc.Filter(False, tracemalloc.__file__),)
        )
        lines = [f"pid {os.getpid()}: traced {tracemalloc.get_traced_memory()} (now, peak)"]
        for stat in snap.statistics("filename")[:15] + snap.statistics("lineno")[:25]:
            size = stat.size / 2**20
            lines.append(f"{size:8.2f} MiB in {stat.count:>9,} blocks: {stat.traceback}")
        with open(f"/proc/{os.getpid()}/status") as status:
            lines += [ln.strip() for ln in status if ln.startswith(("VmRSS", "VmHWM"))]
        with open(os.path.join(folder, f"trace-{os.getpid()}.txt"), "w") as out:
            out.write("\\n".join(lines) + "\\n")

def _start():
    if tracemalloc.is_tracing():
        folder = os.environ["MEMBENCH_TRACE_DIR"]
        every = float(os.environ.get("MEMBENCH_TRACE_EVERY", "10"))
        threading.Thread(target=_dump, args=(folder, every), daemon=True).start()

_start()
os.register_at_fork(after_in_child=_start)
"""


def trace_env(folder: Path) -> dict[str, str]:
    """Every Python process started with this environment traces its allocations and writes its
    15 biggest files and 25 biggest lines to ``folder/trace-<pid>.txt`` every 10 s (a
    sitecustomize; gunicorn's forked worker restarts the writer after the fork)."""
    site = folder / "site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(TRACER)
    return {
        "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p),
        "PYTHONTRACEMALLOC": "1",
        "MEMBENCH_TRACE_DIR": str(folder.resolve()),
    }


# ---- the people's requests -------------------------------------------------------------------


class Requester(SlackRequester):
    """Signed requests whose response_urls and trigger_ids the fake (another process) minted."""

    def __init__(self, bot_url: str, control: Control) -> None:
        super().__init__(bot_url, SECRET, team_id=TEAM, timeout=30.0)
        self.control = control

    def trigger_id(self, user_id: str | None = None) -> str:
        return str(self.control.call("POST", "trigger_ids", {"user_id": user_id})["trigger_id"])

    def response_url(
        self, user_id: str, channel_id: str | None, message_ts: str | None = None
    ) -> str:
        data = {"user_id": user_id, "channel_id": channel_id, "message_ts": message_ts}
        return str(self.control.call("POST", "response_urls", data)["url"])


def mention(p: Person) -> str:
    return f"<@{p.user_id}|{p.name}>"


@dataclass
class Crowd:
    seeded: list[Person]
    heavy: list[Person]  # whose data is exported
    home_order: list[Person]  # people opening the Home tab, each a first time, then again


def crowd(space: Workspace, rng: random.Random) -> Crowd:
    weights = [b - a for a, b in zip((0.0, *space.get_cum[:-1]), space.get_cum, strict=True)]
    top_receiver = space.people[weights.index(max(weights))]
    heavy = [busiest_giver(space), top_receiver]
    seeded = list(dict.fromkeys([*heavy, *rng.sample(space.people, SEEDED)]))
    order = seeded[:]
    rng.shuffle(order)
    return Crowd(seeded, heavy, order)


def seed(control: Control, people: Sequence[Person]) -> None:
    for p in people:
        control.call("POST", "users", {"user_id": p.user_id, "name": p.name, "tz": p.tz})
    members = [BOT_USER, *(p.user_id for p in people)]
    control.call("POST", "channels", {"channel_id": CHANNEL, "name": "kudos", "members": members})


@dataclass
class Tally:
    sent: Counter[str] = field(default_factory=Counter)
    bad: Counter[str] = field(default_factory=Counter)  # (what, status) not answered 200
    slow: float = 0.0  # the slowest answer, s
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str, status: int, elapsed: float) -> None:
        with self.lock:
            self.sent[what] += 1
            if status != 200:
                self.bad[f"{what} {status}"] += 1
            self.slow = max(self.slow, elapsed)


class People:
    """What people do, at random: one call per ``act``."""

    def __init__(self, send: Requester, crowd: Crowd, rng: random.Random, homes: Iterator[Person]):
        self.send, self.crowd, self.rng, self.homes = send, crowd, rng, homes

    def act(self, what: str) -> int:
        rng, people = self.rng, self.crowd.seeded
        me = rng.choice(people)
        if what == "kudos":
            them = [p for p in rng.sample(people, 2) if p != me][: rng.choice((1, 1, 1, 2))]
            tags = " ".join(f"#{v}" for v in rng.sample(DEFAULT_VALUES, rng.choice((1, 2))))
            text = f"{' '.join(mention(p) for p in them)} for {rng.choice(REASONS)} {tags}"
            return self.command(me, "/kudos", text)
        if what == "leaderboard":
            period = rng.choice(("week", "month", "all", "week #empathy"))
            return self.command(me, "/kudos", f"leaderboard {period}")
        if what in ("stats", "history"):
            whose = "" if rng.random() < 0.5 else " " + mention(rng.choice(people))
            return self.command(me, "/kudos", what + whose)
        if what == "export":
            return self.command(me, "/bravo", "export")
        who = next(self.homes)
        event = {"type": "app_home_opened", "user": who.user_id, "channel": "D0HOME", "tab": "home"}
        return self.send.event(event).status

    def command(self, me: Person, command: str, text: str) -> int:
        return self.send.slash_command(me.user_id, command, text, channel_id=CHANNEL).status


def cycle(people: Sequence[Person]) -> Iterator[Person]:
    while True:
        yield from people


# ---- one run ---------------------------------------------------------------------------------


@dataclass
class Options:
    size: int
    backends: list[str]
    duration: float
    rate: float
    clients: int
    every: float
    export_every: float
    seed: int
    queue_env: list[str]
    logs: Path | None
    trace: Path | None
    reuse: str | None
    bravo_env: list[str]


@dataclass
class Row:
    label: str
    idle_kb: int | None  # None: started during the exercise
    peak_kb: int
    steady_kb: int | None  # None: a short-lived process
    trend: list[int]  # the median of each fifth of the exercise, kB


@dataclass
class Outcome:
    shape: str
    rows: list[Row]
    tally: Tally
    calls: Counter[str]
    notes: list[str]


def start_fake(tmp: Path, stack: ExitStack) -> Fake:
    port = free_port()
    argv = [sys.executable, "-m", "bot.sandbox.server", "--port", str(port)]
    argv += ["--team-id", TEAM, "--token", TOKEN]
    proc = stack.enter_context(process("fake Slack", argv, base_env(tmp), tmp / "fake.log"))
    wait_http(proc, port, "/_sandbox/state")
    control = Control(port)
    stack.callback(control.close)
    return Fake(proc, port, control)


def bravo_env(tmp: Path, url: str, api_url: str, trace: Path | None) -> dict[str, str]:
    return {
        **base_env(tmp),
        **(trace_env(trace) if trace is not None else {}),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }


def run_jobs(env: dict[str, str], tmp: Path, sampler: Sampler, stop: threading.Event) -> list[str]:
    """Every scheduled job, once, as its own process; returns what each said."""
    said = []
    for job in JOBS:
        if stop.is_set():
            break
        argv = [sys.executable, "-m", "bot", "jobs", "run", job.name]
        log = tmp / f"job-{job.name}.log"
        with process(f"jobs run {job.name}", argv, env, log) as proc:
            sampler.watch(proc.popen.pid, f"jobs run {job.name}")
            try:
                proc.popen.wait(300)
            except subprocess.TimeoutExpired:
                said.append(f"{job.name}: still running after 300 s, stopped")
                continue
        last = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(nothing)"]
        said.append(f"{job.name} (exit {proc.popen.returncode}): {last[0][:150]}")
    return said


def exercise(opts: Options, port: int, fake: Fake, crowd: Crowd) -> Tally:
    """``--clients`` threads at ``--rate`` requests a second in all, for ``--duration``; the
    heavy people's exports on their own clock."""
    tally = Tally()
    url = f"http://127.0.0.1:{port}/slack/events"
    homes = cycle(crowd.home_order)
    homes_lock = threading.Lock()

    def next_home() -> Iterator[Person]:
        while True:
            with homes_lock:
                who = next(homes)
            yield who

    end = time.monotonic() + opts.duration
    gap = opts.clients / opts.rate

    def client(n: int) -> None:
        control = Control(fake.port)
        rng = random.Random(f"{opts.seed}:{n}")
        people = People(Requester(url, control), crowd, rng, next_home())
        kinds = [k for k, _ in MIX]
        weights = [float(w) for _, w in MIX]
        try:
            while (now := time.monotonic()) < end:
                what = rng.choices(kinds, weights)[0]
                status = people.act(what)
                tally.note(what, status, time.monotonic() - now)
                time.sleep(max(0.0, gap - (time.monotonic() - now)))
        finally:
            control.close()

    def exporter() -> None:
        control = Control(fake.port)
        send = Requester(url, control)
        try:
            while time.monotonic() < end:
                for who in crowd.heavy:
                    began = time.monotonic()
                    sent = send.slash_command(who.user_id, "/bravo", "export", channel_id=CHANNEL)
                    tally.note("export", sent.status, time.monotonic() - began)
                time.sleep(max(0.0, min(opts.export_every, end - time.monotonic())))
        finally:
            control.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(opts.clients)]
    if opts.export_every > 0:  # 0: nobody exports
        threads.append(threading.Thread(target=exporter))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def summarise(
    sampler: Sampler, started: float, began: float, ended: float, short: set[int]
) -> list[Row]:
    rows = []
    for pid, s in sorted(sampler.series.items(), key=lambda kv: kv[1].samples[0][0]):
        idle = s.at(started, began)
        late = s.at(began + (ended - began) / 2, ended)
        fifth = (ended - began) / 5
        parts = [s.at(began + i * fifth, began + (i + 1) * fifth) for i in range(5)]
        rows.append(
            Row(
                label=s.label,
                idle_kb=idle[-1] if idle else None,
                peak_kb=s.peak(),
                steady_kb=None if pid in short or not late else int(statistics.median(late)),
                trend=[] if pid in short else [int(statistics.median(p)) for p in parts if p],
            )
        )
    return rows


def call_counts(fake: Fake) -> Counter[str]:
    calls = fake.control.call("GET", "calls")["calls"]
    return Counter(str(c.get("method")) for c in calls)


def settle(fake: Fake, seconds: float = 60.0) -> None:
    """Wait until the fake has seen no new call for 3 s (Bravo's post-ack work and the homes'
    refresh are done), or ``seconds``."""
    last, changed, began = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - began < seconds:
        n = sum(call_counts(fake).values())
        if n != last:
            last, changed = n, time.monotonic()
        elif time.monotonic() - changed > 3:
            return
        time.sleep(0.5)


def pair(kv: str) -> tuple[str, str]:
    key, _, value = kv.partition("=")
    return key, value


def worker_help(env: dict[str, str]) -> str | None:
    """``python -m bot worker --help``'s words when this checkout has a worker, else None."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "worker", "--help"],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode(errors="replace") if done.returncode == 0 else None


def serve_and_use(
    opts: Options, tmp: Path, url: str, space: Workspace, queue: dict[str, str] | None
) -> Outcome:
    """Bravo (and in queue mode one worker) against the fake, used for ``--duration``."""
    shape = "web + worker (queue mode)" if queue is not None else "one process (bravo run --http)"
    rng = random.Random(opts.seed)
    people = crowd(space, rng)
    started = time.monotonic()
    with ExitStack() as stack, Sampler(opts.every) as sampler:
        fake = start_fake(tmp, stack)
        sampler.watch(fake.proc.popen.pid, "sandbox (fake Slack, not Bravo)")
        seed(fake.control, people.seeded)
        env = bravo_env(tmp, url, fake.api_url, opts.trace)
        env.update(pair(kv) for kv in opts.bravo_env)
        port = free_port()
        argv = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1"]
        argv += ["--port", str(port), "--workers", "1", "--threads", "8"]
        argv += ["--queue"] if queue is not None else []  # the web process of the split shape
        web = stack.enter_context(process("Bravo", argv, {**env, **(queue or {})}, tmp / "web.log"))
        sampler.watch(
            web.popen.pid,
            "bravo run --http: gunicorn arbiter",
            "bravo run --http: gunicorn worker (app, outbox, scheduler)",
        )
        wait_http(web, port, "/healthz", timeout=120 if opts.trace is None else 600)
        if queue is not None:
            argv = [sys.executable, "-m", "bot", "worker"]
            worker = stack.enter_context(
                process("worker", argv, {**env, **queue}, tmp / "worker.log")
            )
            sampler.watch(worker.popen.pid, "bravo worker")
        time.sleep(3)  # idle, started
        began = time.monotonic()
        stop_jobs = threading.Event()
        job_words: list[str] = []
        jobs = threading.Thread(
            target=lambda: job_words.extend(run_jobs(env, tmp, sampler, stop_jobs))
        )
        jobs.start()
        tally = exercise(opts, port, fake, people)
        jobs.join()
        ended = time.monotonic()
        settle(fake)
        sampler.sample()
        short = {p for p, s in sampler.series.items() if s.label.startswith("jobs run")}
        rows = summarise(sampler, started, began, ended, short)
        web.check_alive()
        calls = call_counts(fake)
        notes = [f"jobs: {w}" for w in job_words] + log_problems(web)
    return Outcome(shape, rows, tally, calls, notes)


def log_problems(proc: Proc) -> list[str]:
    lines = proc.log.read_text(errors="replace").splitlines()
    bad = [ln for ln in lines if "ERROR" in ln or "Traceback" in ln or "WARNING" in ln]
    return [f"Bravo's log: {len(bad)} warning/error lines", *(f"  {ln[:160]}" for ln in bad[:8])]


@contextmanager
def loaded(backend: str, opts: Options, spaces: Sequence[Workspace]) -> Iterator[str]:
    """A throwaway database of ``opts.size`` kudos; yields its URL."""
    now = datetime.now(UTC)
    if opts.reuse is not None:
        print(f"[{backend}] using {opts.reuse} as it is (--reuse)", flush=True)
        yield opts.reuse
        return
    with fresh_database(backend) as (loading, size_of):
        done = load(loading, opts.size, now, opts.seed, spaces)
        db = reopen(loading)
        try:
            seconds = analyze(db)
        finally:
            db.dispose()
        print(
            f"[{backend}] loaded {done.kudos:,} kudos ({done.tally:,} tally rows) in "
            f"{done.seconds:.0f} s, ANALYZE {seconds:.0f} s, {size_of() / 2**20:,.0f} MiB",
            flush=True,
        )
        yield db.engine.url.render_as_string(hide_password=False)


def run_backend(backend: str, opts: Options, worker: str | None) -> list[Outcome]:
    spaces = make_workspaces(opts.seed)
    outcomes = []
    with loaded(backend, opts, spaces) as url, tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        outcomes.append(serve_and_use(opts, tmp, url, spaces[0], None))
        keep_logs(opts, tmp, backend, "one")
        if worker is not None and backend == "postgres":
            queue = dict(pair(kv) for kv in opts.queue_env)
            outcomes.append(serve_and_use(opts, tmp, url, spaces[0], queue))
            keep_logs(opts, tmp, backend, "queue")
    return outcomes


def keep_logs(opts: Options, tmp: Path, backend: str, shape: str) -> None:
    if opts.logs is None:
        return
    opts.logs.mkdir(parents=True, exist_ok=True)
    for log in tmp.glob("*.log"):
        (opts.logs / f"{backend}-{shape}-{log.name}").write_bytes(log.read_bytes())


# ---- the report ------------------------------------------------------------------------------


def mb(kb: int | None) -> str:
    return "-" if kb is None else f"{kb / 1024:.1f}"


def report(backend: str, opts: Options, outcome: Outcome) -> list[str]:
    extra = "".join(f", {kv}" for kv in opts.bravo_env)
    lines = [
        "",
        f"=== {backend}, {opts.size:,} kudos: {outcome.shape}, {opts.duration:.0f} s "
        f"at {opts.rate:g} requests/s{extra}; RSS in MB"
        f" (target: under {TARGET_MB:.0f} MB each) ===",
        f"  {'process':<52} {'idle':>7} {'steady':>7} {'peak':>7}  target",
    ]
    for r in outcome.rows:
        bravo = not r.label.startswith("sandbox")
        verdict = ("ok" if r.peak_kb / 1024 < TARGET_MB else "OVER") if bravo else "(not Bravo)"
        lines.append(
            f"  {r.label:<52} {mb(r.idle_kb):>7} {mb(r.steady_kb):>7} {mb(r.peak_kb):>7}  {verdict}"
        )
    lines.append("  over the exercise, by fifths (median MB):")
    for r in outcome.rows:
        if r.trend:
            lines.append(f"    {r.label:<50} " + " ".join(f"{mb(kb):>6}" for kb in r.trend))
    t = outcome.tally
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(t.sent.items()))
    lines.append(
        f"  requests: {sum(t.sent.values()):,} ({kinds});"
        f" not 200: {dict(t.bad) or 0}; slowest answer {t.slow * 1000:.0f} ms"
    )
    wanted = ("response_url", "views.publish", "chat.postMessage", "users.info")
    seen = {k: outcome.calls.get(k, 0) for k in wanted}
    uploads = sum(v for k, v in outcome.calls.items() if k.startswith("files."))
    lines.append(f"  the fake saw: {seen}, files.* {uploads}, all {sum(outcome.calls.values()):,}")
    lines += [f"  {n}" for n in outcome.notes]
    return lines


def parse(argv: Sequence[str] | None) -> Options:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="100k kudos, SQLite, a 30 s exercise")
    p.add_argument("--size", type=int, default=1_000_000)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--duration", type=float, default=150.0, help="seconds of use")
    p.add_argument("--rate", type=float, default=20.0, help="requests a second, in all")
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--every", type=float, default=0.25, help="seconds between RSS samples")
    p.add_argument("--export-every", type=float, default=20.0, help="seconds; 0: no exports")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--queue-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment of the web process and the worker in queue mode",
    )
    p.add_argument(
        "--bravo-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="more environment for every Bravo process (Bravo caps glibc's malloc arenas at two"
        " itself, bot.malloc; e.g. MALLOC_ARENA_MAX=16 measures without the cap)",
    )
    p.add_argument("--logs", type=Path, help="keep Bravo's and the jobs' logs here")
    p.add_argument(
        "--trace",
        type=Path,
        metavar="DIR",
        help="debug: tracemalloc in every Bravo process; top allocation sites to DIR/trace-PID.txt",
    )
    p.add_argument(
        "--reuse",
        metavar="URL",
        help="debug: a database loaded before (by this bench) instead of a new one; written to",
    )
    a = p.parse_args(argv)
    backends = [b.strip().replace("postgresql", "postgres") for b in a.backends.split(",")]
    if a.quick:
        a.size, backends, a.duration = 100_000, ["sqlite"], 30.0
    return Options(
        a.size, backends, a.duration, a.rate, a.clients, a.every, a.export_every, a.seed,
        a.queue_env, a.logs, a.trace, a.reuse, a.bravo_env,
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse(argv)
    with tempfile.TemporaryDirectory() as folder:
        worker = worker_help(base_env(Path(folder)))
    lines = []
    for backend in opts.backends:
        if backend == "postgres" and (why := pg_problem()):
            lines.append(f"\n=== {backend}: skipped: {why} ===")
            continue
        for outcome in run_backend(backend, opts, worker):
            told = report(backend, opts, outcome)
            print("\n".join(told), flush=True)
            lines += told
    if worker is None:
        lines.append(
            "\nqueue mode (bravo worker): not measured: `python -m bot worker --help` fails here."
        )
    elif "postgres" not in opts.backends:
        lines.append("\nqueue mode (bravo worker): not measured: it needs PostgreSQL.")
    print("\n=== summary ===" + "\n".join(lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
