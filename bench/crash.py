"""kill -9 during delivery: are messages sent twice, or lost?

    .venv/bin/python -m bench.crash [--kills 12] [--batch 20] [--backends sqlite,postgres]
                                    [--rate 600] [--latency 0.05] [--throughput 600] [--seed 1]

For each backend it builds a throwaway database (as ``bench.checkins`` does) and runs the
recording fake Slack (``bot.sandbox.server.FakeSlack``) in this process, with a #kudos channel,
a #team channel holding a thread, 40 people, and ``--latency`` seconds before every answer.
Bravo runs as it does in production, ``python -m bot run --http`` (gunicorn, the outbox thread,
the scheduler), in its own process group, pointed at the fake and the database.

*Kills.* ``--kills`` times: queue a batch of ``--batch`` messages (channel posts, DMs, thread
replies, now and then a chart upload: each with a unique text or file title), start Bravo, wait
until the fake has taken a random number of them (0 to batch-1), wait a random 0-300 ms more,
and SIGKILL the whole process group; the next batch's Bravo starts at once. Then one more Bravo
runs until every outbox row is settled. (Rows that a dead process had claimed are freed at once
by its successor on the same host, and looked for in Slack before they are sent again,
``bot.outbox.recovery``; code without that waits for the claims to lapse, 60 s.) The fake's
records are the evidence: a *double* is a message posted (or a file shared) more than once, a
*loss* one never posted.

*Throughput.* Before the kills, ``--throughput`` DMs to distinct people (no channel spacing) at
a pace far above what they need (60,000 a minute): messages a second from the fake's first
post to its last, with the same latency.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.checkins import fresh_database, outbox_counts
from bench.leaderboard import pg_problem
from bot.outbox.envelope import OutMessage, SlackMethod
from bot.outbox.outbox import Outbox
from bot.outbox.uploads import upload_payload
from bot.sandbox.server import FakeSlack
from storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
TEAM = "T0SANDBOX"
TOKEN = "xoxb-sandbox"
KUDOS, TEAM_CHANNEL = "C0KUDOS", "C0TEAM"
PEOPLE = [f"U{n:08d}" for n in range(1, 41)]
CROWD = [f"U{n:08d}" for n in range(1000, 3000)]  # the throughput run's DMs, one each
CHART = b"\x89PNG\r\n\x1a\n" + bytes(200)
FAST = 60_000  # posts a minute for the throughput run: pacing never holds it back
SETTLE_TIMEOUT = 120.0


@dataclass
class Tally:
    kills: int = 0
    kills_mid_batch: int = 0  # the fake had taken some of the batch, not all
    queued: list[str] = field(default_factory=list)
    doubles: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    settle_seconds: float = 0.0
    throughput: float = 0.0
    cpu: float = 0.0  # Bravo's CPU ms a message in the throughput run


def make_fake(latency: float) -> FakeSlack:
    fake = FakeSlack(team_id=TEAM, token=TOKEN)
    for uid in PEOPLE + CROWD:
        fake.add_user(uid, f"person{uid[-4:]}")
    everyone = ["UBRAVO", *PEOPLE]
    fake.add_channel(KUDOS, "kudos", members=everyone)
    fake.add_channel(TEAM_CHANNEL, "team", members=everyone)
    fake.set_latency(latency)
    return fake.start()


def batch(start: int, size: int, thread_ts: str, rng: random.Random) -> list[OutMessage]:
    """``size`` messages numbered from ``start``: posts, DMs, thread replies, now and then a
    chart; each says its name (``crash-N``) in its text or its file title."""
    out = []
    for n in range(start, start + size):
        name, roll = f"crash-{n}", rng.random()
        if roll < 0.04:
            payload = upload_payload(
                channel=TEAM_CHANNEL, filename=f"{name}.png", title=name, alt_text="a chart",
                content=CHART,
            )  # fmt: skip
            out.append(OutMessage("bench", SlackMethod.UPLOAD, payload))
            continue
        if roll < 0.4:
            payload = {"channel": KUDOS, "text": name}
        elif roll < 0.8:
            payload = {"channel": rng.choice(PEOPLE), "text": name}
        else:
            payload = {"channel": TEAM_CHANNEL, "thread_ts": thread_ts, "text": name}
        out.append(OutMessage("bench", SlackMethod.POST, payload))
    return out


def names_of(messages: Sequence[OutMessage]) -> list[str]:
    return [str(m.payload.get("title") or m.payload.get("text")) for m in messages]


def queue(db: Database, messages: Sequence[OutMessage]) -> None:
    with db.write() as session:
        Outbox().enqueue(session, TEAM, messages, datetime.now(UTC))


def delivered(fake: FakeSlack) -> Counter[str]:
    """How many times each name reached Slack: successful posts, and files shared."""
    seen: Counter[str] = Counter()
    for call in fake.calls("chat.postMessage", ok=True):
        seen[str(call.args.get("text"))] += 1
    for call in fake.calls("files.completeUploadExternal", ok=True):
        for entry in call.args.get("files") or []:
            seen[str(entry.get("title"))] += 1
    return seen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def bravo(url: str, fake: FakeSlack, rate: int, tmp: Path, n: int) -> Iterator[Any]:
    """``python -m bot run --http`` in its own process group; SIGKILLed on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env |= {
        "PYTHONUNBUFFERED": "1",
        "BRAVO_ENV_FILE": str(tmp / "no.env"),
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": "bench-secret",
        "SLACK_API_URL": fake.base_url,
        "DATABASE_URL": url,
        "BRAVO_POSTS_PER_MINUTE": str(rate),
        "LOG_LEVEL": "WARNING",
    }
    argv = [sys.executable, "-m", "bot", "run", "--http", "--host", "127.0.0.1"]
    argv += ["--port", str(free_port()), "--threads", "4"]
    with (tmp / f"bravo-{n}.log").open("w") as log:
        popen = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    try:
        yield popen
    finally:
        kill(popen)


