"""Building the weekly shout-out for a 500-person team, with 10k and 1M kudos of history.

    .venv/bin/python -m bench.shoutouts [--sizes 10000,1000000] [--backends sqlite,postgres]

For each backend and size it loads a two-year history that ends a week ago with the loader of
``bench.leaderboard`` (bulk inserts on SQLite, COPY on PostgreSQL; ledger and rollups), then adds
the same week on top at every size: ``WEEK_KUDOS`` kudos in the workspace over the last seven
days, half of them among the team's 500 members, plus a few milestones; and posted lessons with
their clicks (one for every 20 kudos of history, and ``WEEK_LESSONS`` in the week). It then
times what the ``shoutouts`` job does for the post, each call in its own ``db.read()`` session:
read the week (``build_week``: the week's kudos, first-timer probes, milestones, public goals,
the lesson of the week) and render it (``weekly_post``). The week is the same at both sizes, so
the cost should not move with the history; the ratio column says whether it does. The chart
(matplotlib) is timed once apart.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy
from sqlalchemy import func, insert, select

from bench.leaderboard import (
    KUDOS_COLS,
    PgWriter,
    SqliteWriter,
    Workspace,
    analyze,
    fmt_size,
    fresh_database,
    load,
    make_workspaces,
    percentile,
    pg_problem,
    reopen,
    time_query,
)
from bot.settings import DEFAULT_VALUES
from bot.shoutouts.chart import chart_png
from bot.shoutouts.render import weekly_post
from bot.shoutouts.week import Week, build_week
from storage.db import Database
from storage.models import Kudos, Lesson, LessonHelp, Milestone

TEAM_SIZE = 500
WEEK_KUDOS = 3_000  # in the whole workspace over the post's seven days; half among the team
WEEK_MILESTONES = 60
WEEK_LESSONS = 300  # posted in the workspace over the post's seven days; a third to the team's
LESSONS_PER_KUDOS = 20  # history: one posted lesson for every 20 kudos, each found helpful
TZ = "Europe/Berlin"
LABEL = "weekly post (read + render)"


def add_week(
    db: Database, space: Workspace, team: list[str], now: datetime, seed: int
) -> tuple[int, int]:
    """The post's week, identical at every history size: (kudos rows, of them within the team)."""
    rng = random.Random(f"{seed}:week")
    with db.read() as session:
        next_id = (
            int(session.execute(select(func.coalesce(func.max(Kudos.id), 0))).scalar_one()) + 1
        )
    everyone = [p.user_id for p in space.people]
    rows: list[tuple[Any, ...]] = []
    inside = 0
    for n in range(WEEK_KUDOS):
        pool = team if n % 2 == 0 else everyone
        giver, recipient = rng.sample(pool, 2)
        inside += giver in team and recipient in team
        values = ",".join(rng.sample(DEFAULT_VALUES, rng.choice((0, 1, 1, 2))))
        reason = f"for week moment {n}: " + "calm, clear help on a hard call " * rng.randint(1, 4)
        when = now - timedelta(seconds=rng.uniform(1, 7 * 86_400 - 1))
        rows.append(
            (
                next_id + n,
                space.team_id,
                str(uuid.UUID(int=rng.getrandbits(128))),
                giver,
                recipient,
                reason,
                values,
                "C0TEAM",
                "command",
                None,
                when,
            )
        )
    writer: SqliteWriter | PgWriter = (
        SqliteWriter(db.engine) if db.dialect == "sqlite" else PgWriter(db.engine)
    )
    try:
        writer.write(Kudos.__table__, KUDOS_COLS, rows)  # type: ignore[arg-type]
        milestones = [
            (space.team_id, team[i], "received", 10, now - timedelta(hours=i + 1))
            for i in range(WEEK_MILESTONES)
        ]
        cols = ("team_id", "user_id", "kind", "threshold", "reached_at")
        writer.write(Milestone.__table__, cols, milestones)  # type: ignore[arg-type]
        writer.commit()
    finally:
        writer.close()
    return len(rows), inside


