"""How long Slack waits for Bravo's ``/kudos`` ack, next to a bare Bolt app served the same way.

    .venv/bin/python -m bench.ack_latency [--requests 3000] [--clients 32] [--warmup 200]

Two servers run one after the other, each in its own subprocess on 127.0.0.1, each on gunicorn
gthread through ``bot.server.GunicornServer`` with the same workers and threads:

1. Bravo itself: ``python -m bot run --http`` against a fresh SQLite file, talking to the
   recording fake Slack Web API (``python -m bot.sandbox.server``, another subprocess) seeded
   with ``--users`` people and a #kudos channel. Every request is a real kudos command from a
   different giver (``<@U…|name> for … #value``) with a response_url minted by the fake, so Bravo
   does all its work after the ack: users.info lookups, the ledger write, outbox rows, the
   response_url confirmation and the channel post and DMs delivered by the outbox thread.
2. A bare Bolt ``App`` whose ``/kudos`` listener only calls ``ack()``, built with Bravo's signing
   secret (Bolt's defaults otherwise) and wrapped by ``bot.web.make_wsgi``
   (``python -m bench.ack_latency --serve-baseline --port N`` serves it alone).

``--clients`` threads each keep one HTTP/1.1 connection open and send signed slash commands
(signed right before sending, so timestamps are fresh); the latency of a request is the time from
sending it to reading the whole response, that is Slack's view of the ack. ``--warmup`` requests
go first and are not counted. ``--rate`` paces the clients (open loop) instead of sending as fast
as answers come back.

``--split N``: Bravo runs as the split shape on a throwaway PostgreSQL database, ``python -m bot
run --http --queue`` (the web process: it acks and records each command for a worker, without
Bolt for ``/kudos`` with text: ``bot.web.Straight``) plus N ``python -m bot worker`` processes
that do the work. The report then also counts the work items the web process recorded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy

from bot.sandbox.signing import USER_AGENT, sign
from bot.settings import DEFAULT_VALUES, ENV_VARS

SECRET = "bench-signing-secret"
TOKEN = "xoxb-sandbox"
TEAM = "T0SANDBOX"
CHANNEL = "C0KUDOS"
BOT_USER = "UBRAVO"
COMMAND = "/kudos"
SLACK_PATH = "/slack/events"
ACK_DEADLINE = 3.0  # seconds: Slack shows the user an error after this
TARGET_RATIO = 1.5  # Bravo's p50 and p99 at most this times the bare Bolt app's
QUIET_TIMEOUT = 120.0  # seconds to wait for Bravo's post-ack work and outbox to finish
ROOT = Path(__file__).resolve().parent.parent
ZONES = ("America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo")
REASONS = (
    "calming an angry caller",
    "staying late to fix the release & writing it up",
    "the clearest incident summary I have read this year",
    "pairing with the new folks all week",
    "catching the billing bug before it shipped",
    "taking over my on-call shift on short notice",
    "turning a messy customer thread into three tickets",
    "explaining the rollout plan so that everyone got it",
)


# ---- the bare Bolt app (subprocess) ----------------------------------------------------------


def serve_baseline(port: int, workers: int, threads: int) -> None:
    """A Bolt app with a no-op ``/kudos`` listener, served exactly as ``bravo run --http``:
    ``GunicornServer`` (gthread), ``make_wsgi`` (``/slack/events`` and ``/healthz``) and request
    verification; Bolt's own defaults otherwise (a bare app). Like Bravo it checks its token once
    with auth.test at start-up against ``SLACK_API_URL`` (the fake Slack); without that variable it
    authorizes every request locally instead, so it never needs a network."""
    import logging

    from slack_bolt import Ack, App
    from slack_bolt.authorization import AuthorizeResult
    from slack_sdk.web import WebClient

    from bot.server import GunicornServer
    from bot.web import make_wsgi
    from storage.db import Database

    logging.basicConfig(level="WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secret = os.environ.get("SLACK_SIGNING_SECRET", SECRET)
    api_url = os.environ.get("SLACK_API_URL")

    def local_authorize(**_: Any) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=None, team_id=TEAM, bot_token=TOKEN, bot_user_id=BOT_USER, bot_id="B0"
        )

    def load() -> Any:
        logger = logging.getLogger("bare.bolt")
        if api_url:
            client = WebClient(token=TOKEN, base_url=api_url, timeout=10)
            app = App(client=client, signing_secret=secret, logger=logger)
        else:
            app = App(
                authorize=local_authorize,
                signing_secret=secret,
                logger=logger,
            )

        @app.command(COMMAND)
        def on_kudos(ack: Ack) -> None:
            ack()

        return make_wsgi(app, Database.from_url("sqlite://"))

    GunicornServer(
        load, host="127.0.0.1", port=port, workers=workers, threads=threads, log_level="warning"
    ).run()


# ---- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(f"    {line}" for line in text[-lines:])

    def check_alive(self) -> None:
        code = self.popen.poll()
        if code is not None:
            raise RuntimeError(f"{self.name} exited with code {code}:\n{self.tail()}")


@contextmanager
def process(name: str, argv: Sequence[str], env: dict[str, str], log: Path) -> Iterator[Proc]:
    """Start a subprocess in its own session (so Ctrl-C reaches only us and we stop it in order);
    on the way out, SIGTERM, wait, then SIGKILL its process group if it lingers."""
    with log.open("wb") as out:
        popen = subprocess.Popen(
            list(argv),
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proc = Proc(name, popen, log)
    try:
        yield proc
    finally:
        stop(popen)


def stop(popen: subprocess.Popen[bytes], grace: float = 25.0) -> None:
    if popen.poll() is not None:
        return
    popen.terminate()
    try:
        popen.wait(grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGKILL)
        popen.wait(5)


def wait_http(proc: Proc, port: int, path: str, timeout: float = 60.0) -> None:
    """Poll ``path`` until it answers 200, failing early if the process has died."""
    deadline = time.monotonic() + timeout
    while True:
        proc.check_alive()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{proc.name} not ready after {timeout:.0f}s:\n{proc.tail()}")
        time.sleep(0.1)


def base_env(tmp: Path) -> dict[str, str]:
    """The environment without any of Bravo's settings (and no .env file)."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["BRAVO_ENV_FILE"] = str(tmp / "no.env")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def cpu_seconds(pid: int) -> float:
    """User+system CPU of a process and its descendants (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


# ---- the fake Slack --------------------------------------------------------------------------


class Control:
    """The fake's JSON control API (``/_sandbox/``) over one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, verb: str, command: str, data: dict[str, Any] | None = None) -> Any:
        body = json.dumps(data).encode() if data is not None else None
        headers = {"Content-Type": "application/json"} if body else {}
        self.conn.request(verb, f"/_sandbox/{command}", body=body, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        if response.status != 200:
            raise RuntimeError(f"fake Slack {verb} {command}: {response.status} {raw[:200]!r}")
        return json.loads(raw)

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str


def people(count: int) -> list[Person]:
    return [Person(f"U0B{i:06d}", f"member{i}") for i in range(count)]


def seed_fake(control: Control, staff: list[Person], rng: random.Random) -> None:
    for p in staff:
        control.call(
            "POST", "users", {"user_id": p.user_id, "name": p.name, "tz": rng.choice(ZONES)}
        )
    members = [BOT_USER, *(p.user_id for p in staff)]
    control.call("POST", "channels", {"channel_id": CHANNEL, "name": "kudos", "members": members})


# ---- requests --------------------------------------------------------------------------------


def kudos_text(rng: random.Random, giver: Person, staff: list[Person]) -> str:
    count = 1 if rng.random() < 0.8 else 2
    named: list[Person] = []
    while len(named) < count:
        p = rng.choice(staff)
        if p != giver and p not in named:
            named.append(p)
    who = " ".join(f"<@{p.user_id}|{p.name}>" for p in named)
    tags = " ".join(f"#{v}" for v in rng.sample(DEFAULT_VALUES, rng.choice((1, 1, 2))))
    return f"{who} for {rng.choice(REASONS)} {tags}"


def slash_bodies(
    count: int,
    first: int,
    staff: list[Person],
    rng: random.Random,
    response_url: Callable[[Person], str],
) -> list[bytes]:
    """Form-encoded /kudos commands as Slack sends them; giver n is staff[n % len(staff)], so
    nobody gives more than ceil(total / people) kudos (the daily allowance is 5)."""
    bodies = []
    for n in range(first, first + count):
        giver = staff[n % len(staff)]
        fields = {
            "token": "sandbox-verification-token",
            "team_id": TEAM,
            "team_domain": "sandbox",
            "channel_id": CHANNEL,
            "channel_name": "kudos",
            "user_id": giver.user_id,
            "user_name": giver.name,
            "command": COMMAND,
            "text": kudos_text(rng, giver, staff),
            "api_app_id": "A0BRAVO",
            "is_enterprise_install": "false",
            "response_url": response_url(giver),
            "trigger_id": f"{n + 1}.1337.{rng.getrandbits(64):016x}",
        }
        bodies.append(urlencode(fields).encode())
    return bodies


# ---- load ------------------------------------------------------------------------------------


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)  # seconds, successful or not
    statuses: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s != "200")


