"""1,000 installed workspaces of 20 people, 20,000 check-ins due across them within one minute.

    .venv/bin/python -m bench.workspaces [--workspaces 1000] [--people 20] [--window 60]
                                         [--rate 300] [--workers 2] [--lead 300]
                                         [--backends postgres] [--quick] [--ahead] [--seed 1]

The requirement (issue 13): "each workspace's pace holds, everything delivered within 1.2x of the
pacing floor, 0 duplicates, 0 lost, on PostgreSQL with two workers and the leader".

For each backend (PostgreSQL when one answers, as the other benches detect it; SQLite too when
asked) it builds a throwaway database and bulk-loads ``--workspaces`` workspaces of ``--people``
people (the ``slack_user`` cache, fresh, so no users.info calls) with one active weekly goal each,
due at a moment drawn evenly from the ``--window`` seconds that open ``--lead`` seconds (default:
the job's ``PREPARE_AHEAD``, 300; ``--quick``: 30) after start-up: in production the goals are
known days ahead, and the job prepares each check-in that long before its time. The recording
fake Slack runs in this process and hosts every workspace (``FakeSlack.add_workspace``, one bot
token each), with Slack's limits for each workspace on its own: one message a second per channel
and ``--rate`` messages a minute per workspace (burst 5); the 429s it answers are counted.

**Shape measured: the leader and ``--workers`` worker processes, all delivering.** Each is a
subprocess built as Bravo builds itself (``bot.deps.build_deps(settings, db,
tokens=BenchTokens())``: each workspace's calls with its own token) and shares the paced posts as
``bot.scheduling.start.share_pacing`` does (on PostgreSQL: shards of workspaces held with
advisory locks; on SQLite the ``pacer`` lock, so one process sends them all). Each runs the
``checkins`` job as the scheduler does (at each next time the job says, or its poll interval):
*the leader* as the one running the jobs, *a worker* because on PostgreSQL every process runs it
(``Job.everywhere``; ``--leader-job-only``: the leader alone, as on SQLite); and each delivers.
The workers take no ``work_item`` requests (there are none here) and run no other job.
``--ahead``: the job is run once before "go" for the whole window, and the window moves on
(delivery alone).

The pacing floor: per workspace, the earliest each of its posts could go, given its due time, at
``--rate`` a minute with Bravo's burst (``PACING_BURST``) and one a second per channel (each DM
is its own channel); the floor is the last of them, counted from the window's start. Measured:
the fake's last successful chat.postMessage, from the same start. The fake's records are the
evidence: duplicates (a DM posted more than once), lost (a goal owner without one), each
workspace's highest count of posts in any 1 s and 10 s (against ``rate x s / 60 + burst``), and
the 429s the per-workspace limits answered.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, text, update
from sqlmodel import col, select

from bench.checkins import (
    GOALS,
    SKILLS,
    ZONES,
    Progress,
    Worker,
    fresh_database,
    machine_busy,
    outbox_counts,
)
from bench.leaderboard import pg_problem
from bot.cadence import monday_of
from bot.goals.jobs import PREPARE_AHEAD
from bot.outbox.pacer import PACING_BURST
from bot.sandbox.hosted import WorkspaceHandle
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import CheckInPrompt, Goal, OutboxRow, SlackUser

ROOT = Path(__file__).resolve().parent.parent
POST = "chat.postMessage"
TARGET_RATIO = 1.2
# Seconds to the window's first due time, for seeding and the leader's start-up: a fixed part,
# and a part per check-in seeded.
LEAD_IN, LEAD_IN_EACH = 6.0, 1 / 3000
FAKE_BURST = 5  # the fake's per-workspace burst (Slack tolerates short bursts)
BENCH = [sys.executable, "-m", "bench.workspaces"]


def team_of(i: int) -> str:
    return f"T{i:07d}"


class BenchTokens:
    """Bravo's ``Tokens`` for the bench: every workspace ``T…`` installed, with its own token."""

    def bot_token(self, team_id: str) -> str | None:
        return f"xoxb-bench-{team_id}" if team_id.startswith("T") else None