def add_lessons(db: Database, space: Workspace, size: int, now: datetime, seed: int) -> int:
    """Posted lessons and their "This helped me" clicks: a history over the two years before the
    week (it grows with the size) and the week's (the same at every size)."""
    rng = random.Random(f"{seed}:lessons")
    everyone = [p.user_id for p in space.people]
    history = size // LESSONS_PER_KUDOS
    lessons: list[dict[str, Any]] = []
    helps: list[dict[str, Any]] = []
    for n in range(history + WEEK_LESSONS):
        week = n >= history
        days = rng.uniform(0, 7) if week else rng.uniform(7, 730)
        posted = now - timedelta(days=days)
        lessons.append(
            {
                "id": n + 1,
                "team_id": space.team_id,
                "author_id": rng.choice(everyone),
                "added_by": "U0",
                "learned": f"lesson {n}: " + "ask what they tried first " * rng.randint(1, 6),
                "what_happened": "",
                "skill": rng.choice(DEFAULT_VALUES),
                "origin": "command",
                "visibility": "team",
                "posted_channel": "C0TEAM" if n % 3 == 0 else "C0OTHER",
                "posted_at": posted,
                "helped_count": 0,
                "created_at": posted,
                "updated_at": posted,
            }
        )
        for reader in rng.sample(everyone, rng.randint(0, 12 if week else 4)):
            at = posted + (now - posted) * rng.random()
            helps.append(
                {"lesson_id": n + 1, "user_id": reader, "team_id": space.team_id, "created_at": at}
            )
            lessons[-1]["helped_count"] += 1
    with db.write() as session:
        for start in range(0, len(lessons), 5_000):
            session.execute(insert(Lesson), lessons[start : start + 5_000])
        for start in range(0, len(helps), 5_000):
            session.execute(insert(LessonHelp), helps[start : start + 5_000])
    return len(lessons)


def build(db: Database, team_id: str, team: list[str], now: datetime) -> Any:
    def call(session: Any) -> Week:
        week = build_week(
            session=session, team_id=team_id, channel_id="C0TEAM", members=team, tz=TZ, end=now
        )
        weekly_post(week)
        return week

    return call


def week_plan(db: Database, team_id: str, now: datetime) -> list[str]:
    """How the database reads the week's kudos (it should be a range on (team, created_at))."""
    stmt = (
        select(Kudos.id)
        .where(Kudos.team_id == team_id)
        .where(Kudos.created_at >= now - timedelta(days=7), Kudos.created_at < now)
    )
    compiled = stmt.compile(db.engine)
    explain = "EXPLAIN QUERY PLAN " if db.dialect == "sqlite" else "EXPLAIN "
    params: Any = compiled.params
    if db.dialect == "sqlite":
        params = tuple(compiled.params[k] for k in compiled.positiontup or ())
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(explain + str(compiled), params).all()
    return [str(r[-1]) if db.dialect == "sqlite" else str(r[0]) for r in rows]