def load(port: int, bodies: list[bytes], clients: int, rate: float = 0.0) -> Phase:
    """Send every body once from ``clients`` threads, each on its own keep-alive connection.
    With ``rate`` > 0 the sends are paced to that many per second in total (open loop)."""
    phase = Phase()
    lock = threading.Lock()
    cursor = iter(range(len(bodies)))
    start_gate = threading.Barrier(clients + 1)
    interval = clients / rate if rate > 0 else 0.0

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        codes: Counter[str] = Counter()
        start_gate.wait()
        due = time.perf_counter() + (interval * k / clients)
        while True:
            with lock:
                n = next(cursor, None)
            if n is None:
                break
            if interval:
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                due += interval
            body = bodies[n]
            ts = int(time.time())
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Signature": sign(SECRET, ts, body),
                "X-Slack-Request-Timestamp": str(ts),
                "User-Agent": USER_AGENT,
            }
            began = time.perf_counter()
            try:
                conn.request("POST", SLACK_PATH, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                code = str(response.status)
            except (OSError, http.client.HTTPException) as err:
                code = type(err).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - began)
            codes[code] += 1
        conn.close()
        with lock:
            phase.latencies += mine
            phase.statuses.update(codes)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    phase.wall = time.perf_counter() - began
    return phase


def pct(sorted_values: list[float], q: int) -> float:
    """Nearest-rank percentile (q in whole percent) of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-q * len(sorted_values) // 100))  # ceil(q% of n)
    return sorted_values[rank - 1]


@dataclass
class Result:
    name: str
    phase: Phase
    cpu: dict[str, float] = field(default_factory=dict)

    def stats(self) -> dict[str, float]:
        xs = sorted(self.phase.latencies)
        return {
            "p50": pct(xs, 50) * 1000,
            "p90": pct(xs, 90) * 1000,
            "p99": pct(xs, 99) * 1000,
            "max": (xs[-1] if xs else float("nan")) * 1000,
            "rps": len(xs) / self.phase.wall if self.phase.wall else float("nan"),
            "late": sum(1 for x in xs if x > ACK_DEADLINE),
        }


# ---- Bravo's database ------------------------------------------------------------------------


class _Db:
    """Read-only queries on Bravo's database: a SQLite file, or a PostgreSQL URL (--split)."""

    def __init__(self, where: Path | str) -> None:
        self.where = where
        if isinstance(where, Path):
            self.conn: Any = sqlite3.connect(f"file:{where}?mode=ro", uri=True, timeout=15)
        else:
            self.engine = sqlalchemy.create_engine(where)
            self.conn = self.engine.connect()

    def execute(self, sql: str) -> Any:
        if isinstance(self.where, Path):
            return self.conn.execute(sql)
        return self.conn.execute(sqlalchemy.text(sql))

    def close(self) -> None:
        self.conn.close()
        if not isinstance(self.where, Path):
            self.engine.dispose()