# ---- the workspaces, their people and goals --------------------------------------------------


@dataclass(frozen=True)
class Owner:
    team: str
    user_id: str
    tz: str
    due: float  # epoch seconds


def plan(n_ws: int, per_ws: int, start: float, window: float, seed: int) -> list[Owner]:
    rng = random.Random(seed)
    zones = [z for z, _ in ZONES]
    weights = [w for _, w in ZONES]
    return [
        Owner(
            team_of(w),
            f"U{w:05d}{p:03d}",
            rng.choices(zones, weights)[0],
            start + rng.uniform(0, window),
        )
        for w in range(n_ws)
        for p in range(per_ws)
    ]


def seed_database(db: Database, owners: Sequence[Owner], now: datetime) -> float:
    began = time.perf_counter()
    created = now - timedelta(days=30)
    users, goals = [], []
    for i, o in enumerate(owners):
        users.append(
            {
                "team_id": o.team,
                "user_id": o.user_id,
                "name": f"agent{o.user_id}",
                "tz": o.tz,
                "is_bot": False,
                "deleted": False,
                "fetched_at": now,
            }
        )
        due = datetime.fromtimestamp(o.due, UTC)
        local = due.astimezone(ZoneInfo(o.tz))
        what, measure = GOALS[i % len(GOALS)]
        goals.append(
            {
                "team_id": o.team,
                "owner_id": o.user_id,
                "what": what,
                "measure": measure,
                "skill": SKILLS[i % len(SKILLS)],
                "target_date": (now + timedelta(days=90)).date(),
                "cadence": "weekly",
                "cadence_day": local.weekday(),
                "cadence_minute": local.hour * 60 + local.minute,
                "cadence_anchor": monday_of(created.date()),
                "visibility": "private",
                "status": "active",
                "paused_until": None,
                "tz": o.tz,
                "next_due_at": due,
                "streak": 0,
                "best_streak": 0,
                "missed_in_row": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    with db.engine.begin() as conn:
        for at in range(0, len(users), 5000):
            conn.execute(insert(SlackUser.__table__), users[at : at + 5000])  # type: ignore[attr-defined]
            conn.execute(insert(Goal.__table__), goals[at : at + 5000])  # type: ignore[attr-defined]
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - began


def make_fake(owners: Sequence[Owner], rate: int) -> FakeSlack:
    tokens = BenchTokens()
    first = owners[0].team
    fake = FakeSlack(team_id=first, token=tokens.bot_token(first) or "")
    hosted: dict[str, WorkspaceHandle] = {first: fake}
    for o in owners:
        if o.team not in hosted:
            hosted[o.team] = fake.add_workspace(o.team, token=tokens.bot_token(o.team) or "")
        hosted[o.team].add_user(o.user_id, f"agent{o.user_id}", tz=o.tz)
    fake.set_rate_limit(POST, 1.0)  # Slack: about one message a second per channel
    fake.set_workspace_rate_limit(rate, burst=FAKE_BURST)  # per workspace, each its own
    return fake.start()


# ---- the leader: one Bravo process -----------------------------------------------------------


def bench_deps(args: argparse.Namespace) -> Any:
    """Deps built as Bravo builds itself (each workspace's calls with its own token), with the
    paced posts shared out as ``bot.scheduling.start`` shares them (``share_pacing``)."""
    from bot.deps import build_deps
    from bot.scheduling.start import share_pacing
    from bot.settings import load_settings

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-unused",
            "SLACK_API_URL": args.api_url,
            "DATABASE_URL": args.database_url,
            "BRAVO_POSTS_PER_MINUTE": str(args.rate),
            "LOG_LEVEL": "WARNING",
        }
    )
    deps = build_deps(settings, Database.from_url(settings.database_url), tokens=BenchTokens())
    share_pacing(deps)
    return deps