def kill(popen: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(popen.pid, signal.SIGKILL)
    popen.wait()
    time.sleep(0.05)  # the gunicorn worker, reparented, is reaped too


def wait_for(fake: FakeSlack, names: Sequence[str], count: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    wanted = set(names)
    while time.monotonic() < deadline:
        seen = delivered(fake)
        if sum(1 for name in wanted if seen[name]) >= count:
            return True
        time.sleep(0.005)
    return False


def pending(db: Database) -> int:
    return outbox_counts(db).get("pending", 0)


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of a process group, from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields from the state on: state ppid pgrp ...
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def throughput(db: Database, url: str, fake: FakeSlack, n: int, tmp: Path) -> tuple[float, float]:
    """Messages a second for ``n`` DMs (to distinct people up to 2,000), first post to last,
    and Bravo's CPU milliseconds a message over the same span (steadier on a busy machine)."""
    messages = [
        OutMessage("bench", SlackMethod.POST, {"channel": CROWD[k % len(CROWD)], "text": f"t{k}"})
        for k in range(n)
    ]
    before = len(fake.calls("chat.postMessage", ok=True))
    queue(db, messages)
    with bravo(url, fake, FAST, tmp, 0) as popen:
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while len(fake.calls("chat.postMessage", ok=True)) == before:
            time.sleep(0.01)
        cpu = group_cpu(popen.pid)
        while pending(db) and time.monotonic() < deadline:
            time.sleep(0.1)
        cpu = group_cpu(popen.pid) - cpu
    posts = fake.calls("chat.postMessage", ok=True)[before:]
    if len(posts) < 2:
        return 0.0, 0.0
    return (len(posts) - 1) / (posts[-1].at - posts[0].at), cpu * 1000 / len(posts)


def run_backend(backend: str, opts: argparse.Namespace, tmp: Path) -> Tally:
    say = lambda msg: print(f"[{backend}] {msg}", flush=True)  # noqa: E731
    rng = random.Random(opts.seed)
    tally = Tally()
    fake = make_fake(opts.latency)
    try:
        with fresh_database(backend, tmp) as (db, url):
            if opts.throughput:
                tally.throughput, tally.cpu = throughput(db, url, fake, opts.throughput, tmp)
                say(
                    f"throughput: {tally.throughput:.1f} messages/s, Bravo's CPU "
                    f"{tally.cpu:.2f} ms a message ({opts.throughput} DMs)"
                )
            parent = fake.add_message(TEAM_CHANNEL, PEOPLE[0], "a thread")["ts"]
            for k in range(opts.kills):
                messages = batch(k * opts.batch, opts.batch, parent, rng)
                names = names_of(messages)
                tally.queued += names
                queue(db, messages)
                target = rng.randrange(opts.batch)
                with bravo(url, fake, opts.rate, tmp, k + 1):
                    reached = wait_for(fake, names, target, timeout=60)
                    time.sleep(rng.uniform(0, 0.3))
                taken = sum(1 for name in names if delivered(fake)[name])
                tally.kills += 1
                tally.kills_mid_batch += 0 < taken < len(names)
                say(f"kill {k + 1}: after {taken} of {len(names)} ({'ok' if reached else 'late'})")
            began, began_wall = time.monotonic(), time.time()
            with bravo(url, fake, opts.rate, tmp, opts.kills + 1):
                deadline = began + SETTLE_TIMEOUT
                while pending(db) and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(0.5)  # answers in flight are written
            tally.settle_seconds = time.monotonic() - began
            calls = [c.at - began_wall for c in fake.calls() if c.at >= began_wall]
            if calls:
                say(f"last run: first call to Slack after {calls[0]:.1f} s, last {calls[-1]:.1f} s")
            seen = delivered(fake)
            tally.doubles = {name: seen[name] for name in tally.queued if seen[name] > 1}
            tally.lost = [name for name in tally.queued if not seen[name]]
            tally.outbox = outbox_counts(db)
    finally:
        fake.stop()
    return tally


def report(backend: str, tally: Tally, opts: argparse.Namespace) -> list[str]:
    n = len(tally.queued)
    return [
        f"=== {backend}: {tally.kills} kill -9 ({tally.kills_mid_batch} mid-batch), "
        f"{n} messages, {opts.rate} posts/min, latency {opts.latency * 1000:.0f} ms ===",
        f"  doubles: {len(tally.doubles)} {sorted(tally.doubles.items())[:10]}",
        f"  lost:    {len(tally.lost)} {tally.lost[:10]}",
        f"  outbox:  {tally.outbox}; last run settled in {tally.settle_seconds:.1f} s",
        f"  throughput: {tally.throughput:.1f} messages/s, {tally.cpu:.2f} ms CPU a message"
        if opts.throughput
        else "",
        f"  verdict: {'PASS' if not tally.doubles and not tally.lost else 'FAIL'}",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--kills", type=int, default=12)
    p.add_argument("--batch", type=int, default=20)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--rate", type=int, default=600, help="posts a minute (BRAVO_POSTS_PER_MINUTE)")
    p.add_argument("--latency", type=float, default=0.05, help="seconds the fake takes to answer")
    p.add_argument(
        "--throughput", type=int, default=600, help="DMs for the throughput run; 0: none"
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--logs", help="copy Bravo's logs here (one per run)")
    opts = p.parse_args(argv)
    lines: list[str] = []
    failed = False
    for backend in opts.backends.split(","):
        if backend == "postgres" and (problem := pg_problem()):
            lines.append(f"=== postgres: skipped: {problem} ===")
            continue
        with tempfile.TemporaryDirectory(prefix="bravo-crash-") as tmp:
            tally = run_backend(backend, opts, Path(tmp))
            if opts.logs:
                shutil.copytree(tmp, Path(opts.logs) / backend, dirs_exist_ok=True)
        lines += [line for line in report(backend, tally, opts) if line]
        failed |= bool(tally.doubles or tally.lost)
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