def db_counts(path: Path | str) -> dict[str, Any]:
    conn = _Db(path)
    try:
        batches, rows = conn.execute(
            "SELECT count(DISTINCT batch_id), count(*) FROM kudos"
        ).fetchone()
        outbox = dict(
            conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        )
        methods = dict(
            conn.execute(
                "SELECT method, count(*) FROM outbox WHERE status = 'sent' GROUP BY method"
            ).fetchall()
        )
        paced = conn.execute(
            "SELECT count(*) FROM outbox WHERE status = 'pending' AND method LIKE 'chat.%'"
        ).fetchone()[0]
        errors = conn.execute(
            "SELECT last_error, count(*) FROM outbox WHERE last_error IS NOT NULL "
            "GROUP BY last_error ORDER BY 2 DESC LIMIT 5"
        ).fetchall()
        work = None
        if not isinstance(path, Path):  # --split: what the web process recorded for workers
            work = conn.execute(
                "SELECT count(*), count(done_at), count(*) FILTER (WHERE failed) FROM work_item"
            ).fetchone()
    finally:
        conn.close()
    return {
        "work": work,
        "batches": batches,
        "rows": rows,
        "outbox": outbox,
        "paced": paced,
        "sent_by": methods,
        "err": errors,
    }


def wait_quiet(path: Path | str, batches: int, proc: Proc, timeout: float = QUIET_TIMEOUT) -> float:
    """Wait until Bravo has recorded ``batches`` kudos commands and its outbox holds nothing
    pending but what waits for its pacing slot (the #kudos channel takes a post a second, so
    thousands of posts take an hour), or nothing has changed for 10 s, or ``timeout``. Returns
    the seconds waited."""
    began = time.monotonic()
    last, changed = None, began
    while True:
        proc.check_alive()
        counts = db_counts(path)
        state = (counts["batches"], tuple(sorted(counts["outbox"].items())))
        now = time.monotonic()
        if state != last:
            last, changed = state, now
        pending = counts["outbox"].get("pending", 0) - counts.get("paced", 0)
        if counts["batches"] >= batches and pending <= 0:
            return now - began
        if now - changed > 10 or now - began > timeout:
            return now - began
        time.sleep(0.25)