def run_leader(args: argparse.Namespace) -> int:
    """The scheduler's leader: say "ready", wait for "go", run the check-ins job as the
    scheduler would (at the next time the job says, or its poll) until ``--until``, deliver
    beside it, then wait for the outbox."""
    from bot.scheduling.registry import JOBS

    deps = bench_deps(args)
    db = deps.db
    job = next(j for j in JOBS if j.name == "checkins")
    ahead = Counter[str]()
    if args.ahead:  # delivery alone: the prompts queued first, each due at its check-in time
        ahead = job.run(deps, datetime.fromtimestamp(args.until, UTC))
    outbox_counts(db)
    print("ready", flush=True)
    go = sys.stdin.readline().split()
    if not go or go[0] != "go":
        return 1
    if args.ahead:  # the window moved on while the job ran ahead: "go <seconds later>"
        args.until += float(go[1])
        due_at_checkin(db, float(go[1]))
    deps.deliverer.start()
    ran = run_job(deps, job, args.until)
    deadline = time.monotonic() + args.timeout
    while outbox_counts(db).get("pending", 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    deps.deliverer.stop()
    ran["outcomes"] = dict(Counter(ran["outcomes"]) + ahead)
    result = {
        **ran,
        "settled": time.time(),
        "outbox": outbox_counts(db),
        "cpu": time.process_time(),
        "delivered_by": delivered_by(db),
    }
    print("RESULT " + json.dumps(result), flush=True)
    db.dispose()
    return 0


def run_job(deps: Any, job: Any, until: float) -> dict[str, Any]:
    """The scheduler's runs of ``job`` until ``until``: at the next time the job says (from
    the database), or its poll interval."""
    from bot.clock import utcnow

    outcomes: Counter[str] = Counter()
    runs, seconds, done = 0, 0.0, 0.0
    while True:
        began = time.perf_counter()
        counts = job.run(deps, utcnow())
        seconds += time.perf_counter() - began
        if counts.get("prompt"):
            done = time.time()
        outcomes += counts
        runs += 1
        upcoming = job.next_due(deps, utcnow())
        later = upcoming.timestamp() if upcoming else float("inf")
        if time.time() > until and later > until:
            break
        wake = min(later, until if time.time() <= until else later, time.time() + 60)
        time.sleep(max(0.0, wake - time.time()))
    return {"outcomes": dict(outcomes), "job_runs": runs, "job_seconds": seconds, "job_done": done}


def run_deliverer(args: argparse.Namespace) -> int:
    """A worker process, as ``bravo worker`` runs on PostgreSQL: its deliverer (pacing the
    shards it holds) and the check-ins job (``Job.everywhere``, shared with the leader by SKIP
    LOCKED; not the leader's other jobs): say "ready", wait for "go", run the job until
    ``--until``, deliver until "stop"."""
    from bot.scheduling.registry import JOBS

    deps = bench_deps(args)
    job = next(j for j in JOBS if j.name == "checkins")
    print("ready", flush=True)
    sys.stdin.readline()
    deps.deliverer.start()
    ran = run_job(deps, job, args.until) if args.share_job else {}
    sys.stdin.readline()
    deps.deliverer.stop()
    print("RESULT " + json.dumps({**ran, "cpu": time.process_time()}), flush=True)
    deps.db.dispose()
    return 0


def delivered_by(db: Database) -> dict[str, int]:
    """Posts sent, by the process that claimed them (``claimed_by``: host:pid:run)."""
    with db.engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT split_part(claimed_by, ':', 2), count(*) FROM outbox"
                " WHERE status = 'sent' GROUP BY 1"
            )
            if db.engine.dialect.name == "postgresql"
            else text("SELECT claimed_by, count(*) FROM outbox WHERE status = 'sent' GROUP BY 1")
        ).all()
    return {str(who): int(n) for who, n in rows}