def run_one(
    backend: str, size: int, now: datetime, args: argparse.Namespace, spaces: Sequence[Workspace]
) -> dict[str, Any]:
    def say(msg: str) -> None:
        print(f"[{backend} {size:>9,}] {msg}", flush=True)

    space = spaces[0]
    team = [p.user_id for p in space.people[:TEAM_SIZE]]
    with fresh_database(backend) as (loading_db, db_bytes):
        loaded = load(loading_db, size, now - timedelta(days=7), args.seed, spaces)
        week_rows, inside = add_week(loading_db, space, team, now, args.seed)
        lessons = add_lessons(loading_db, space, size, now, args.seed)
        say(
            f"loaded {loaded.kudos:,} kudos of history in {loaded.seconds:.1f} s "
            f"({loaded.kudos / loaded.seconds:,.0f}/s), then a week of {week_rows:,} "
            f"({inside:,} within the team); {lessons:,} posted lessons"
        )
        db = reopen(loading_db)
        try:
            say(f"ANALYZE and flush in {analyze(db):.1f} s; database {db_bytes() / 2**20:,.0f} MiB")
            call = build(db, space.team_id, team, now)
            with db.read() as session:
                week = call(session)
                total = session.execute(select(func.count()).select_from(Kudos)).scalar_one()
            samples = time_query(db, call, args.reps, args.warmup)
            p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
            say(
                f"{LABEL}: p50 {p50:.2f} ms, p99 {p99:.2f} ms; the week: {week.kudos} team kudos, "
                f"{len(week.recognised)} people, {len(week.first_timers)} first-timers, "
                f"{len(week.milestones)} milestones, lesson of the week helped "
                f"{week.lesson.helped if week.lesson else 0}; "
                f"{total:,} kudos rows in all"
            )
            t0 = time.perf_counter()
            png = chart_png(week)
            chart_ms = (time.perf_counter() - t0) * 1000
            return {
                "samples": samples,
                "plan": week_plan(db, space.team_id, now),
                "chart_ms": chart_ms,
                "chart_bytes": len(png or b""),
                "team_kudos": week.kudos,
                "rows": int(total),
            }
        finally:
            db.dispose()


def report(backend: str, runs: dict[int, dict[str, Any]], sizes: list[int]) -> None:
    reps = len(runs[sizes[0]]["samples"])
    print(f"\n=== {backend}: {LABEL}, 500-person team, ms over {reps} calls ===")
    head = f"  {'history':<10}{'rows':>12}{'team kudos':>12}{'p50':>9}{'p99':>9}"
    print(head)
    for s in sizes:
        r = runs[s]
        p50, p99 = percentile(r["samples"], 0.5), percentile(r["samples"], 0.99)
        print(f"  {fmt_size(s):<10}{r['rows']:>12,}{r['team_kudos']:>12,}{p50:>9.2f}{p99:>9.2f}")
    if len(sizes) > 1:
        a, b = runs[sizes[0]]["samples"], runs[sizes[-1]]["samples"]
        r50 = percentile(b, 0.5) / percentile(a, 0.5)
        r99 = percentile(b, 0.99) / percentile(a, 0.99)
        print(f"  ratio {fmt_size(sizes[-1])}/{fmt_size(sizes[0])}: p50 x{r50:.2f}, p99 x{r99:.2f}")
    last = runs[sizes[-1]]
    print(f"  chart (matplotlib, once): {last['chart_ms']:.0f} ms, {last['chart_bytes']:,} bytes")
    print(f"  the week's kudos at {fmt_size(sizes[-1])}: " + " | ".join(last["plan"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.shoutouts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="10000,1000000", help="kudos rows of history")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--reps", type=int, default=60, help="timed builds per size")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    now = datetime.now(UTC).replace(microsecond=0)
    spaces = make_workspaces(args.seed)
    print(
        f"bench.shoutouts: Python {platform.python_version()}, SQLAlchemy "
        f"{sqlalchemy.__version__}, SQLite {__import__('sqlite3').sqlite_version}; "
        f"team of {TEAM_SIZE} in a workspace of {len(spaces[0].people):,}; a week of "
        f"{WEEK_KUDOS:,} kudos on top of each history"
    )
    results: dict[str, dict[int, dict[str, Any]] | str] = {}
    for backend in backends:
        if backend == "postgres" and (problem := pg_problem()):
            results[backend] = f"skipped: {problem}"
            print(f"[{backend}] skipped: {problem}", flush=True)
            continue
        results[backend] = {s: run_one(backend, s, now, args, spaces) for s in sizes}
    for backend, outcome in results.items():
        if isinstance(outcome, str):
            print(f"\n=== {backend}: {outcome} ===")
        else:
            report(backend, outcome, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