# ---- the two runs ----------------------------------------------------------------------------


@dataclass
class Options:
    requests: int
    clients: int
    warmup: int
    users: int
    workers: int
    threads: int
    rate: float
    seed: int
    split: int = 0  # > 0: the web process with --queue and this many `bravo worker`s (PostgreSQL)
    worker_nice: int = 0  # --split: the workers' `nice` increment (0: same priority as the web)
    elsewhere: bool = False  # --split: workers, their database backends and the fake at nice 19


@dataclass
class Fake:
    proc: Proc
    port: int
    control: Control

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"


def start_fake(tmp: Path, stack: ExitStack) -> Fake:
    port = free_port()
    argv = [sys.executable, "-m", "bot.sandbox.server", "--port", str(port)]
    proc = stack.enter_context(process("fake Slack", argv, base_env(tmp), tmp / "fake.log"))
    wait_http(proc, port, "/_sandbox/state")
    control = Control(port)
    stack.callback(control.close)
    return Fake(proc, port, control)


def run_bravo(opts: Options, tmp: Path, fake: Fake) -> tuple[Result, list[str]]:
    rng = random.Random(opts.seed)
    staff = people(opts.users)
    env = base_env(tmp)
    control = fake.control
    t0 = time.perf_counter()
    seed_fake(control, staff, rng)

    def minted(giver: Person) -> str:
        data = {"user_id": giver.user_id, "channel_id": CHANNEL}
        return str(control.call("POST", "response_urls", data)["url"])

    total = opts.warmup + opts.requests
    bodies = slash_bodies(total, 0, staff, rng, minted)
    print(
        f"  fake Slack: {opts.users} people, #kudos, {total} response_urls "
        f"({time.perf_counter() - t0:.1f}s)",
        flush=True,
    )

    port = free_port()
    with ExitStack() as stack:
        where = _database(opts, tmp, stack)
        bravo_env = {
            **env,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": where if isinstance(where, str) else f"sqlite:///{where}",
            "LOG_LEVEL": "WARNING",
        }
        argv = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1"]
        argv += ["--port", str(port), "--workers", str(opts.workers)]
        argv += ["--threads", str(opts.threads)] + (["--queue"] if opts.split else [])
        bravo = stack.enter_context(process("Bravo", argv, bravo_env, tmp / "bravo.log"))
        procs = [bravo]
        wait_http(bravo, port, "/healthz")
        for n in range(opts.split):  # after the web process: it migrated the database
            nice = ["nice", "-n", str(opts.worker_nice)] if opts.worker_nice else []
            worker = [*nice, sys.executable, "-m", "bot", "worker"]
            log = tmp / f"worker{n}.log"
            procs.append(stack.enter_context(process(f"worker {n}", worker, bravo_env, log)))
        if opts.elsewhere:
            stack.enter_context(renicing(where, fake.proc.popen.pid))
        warm = load(port, bodies[: opts.warmup], opts.clients, opts.rate)
        waited = wait_quiet(where, opts.warmup - warm.errors, bravo)
        print(
            f"  Bravo warm-up: {opts.warmup} requests, {warm.errors} errors; "
            f"post-ack work and outbox settled in {waited:.1f}s",
            flush=True,
        )
        cpu0 = {name: cpu_seconds(pr.popen.pid) for name, pr in _named(procs, fake)}
        cpu0["client"] = time.process_time()
        phase = load(port, bodies[opts.warmup :], opts.clients, opts.rate)
        cpu = {name: cpu_seconds(pr.popen.pid) - cpu0[name] for name, pr in _named(procs, fake)}
        cpu["client"] = time.process_time() - cpu0["client"]
        waited = wait_quiet(where, total - warm.errors - phase.errors, bravo)
        counts = db_counts(where)
        calls = control.call("GET", "calls")["calls"]
        log_lines = (tmp / "bravo.log").read_text(errors="replace").splitlines()
        for n in range(opts.split):
            log_lines += (tmp / f"worker{n}.log").read_text(errors="replace").splitlines()
    report = work_report(counts, calls, log_lines, total, waited, phase.wall)
    return Result("Bravo", phase, cpu), report