def due_at_checkin(db: Database, later: float) -> None:
    """--ahead: each queued prompt due at its check-in's due time, ``later`` seconds on."""
    with db.engine.begin() as conn:
        pairs = conn.execute(
            select(CheckInPrompt.outbox_id, CheckInPrompt.due_at).where(
                col(CheckInPrompt.outbox_id).is_not(None)
            )
        ).all()
        rows = [{"i": i, "at": at + timedelta(seconds=later)} for i, at in pairs]
        stmt = (
            update(OutboxRow)
            .where(col(OutboxRow.id) == bindparam("i"))
            .values(next_attempt_at=bindparam("at"))
        )
        conn.execute(stmt.execution_options(synchronize_session=False), rows)


def spawn(role: str, argv: list[str], tmp: Path) -> Worker:
    """A Bravo subprocess (``bench.checkins.Worker``: ready, go, RESULT). The place where
    ``--workers N`` will start ``python -m bot worker`` processes beside the leader."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
    env |= {"PYTHONUNBUFFERED": "1", "BRAVO_ENV_FILE": str(tmp / "no.env")}
    log = tmp / f"{role}.log"
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
    return Worker(role, popen, log)


# ---- the figures -----------------------------------------------------------------------------


def floor_end(owners: Sequence[Owner], rate: int) -> float:
    """When the last post could go at best: per workspace, each post at its due time or its
    pace's next slot (GCRA, ``PACING_BURST``), whichever is later; the latest over workspaces."""
    interval, tolerance = 60.0 / rate, (PACING_BURST - 1) * 60.0 / rate
    by_team: dict[str, list[float]] = defaultdict(list)
    for o in owners:
        by_team[o.team].append(o.due)
    last = 0.0
    for dues in by_team.values():
        tat = -1e18
        for due in sorted(dues):
            at = max(due, tat - tolerance)
            tat = max(tat, at) + interval
            last = max(last, at)
    return last


def busiest(times: Sequence[float], span: float) -> int:
    """The most posts within any ``span`` seconds."""
    ordered = sorted(times)
    return max(
        (bisect_right(ordered, t + span - 1e-9) - i for i, t in enumerate(ordered)), default=0
    )


def evidence(fake: FakeSlack, owners: Sequence[Owner], rate: int) -> dict[str, Any]:
    calls = fake.calls(POST)
    ok = [c for c in calls if c.status == 200 and c.response.get("ok")]
    per_dm = Counter((c.team_id, str(c.response.get("channel"))) for c in ok)
    reached = {(c.team_id, str(c.args.get("channel"))) for c in ok}
    by_team: dict[str, list[float]] = defaultdict(list)
    for c in ok:
        by_team[c.team_id].append(c.at)
    worst = {span: max(busiest(t, span) for t in by_team.values()) for span in (1.0, 10.0)}
    return {
        "posts": len(ok),
        "last_post": max((c.at for c in ok), default=0.0),
        "duplicates": sum(n - 1 for n in per_dm.values() if n > 1),
        "lost": sum(1 for o in owners if (o.team, o.user_id) not in reached),
        "429": sum(1 for c in calls if c.status == 429),
        "errors": Counter(
            str(c.response.get("error"))
            for c in calls
            if c.status == 200 and not c.response.get("ok")
        ),
        "busiest": worst,
        "allowed": {span: int(rate * span / 60 + PACING_BURST) for span in worst},
        "workspaces_posting": len(by_team),
    }


