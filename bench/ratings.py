"""10,000 customer ratings a minute into one Bravo through its signed webhook.

    .venv/bin/python -m bench.ratings [--quick] [--per-minute 10000] [--seconds 60] [--warmup 2]
                                      [--agents 200] [--clients 16] [--workers 1] [--split N]
                                      [--elsewhere] [--seed 1]

``python -m bot run --http`` (gunicorn gthread, one worker, SQLite file; with ``--split N`` ``run
--http --queue`` on a throwaway PostgreSQL database plus N ``python -m bot worker`` processes, where
the web process only answers and records and the workers settle) runs as a subprocess against the
recording fake Slack (``python -m bot.sandbox.server``, another subprocess) seeded with ``--agents``
people (each with an email). The workspace's hook is written into Bravo's database the way ``/bravo
ratings`` writes it (its secret sealed with the run's ``BRAVO_ENCRYPTION_KEY``). Then ``--clients``
threads, each on one keep-alive connection, post ratings at ``--per-minute`` (open loop: each
request has its time to be sent, and its latency counts from then, so a slow answer delays nothing
after it), each signed right before it goes:

- half name the agent by Slack id and half by email; 5% name nobody Bravo can find (an unknown
  id or address: they wait for an admin);
- 10% are a duplicate: the same ticket and source sent again later (a new body and signature,
  so not a replay): Bravo must answer 200 "duplicate" and store nothing.

It reports the answers' latency (p50/p99/max, the client's view on 127.0.0.1), what was
stored against what should be (every unique ticket once: matched or unmatched, none left
pending), the DMs the agents were sent or have queued (at most ``OWN_DMS_PER_DAY`` each; the
rest wait for the daily digest), the CPU of each process, and ``uptime``'s load. ``--quick``:
1,000 ratings over 6 seconds. The first ``--warmup`` seconds (at the same rate, before the
measured ones) are stored and checked like the rest but their latency is not counted: a process's
first requests open its connections and fill its caches. ``--elsewhere`` (with ``--split``): the
workers, their PostgreSQL backends and the fake Slack run at nice 19, as if on other machines
(``bench.ack_latency``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from bench.ack_latency import (
    ELSEWHERE_NICE,
    TEAM,
    TOKEN,
    Fake,
    base_env,
    cpu_seconds,
    free_port,
    pct,
    process,
    renicing,
    start_fake,
    wait_http,
)
from bot.install.crypto import Sealer, new_key
from bot.ratings import ids
from bot.ratings.parse import sign
from storage.db import Database
from storage.models import RatingHook

TARGET_P99_MS = 50.0
HOOK_ID = "bench-hook"
SECRET = "bench-hook-secret"


@dataclass(frozen=True)
class Sent:
    at: float  # seconds after the start
    body: bytes
    ticket: str
    duplicate: bool
    known: bool
    warm: bool = False  # sent during the warm-up: stored and checked, its latency not counted


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    late: int = 0  # sent more than 50 ms after its time (the client fell behind)
    wall: float = 0.0


def plan(opts: argparse.Namespace, rng: random.Random) -> list[Sent]:
    """``--warmup`` seconds of ratings at the same rate, then ``--seconds`` measured."""
    seconds = opts.warmup + opts.seconds
    total = opts.per_minute * seconds // 60
    interval = seconds / total
    first: list[tuple[str, dict[str, object]]] = []
    out: list[Sent] = []
    for n in range(total):
        if first and rng.random() < 0.10:
            ticket, body = rng.choice(first)
            body = {**body, "comment": f"sent again #{n}"}
            at = n * interval
            body_bytes = json.dumps(body).encode()
            out.append(Sent(at, body_bytes, ticket, True, True, at < opts.warmup))
            continue
        known = rng.random() >= 0.05
        agent = rng.randrange(opts.agents) if known else 10_000_000 + n
        who: dict[str, object] = (
            {"agent_slack_id": f"U0B{agent:06d}"}
            if rng.random() < 0.5
            else {"agent_email": f"member{agent}@example.com"}
        )
        ticket = f"https://help.example.com/tickets/{n}"
        body = {
            **who,
            "rating": rng.choice([5, 5, 4, 4, 3, 2, 1, "good", "bad"]),
            "comment": rng.choice(["Thanks!", "Quick and kind.", "Took too long.", ""]),
            "source": "zendesk",
            "ticket_url": ticket,
        }
        first.append((ticket, body))
        at = n * interval
        out.append(Sent(at, json.dumps(body).encode(), ticket, False, known, at < opts.warmup))
    return out


def send_all(port: int, sends: list[Sent], clients: int) -> Load:
    result = Load()
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)
    start = [0.0]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        gate.wait()
        for item in sends[k::clients]:
            wait = start[0] + item.at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Bravo-Timestamp": stamp,
                "X-Bravo-Signature": sign(SECRET, stamp, item.body),
            }
            began = start[0] + item.at  # open loop: from the time it was due
            late = time.perf_counter() - began > 0.05
            try:
                conn.request("POST", ids.HOOK_PATH + HOOK_ID, body=item.body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            took = time.perf_counter() - began
            with lock:
                if not item.warm:
                    result.latencies.append(took)
                result.statuses[status] += 1
                result.late += late
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    start[0] = time.perf_counter() + 0.2
    gate.wait()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - start[0]
    return result


def write_hook(url: str, key: str) -> None:
    """The hook as ``/bravo ratings`` makes it (bot.ratings.admin.hook_view)."""
    db = Database.from_url(url)
    try:
        with db.write() as session:
            session.add(
                RatingHook(
                    team_id=TEAM,
                    hook_id=HOOK_ID,
                    secret_sealed=Sealer((key,)).seal(SECRET),
                    created_by="UADMIN",
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        db.dispose()


def db_state(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        states = {
            str(state): int(n)
            for state, n in conn.execute(
                text("SELECT state, COUNT(*) FROM unmatched_rating GROUP BY state")
            )
        }
        feedback = tuple(
            conn.execute(
                text("SELECT COUNT(*), COUNT(DISTINCT source_ref) FROM customer_feedback")
            ).one()
        )
        rows = conn.execute(
            text("SELECT payload, status FROM outbox WHERE kind = :kind"),
            {"kind": str(ids.RatingKind.RATING_DM)},
        ).all()
        dms = [(json.loads(payload).get("channel"), status) for payload, status in rows]
        untold = conn.execute(
            text("SELECT COUNT(*) FROM customer_feedback WHERE told_at IS NULL")
        ).scalar_one()
    return {"states": states, "feedback": feedback, "dms": dms, "untold": untold}


def wait_settled(engine: Engine, expected: int, proc: object, timeout: float = 180.0) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        proc.check_alive()  # type: ignore[attr-defined]
        states = db_state(engine)["states"]
        assert isinstance(states, dict)
        if sum(states.values()) >= expected and not states.get("pending"):
            return time.monotonic() - began
        time.sleep(0.5)
    return time.monotonic() - began


def database(opts: argparse.Namespace, tmp: Path, stack: ExitStack) -> str:
    """A SQLite file, or with ``--split`` a throwaway PostgreSQL database (dropped after)."""
    if not opts.split:
        return f"sqlite:///{tmp / 'bravo.db'}"
    from bench.leaderboard import PG_ADMIN_URL, pg_admin

    name = f"bravo_ratings_{os.getpid()}"
    pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    pg_admin(f'CREATE DATABASE "{name}"')
    stack.callback(lambda: pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def run(opts: argparse.Namespace) -> int:
    rng = random.Random(opts.seed)
    sends = plan(opts, rng)
    unique = [s for s in sends if not s.duplicate]
    key = new_key()
    with tempfile.TemporaryDirectory(prefix="bench-ratings-") as name, ExitStack() as stack:
        tmp = Path(name)
        fake: Fake = start_fake(tmp, stack)
        for i in range(opts.agents):
            fake.control.call("POST", "users", {"user_id": f"U0B{i:06d}", "name": f"member{i}"})
        url = database(opts, tmp, stack)
        port = free_port()
        env = {
            **base_env(tmp),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": "bench-signing-secret",
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": url,
            "BRAVO_ENCRYPTION_KEY": key,
            "LOG_LEVEL": "ERROR",
        }
        argv = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1"]
        argv += ["--port", str(port), "--workers", str(opts.workers), "--threads", "32"]
        argv += ["--queue"] if opts.split else []
        bravo = stack.enter_context(process("Bravo", argv, env, tmp / "bravo.log"))
        wait_http(bravo, port, "/healthz")
        nice = ["nice", "-n", str(ELSEWHERE_NICE)] if opts.elsewhere else []
        worker = [*nice, sys.executable, "-m", "bot", "worker"]
        workers = [  # after the web process: it migrated the database
            stack.enter_context(process(f"worker {n}", worker, env, tmp / f"w{n}"))
            for n in range(opts.split)
        ]
        if opts.elsewhere:
            stack.enter_context(renicing(url, fake.proc.popen.pid))
        write_hook(url, key)
        engine = create_engine(url)
        stack.callback(engine.dispose)
        print(
            f"ratings: {len(sends)} over {opts.warmup}s of warm-up + {opts.seconds}s measured "
            f"({opts.per_minute}/min), "
            f"{len(sends) - len(unique)} duplicates, "
            f"{sum(not s.known for s in unique)} for nobody Bravo knows, {opts.agents} agents",
            flush=True,
        )
        procs = [("web", bravo), *((f"worker {n}", w) for n, w in enumerate(workers))]
        procs.append(("fake", fake.proc))
        cpu0 = {n: cpu_seconds(p.popen.pid) for n, p in procs}
        load = send_all(port, sends, opts.clients)
        settled = wait_settled(engine, len(unique), bravo)
        cpu = {n: cpu_seconds(p.popen.pid) - cpu0[n] for n, p in procs}
        time.sleep(2)  # the deliverer's last sends
        state = db_state(engine)
        calls = fake.control.call("GET", "calls")["calls"]
    return report(opts, sends, unique, load, settled, cpu, state, calls)


def report(
    opts: argparse.Namespace,
    sends: list[Sent],
    unique: list[Sent],
    load: Load,
    settled: float,
    cpu: dict[str, float],
    state: dict[str, object],
    calls: list[dict[str, object]],
) -> int:
    lat = sorted(load.latencies)
    p99 = pct(lat, 99) * 1000
    print(
        f"answers: {dict(sorted(load.statuses.items()))} in {load.wall:.1f}s "
        f"({len(sends) / load.wall:.0f}/s); {load.late} sent late by the client; latency of the "
        f"{len(lat)} after the {opts.warmup}s warm-up:"
    )
    print(
        f"latency ms: p50 {pct(lat, 50) * 1000:.1f}  p99 {p99:.1f}  max {lat[-1] * 1000:.1f}  "
        f"(target p99 < {TARGET_P99_MS:.0f}: {'met' if p99 < TARGET_P99_MS else 'NOT met'})"
    )
    states = state["states"]
    assert isinstance(states, dict)
    feedback, feedback_refs = state["feedback"]  # type: ignore[misc]
    known = sum(s.known for s in unique)
    stored_once = (
        sum(states.values()) == len(unique)
        and states.get("matched", 0) == known == feedback == feedback_refs
        and states.get("unmatched", 0) == len(unique) - known
        and load.statuses.get(200, 0) == len(sends) - len(unique)
        and load.statuses.get(202, 0) == len(unique)
    )
    print(
        f"stored: {dict(states)} (expected matched {known}, unmatched {len(unique) - known}); "
        f"customer_feedback {feedback}; all stored exactly once: {'yes' if stored_once else 'NO'}; "
        f"settled {settled:.1f}s after the last request"
    )
    dms = state["dms"]
    assert isinstance(dms, list)
    per_agent = Counter(channel for channel, _status in dms)
    sent = Counter(status for _c, status in dms)
    lookups = Counter(str(c["method"]) for c in calls if str(c["method"]).startswith("users."))
    print(
        f"agent DMs: {len(dms)} queued for {len(per_agent)} agents, at most "
        f"{max(per_agent.values(), default=0)} each (limit {ids.OWN_DMS_PER_DAY} a day), "
        f"by status {dict(sent)}; {state['untold']} ratings wait for the daily digest; "
        f"Slack lookups {dict(lookups)}"
    )
    print(f"CPU seconds during the load: {', '.join(f'{k} {v:.1f}' for k, v in cpu.items())}")
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    print(f"uptime: {uptime.stdout.strip()}")
    paced = max(per_agent.values(), default=0) <= ids.OWN_DMS_PER_DAY
    return 0 if stored_once and paced else 1


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench.ratings", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1,000 ratings over 6 seconds")
    p.add_argument("--per-minute", type=int, default=10_000)
    p.add_argument("--seconds", type=int, default=60, help="measured, after the warm-up")
    p.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of ratings first, at the same rate: stored and checked, latency not counted",
    )
    p.add_argument("--agents", type=int, default=200)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--workers", type=int, default=1, help="bravo run --http --workers")
    p.add_argument(
        "--split",
        type=int,
        default=0,
        help="N > 0: Bravo as `run --http --queue` plus N `bravo worker` on PostgreSQL",
    )
    p.add_argument(
        "--elsewhere",
        action="store_true",
        help="with --split: the workers, their PostgreSQL backends and the fake Slack at nice 19,"
        " as if they ran on other machines (the web process and its backends keep their priority)",
    )
    p.add_argument("--seed", type=int, default=1)
    opts = p.parse_args(argv)
    if opts.elsewhere and not opts.split:
        p.error("--elsewhere needs --split N")
    if opts.quick:
        opts.seconds = 6
    os.environ.setdefault("PYTHONHASHSEED", "0")
    return run(opts)


if __name__ == "__main__":
    sys.exit(main())