ELSEWHERE_NICE = 19


@contextmanager
def renicing(url: Path | str, fake_pid: int) -> Iterator[None]:
    """--elsewhere: what would run on other machines gets the CPU last. The fake Slack (Slack's
    servers) and the PostgreSQL backends of `bravo worker`'s connections (found by their
    application_name, again every 0.2 s as pools open new ones) go to nice 19; the workers
    themselves were started under it. The web process and its own backends keep their
    priority, so what is measured is still the web process's ack, commit included."""
    stop = threading.Event()
    engine = sqlalchemy.create_engine(str(url), poolclass=sqlalchemy.pool.NullPool)
    done: set[int] = set()

    def renice(pid: int) -> None:
        with suppress(OSError):  # gone already, or not ours to renice
            os.setpriority(os.PRIO_PROCESS, pid, ELSEWHERE_NICE)
            done.add(pid)

    def loop() -> None:
        renice(fake_pid)
        find = sqlalchemy.text(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'bravo worker'"
        )
        while not stop.is_set():
            with suppress(sqlalchemy.exc.SQLAlchemyError), engine.connect() as conn:
                for pid in conn.execute(find).scalars():
                    if pid not in done:
                        renice(int(pid))
            stop.wait(0.2)

    thread = threading.Thread(target=loop, name="renice", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        engine.dispose()
        print(f"  --elsewhere: {len(done)} processes at nice {ELSEWHERE_NICE}", flush=True)


def _named(procs: list[Proc], fake: Fake) -> list[tuple[str, Proc]]:
    """The processes whose CPU is counted: the web process ("server"), each worker, the fake."""
    named = [("server", procs[0])] + [(f"worker {i}", p) for i, p in enumerate(procs[1:])]
    return [*named, ("fake", fake.proc)]


def _database(opts: Options, tmp: Path, stack: ExitStack) -> Path | str:
    """A fresh SQLite file, or with --split a throwaway PostgreSQL database (dropped after)."""
    if not opts.split:
        return tmp / "bravo.db"
    from bench.leaderboard import PG_ADMIN_URL, pg_admin

    name = f"bravo_ack_{os.getpid()}"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    pg_admin(f'CREATE DATABASE "{name}"')
    stack.callback(lambda: pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def work_report(
    counts: dict[str, Any],
    calls: list[dict[str, Any]],
    log_lines: list[str],
    total: int,
    waited: float,
    wall: float,
) -> list[str]:
    """What Bravo did after acking, from its SQLite file, the fake's records and its log."""
    outbox = counts["outbox"]
    sent_by = ", ".join(f"{n} {m}" for m, n in sorted(counts["sent_by"].items()))
    by_method: Counter[str] = Counter(c["method"] for c in calls)
    failed: Counter[str] = Counter()
    for c in calls:
        ok = c["status"] == 200 and c["response"].get("ok")
        if not ok:
            failed[f"{c['method']} {c['status']} {c['response'].get('error', '?')}"] += 1
    lines = [
        f"Bravo's work after the ack (warm-up + measured, {total} commands; settled "
        f"{waited:.1f}s after the last ack, the load itself took {wall:.1f}s):",
        f"  kudos stored: {counts['rows']} rows in {counts['batches']} commands "
        f"(expected {total} commands)",
        f"  outbox: {outbox.get('sent', 0)} delivered ({sent_by or 'none'}), "
        f"{outbox.get('pending', 0)} pending, {outbox.get('failed', 0)} failed, "
        f"{sum(outbox.values())} rows in all",
        "  fake Slack saw: "
        + ", ".join(f"{n} {m}" for m, n in sorted(by_method.items(), key=lambda kv: -kv[1])),
        f"  response_url posts: {by_method.get('response_url', 0)} (one confirmation per command)",
    ]
    if counts.get("work") is not None:
        recorded, done, gave_up = counts["work"]
        lines.append(
            f"  work items recorded by the web process: {recorded} (expected {total}), "
            f"{done} done by the workers ({gave_up} given up), {recorded - done} still to do"
        )
    if failed:
        shown = ", ".join(f"{n}x {k}" for k, n in failed.most_common(5))
        lines.append(f"  error answers from the fake: {sum(failed.values())} ({shown})")
    else:
        lines.append("  error answers from the fake: none")
    if counts["err"]:
        lines.append("  outbox errors: " + "; ".join(f"{n}x {e}" for e, n in counts["err"]))
    problems = [ln for ln in log_lines if " WARNING " in ln or " ERROR " in ln]
    lines.append(f"  warnings/errors in Bravo's log: {len(problems)}")
    lines += [f"    {ln[:160]}" for ln in problems[:5]]
    return lines


def run_baseline(opts: Options, tmp: Path, fake: Fake) -> Result:
    rng = random.Random(opts.seed)
    staff = people(opts.users)
    total = opts.warmup + opts.requests
    # Same shape as Bravo's bodies; the bare app never posts to the response_url.
    hooks = f"http://127.0.0.1:{free_port()}/_response/"
    bodies = slash_bodies(total, 0, staff, rng, lambda _: hooks + f"{rng.getrandbits(64):016x}")
    port = free_port()
    env = {**base_env(tmp), "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url}
    argv = [sys.executable, "-m", "bench.ack_latency", "--serve-baseline", "--port", str(port)]
    argv += ["--workers", str(opts.workers), "--threads", str(opts.threads)]
    with process("bare Bolt app", argv, env, tmp / "baseline.log") as bare:
        wait_http(bare, port, "/healthz")
        warm = load(port, bodies[: opts.warmup], opts.clients, opts.rate)
        print(f"  bare Bolt warm-up: {opts.warmup} requests, {warm.errors} errors", flush=True)
        cpu0 = {"server": cpu_seconds(bare.popen.pid), "client": time.process_time()}
        phase = load(port, bodies[opts.warmup :], opts.clients, opts.rate)
        cpu = {
            "server": cpu_seconds(bare.popen.pid) - cpu0["server"],
            "client": time.process_time() - cpu0["client"],
        }
    return Result("bare Bolt", phase, cpu)


# ---- report ----------------------------------------------------------------------------------


def table(results: list[Result]) -> list[str]:
    head = (
        f"{'':<18}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'req/s':>8}{'>3 s':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        s = r.stats()
        lines.append(
            f"{r.name:<18}{len(r.phase.latencies):>9}{r.phase.errors:>8}{s['p50']:>9.1f}"
            f"{s['p90']:>9.1f}{s['p99']:>9.1f}{s['max']:>9.1f}{s['rps']:>8.0f}{s['late']:>6}"
        )
    return lines


def summary(bravo: Result, bare: Result, opts: Options) -> list[str]:
    b, a = bravo.stats(), bare.stats()
    r50, r99 = b["p50"] / a["p50"], b["p99"] / a["p99"]
    ok = r50 <= TARGET_RATIO and r99 <= TARGET_RATIO
    lines = [
        f"{'Bravo / bare Bolt':<18}{'':>9}{'':>8}{'x' + format(r50, '.2f'):>9}"
        f"{'x' + format(b['p90'] / a['p90'], '.2f'):>9}{'x' + format(r99, '.2f'):>9}",
        "",
        f"target: Bravo's p50 and p99 at most x{TARGET_RATIO} the bare Bolt app's: "
        + ("PASS" if ok else f"FAIL (p50 x{r50:.2f}, p99 x{r99:.2f})"),
        f"Slack's {ACK_DEADLINE:.0f} s ack deadline: {b['late']} of Bravo's and {a['late']} of "
        "the bare app's requests took longer" + ("" if b["late"] + a["late"] else " (none)"),
    ]
    for r in (bravo, bare):
        errors = {k: n for k, n in r.phase.statuses.items() if k != "200"}
        if errors:
            lines.append(f"{r.name} non-200 answers: {errors}")
    if not opts.rate:
        lines.append(
            "closed loop: a client sends again as soon as it is answered, so mean latency = "
            f"clients / throughput (Bravo {opts.clients}/{b['rps']:.0f} = "
            f"{opts.clients / b['rps'] * 1000:.0f} ms, bare {opts.clients}/{a['rps']:.0f} = "
            f"{opts.clients / a['rps'] * 1000:.0f} ms): the ratio compares saturated servers"
        )
    for r in (bravo, bare):
        n = len(r.phase.latencies) or 1
        parts = [
            f"{who} {sec:.1f}s ({sec / n * 1000:.2f} ms/request)" for who, sec in r.cpu.items()
        ]
        lines.append(f"CPU during the {r.name} run: " + ", ".join(parts))
    return lines


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes), as ``uptime`` prints it: others' work on a
    shared machine moves the figures."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def interrupted(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like Ctrl-C, so the servers are stopped either way."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--requests", type=int, default=3000, help="measured requests per server")
    p.add_argument("--clients", type=int, default=32, help="concurrent clients")
    p.add_argument("--warmup", type=int, default=200, help="requests sent first, not counted")
    p.add_argument("--users", type=int, default=2000, help="people seeded in the fake Slack")
    p.add_argument("--workers", type=int, default=1, help="gunicorn workers (both servers)")
    p.add_argument("--threads", type=int, default=32, help="gunicorn threads (both servers)")
    p.add_argument("--rate", type=float, default=0.0, help="pace to N req/s in total (0: max)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--split",
        type=int,
        default=0,
        help="N > 0: Bravo as `run --http --queue` plus N `bravo worker` on PostgreSQL",
    )
    p.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="with --split: start the workers under `nice -n N` (acks first on a busy host)",
    )
    p.add_argument(
        "--elsewhere",
        action="store_true",
        help="with --split: the workers, their PostgreSQL backends and the fake Slack at nice 19,"
        " as if they ran on other machines (the web process and its backends keep their priority)",
    )
    p.add_argument("--serve-baseline", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, default=3000, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve_baseline:
        serve_baseline(args.port, args.workers, args.threads)
        return 0
    if (args.warmup + args.requests) > 5 * args.users:
        p.error("more commands than --users people can give in a day (5 each)")
    opts = Options(
        requests=args.requests,
        clients=args.clients,
        warmup=args.warmup,
        users=args.users,
        workers=args.workers,
        threads=args.threads,
        rate=args.rate,
        seed=args.seed,
        split=args.split,
        worker_nice=ELSEWHERE_NICE if args.elsewhere and not args.worker_nice else args.worker_nice,
        elsewhere=args.elsewhere,
    )
    if opts.elsewhere and not opts.split:
        p.error("--elsewhere needs --split N")
    signal.signal(signal.SIGTERM, interrupted)
    pace = f", paced to {opts.rate:.0f} req/s" if opts.rate else ""
    print(
        f"/kudos ack latency: {opts.requests} requests (+{opts.warmup} warm-up) from "
        f"{opts.clients} clients{pace}; gunicorn gthread {opts.workers} worker(s) x "
        f"{opts.threads} threads; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
        + (
            f"; Bravo split: web --queue + {opts.split} worker(s), PostgreSQL"
            + (f", workers at nice {opts.worker_nice}" if opts.worker_nice else "")
            + (", their database backends and the fake Slack too" if opts.elsewhere else "")
            if opts.split
            else ""
        ),
        flush=True,
    )
    print(f"machine load before (1/5/15 min, as uptime): {load_average()}", flush=True)
    began = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="bravo-ack-") as tmpdir, ExitStack() as stack:
            tmp = Path(tmpdir)
            fake = start_fake(tmp, stack)
            bravo, work = run_bravo(opts, tmp, fake)
            bare = run_baseline(opts, tmp, fake)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print()
    print("\n".join(table([bravo, bare]) + summary(bravo, bare, opts)))
    print()
    print("\n".join(work))
    print(f"\ntotal time {time.perf_counter() - began:.0f}s; machine load after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