def run_backend(backend: str, opts: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    say = lambda msg: print(f"[{backend}] {msg}", flush=True)  # noqa: E731
    n = opts.workspaces * opts.people
    with fresh_database(backend, tmp) as (db, url):
        offsets = plan(opts.workspaces, opts.people, 0.0, opts.window, opts.seed)
        fake = make_fake(offsets, opts.rate)
        say(f"fake Slack hosts {opts.workspaces:,} workspaces, {n:,} people")
        try:
            # Seeding and the processes' start-up come first, then the lead time in which the
            # goals are known but not yet due (in production: days; the job prepares 5 minutes).
            start = time.time() + LEAD_IN + n * LEAD_IN_EACH + opts.lead
            owners = [Owner(o.team, o.user_id, o.tz, start + o.due) for o in offsets]
            return measure(backend, opts, db, url, fake, owners, start, tmp, say)
        finally:
            fake.stop()


def measure(
    backend: str,
    opts: argparse.Namespace,
    db: Database,
    url: str,
    fake: FakeSlack,
    owners: Sequence[Owner],
    start: float,
    tmp: Path,
    say: Any,
) -> dict[str, Any]:
    seconds = seed_database(db, owners, datetime.now(UTC))
    say(
        f"seeded {len(owners):,} people and goals ({seconds:.1f}s), due from "
        f"{datetime.fromtimestamp(start, UTC):%H:%M:%S}Z over {opts.window:.0f}s"
    )
    until = start + opts.window
    common = ["--database-url", url, "--api-url", fake.base_url, "--rate", str(opts.rate)]
    workers: list[Worker] = [
        spawn(
            f"worker{i + 1}-{backend}",
            [*BENCH, "--deliver", *common, "--until", repr(until)]
            + ([] if opts.ahead or opts.leader_job_only else ["--share-job"]),
            tmp,
        )
        for i in range(opts.workers)
    ]
    leader = spawn(
        f"leader-{backend}",
        [*BENCH, "--leader", *common, "--until", repr(until), "--timeout", str(opts.timeout)]
        + (["--ahead"] if opts.ahead else []),
        tmp,
    )
    progress = Progress(url)
    load0 = os.getloadavg()
    try:
        for w in workers:
            w.wait_ready()
        leader.wait_ready()
        later = max(0.0, time.time() + 5 - start) if opts.ahead else 0.0
        if opts.ahead:  # the job ran ahead: the window (and every due time) moves on
            say(f"job ran ahead; the window opens {later:.0f}s later than seeded")
            start += later
            owners = [Owner(o.team, o.user_id, o.tz, o.due + later) for o in owners]
        elif time.time() > start:
            say(f"warning: ready {time.time() - start:.1f}s after the window opened")
        busy0 = machine_busy()
        began = time.time()
        assert leader.popen.stdin is not None
        leader.popen.stdin.write(f"go {later}\n")
        leader.popen.stdin.flush()
        for w in workers:
            w.go()
        progress.start()
        result = leader.result(start - time.time() + opts.window + opts.timeout + 60)
        load1 = os.getloadavg()
        for w in workers:
            assert w.popen.stdin is not None
            w.popen.stdin.write("stop\n")
            w.popen.stdin.flush()
        result["workers"] = [w.result(opts.timeout) for w in workers]
    finally:
        for w in [leader, *workers]:
            w.kill()
        progress.stop()
    busy1 = machine_busy()
    found = evidence(fake, owners, opts.rate)
    floor = floor_end(owners, opts.rate) - start
    took = found["last_post"] - start
    return {
        "backend": backend,
        "floor": floor,
        "took": took,
        "ratio": took / floor,
        "leader": result,
        "evidence": found,
        "progress": progress.samples,
        "start": start,
        "busy": (busy1[0] - busy0[0]) / max(1.0, busy1[1] - busy0[1]),
        "load": (load0, load1),
        "began": began,
    }


def report(run: dict[str, Any], opts: argparse.Namespace) -> None:
    ev, leader = run["evidence"], run["leader"]
    n = opts.workspaces * opts.people
    verdict = "PASS" if run["ratio"] <= TARGET_RATIO else "FAIL"
    job = "the job run AHEAD, delivery alone" if opts.ahead else "checkins job as scheduled"
    if not opts.ahead and not opts.leader_job_only:
        job += ", in the workers too"
    print(
        f"\n=== {run['backend']}: {opts.workspaces:,} workspaces x {opts.people} people, "
        f"{n:,} check-ins due within {opts.window:.0f}s, {opts.rate} posts/min each ==="
    )
    print(
        f"  shape: leader ({job}, delivering) + {opts.workers} worker process(es) delivering; "
        f"paced posts shared in shards; the job's lead {opts.lead:.0f}s"
    )
    print(
        f"  pacing floor {run['floor']:.1f}s; last post at {run['took']:.1f}s: "
        f"x{run['ratio']:.2f} (target <= x{TARGET_RATIO}): {verdict}"
    )
    print(
        f"  posts {ev['posts']:,} to {ev['workspaces_posting']:,} workspaces; duplicates "
        f"{ev['duplicates']}, lost {ev['lost']}; 429s {ev['429']}; errors {dict(ev['errors'])}"
    )
    for span, most in ev["busiest"].items():
        print(
            f"  busiest workspace in any {span:.0f}s: {most} posts (pace allows "
            f"{ev['allowed'][span]})"
        )
    ran = [leader, *[w for w in leader["workers"] if "outcomes" in w]]
    outcomes = sum((Counter(r["outcomes"]) for r in ran), Counter[str]())
    done = max(r["job_done"] for r in ran)
    print(
        f"  job, in {len(ran)} process(es): prompts {[r['outcomes'].get('prompt', 0) for r in ran]}"
        f" in {[round(r['job_seconds']) for r in ran]}s of runs; all together "
        f"{outcomes['prompt'] / max(1.0, done - run['began']):.0f} prompts/s from go to the "
        f"last prompt ({done - run['start']:+.1f}s from the window's opening)"
    )
    print(f"  outcomes {dict(outcomes)}; outbox {leader['outbox']}")
    print(f"  posts sent by process (pid: posts): {leader['delivered_by']}")
    (a1, a5, _), (b1, b5, _) = run["load"]
    workers_cpu = [round(w["cpu"], 1) for w in leader["workers"]]
    print(
        f"  CPU: leader {leader['cpu']:.1f}s, workers {workers_cpu}s;"
        f" machine busy {run['busy']:.0%}; load (1 min/5 min) {a1:.1f}/{a5:.1f} at go,"
        f" {b1:.1f}/{b5:.1f} at the end"
    )
    marks = [(t - run["start"], p, s) for t, p, s in run["progress"]]
    step = max(1, len(marks) // 12)
    print(
        "  progress (s, prompts, sent): "
        + ", ".join(f"{t:.0f}:{p}/{s}" for t, p, s in marks[::step])
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--rate", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="worker processes delivering")
    parser.add_argument(
        "--lead",
        type=float,
        default=PREPARE_AHEAD.total_seconds(),
        help="seconds the goals are known before the window opens (the job's lead: 300)",
    )
    parser.add_argument("--backends", default="postgres")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help="50 workspaces, a 20 s window, a 30 s lead"
    )
    parser.add_argument(
        "--ahead",
        action="store_true",
        help="delivery alone: the job runs before the window, each post due at its check-in",
    )
    parser.add_argument("--leader", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--deliver", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--share-job", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--leader-job-only",
        action="store_true",
        help="only the leader runs the check-ins job (as on SQLite); workers only deliver",
    )
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.leader:
        return run_leader(args)
    if args.deliver:
        return run_deliverer(args)
    if args.quick:
        args.workspaces, args.window, args.lead = 50, 20.0, min(args.lead, 30.0)
    for backend in args.backends.split(","):
        if backend == "postgres" and (problem := pg_problem()):
            print(f"[postgres] skipped: {problem}")
            continue
        with tempfile.TemporaryDirectory(prefix="bravo-ws-") as tmp:
            report(run_backend(backend, args, Path(tmp)), args)
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "MainThread"
    sys.exit(main())
