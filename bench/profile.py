"""Skill profile latency for one person with years of history in a workspace of up to 1M kudos,
SQLite and PostgreSQL.

    .venv/bin/python -m bench.profile [--sizes 100000,1000000] [--backends sqlite,postgres]
                                      [--recent-kudos 100000] [--reps 300] [--quick]

For each backend and size it builds a fresh database with ``bench.leaderboard``'s loader (the
ledger and its rollups, bulk inserts on SQLite, COPY on PostgreSQL) over five years, adds the
person's other signals (feedback, customer feedback, reviews with a score per skill, practice
rounds with their ratings, a lesson posted and found helpful three times: one week's worth every
week; a goal shared with coaches with a
check-in every week; a coach and their weekly one-on-one), runs ANALYZE, then times
``bot.profile.service.profile_in`` (the six reads a profile costs) inside its own
``db.read()`` session, as a Home publish or a coach's click would, and then the coach's prep
note for the next one-on-one (``bot.oneonones.prep.gather``: goals, check-ins, kudos by skill,
feedback shared, customer feedback, reviews, action items, the profile if shared, practice).

The last 180 days (the profile's two windows) hold the same ``--recent-kudos`` kudos at every
size, and the person's other signals are the same there too; only the history before differs
(the smallest size gives the person one year of it, the largest five). So the largest/smallest
ratio of the timings measures the history alone: it should be about x1. The sizes are timed in
the same rounds, their order turning, so a slow spell of a shared machine lands on all of them.
Each read's plan is printed (``EXPLAIN QUERY PLAN``; ``EXPLAIN (ANALYZE, BUFFERS)``).

``--quick`` is a small run for development (a few thousand kudos, 50 calls).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy
from sqlalchemy import event
from sqlmodel import Session, select

from bench.leaderboard import (
    TEAM,
    Recent,
    Workspace,
    analyze,
    fresh_database,
    load,
    make_workspaces,
    percentile,
    pg_problem,
    reopen,
)
from bot.oneonones.prep import gather
from bot.profile.service import profile_in
from bot.settings import DEFAULT_VALUES
from storage.db import Database
from storage.models import (
    CheckIn,
    CoachPairing,
    CustomerFeedback,
    Feedback,
    Goal,
    Lesson,
    LessonHelp,
    Meeting,
    OneOnOne,
    PracticeRating,
    PracticeRound,
    Review,
    ReviewScore,
)

YEARS = 5
SPAN_DAYS = 365 * YEARS
WINDOW_DAYS = 180  # the profile reads the last 90 days and the 90 before
RECENT_KUDOS = 100_000  # ~550 a day: a 1M-kudos workspace over five years
TARGET_MS = 50.0  # p99 at the largest size
FLAT_RATIO = 1.3
SKILLS = DEFAULT_VALUES


def focus_person(space: Workspace) -> str:
    """The person who receives the most kudos (the largest weight): the heaviest profile."""
    weights = [b - a for a, b in zip((0.0, *space.get_cum), space.get_cum, strict=False)]
    return space.people[max(range(len(weights)), key=weights.__getitem__)].user_id


def person_history(db: Database, user_id: str, now: datetime, years: float, seed: int) -> int:
    """A week of signals for every week of ``years`` before ``now``: feedback, two customer
    notes, a review scoring every skill, five practice rounds each rated once. The last 180 days
    are the same whatever ``years`` is (the same random stream, week by week from ``now``)."""
    rng = random.Random(f"{seed}:person")
    weeks = int(years * 52)
    rows = 0
    with db.write() as session:
        for w in range(weeks):
            at = now - timedelta(days=7 * w + 1, hours=rng.randrange(8))
            skill = SKILLS[w % len(SKILLS)]
            session.add(_feedback(user_id, at, skill, w))
            for k in range(2):
                session.add(_customer(user_id, at - timedelta(hours=k), rng.randint(1, 5), w, k))
            review = _review(user_id, at, w)
            session.add(review)
            session.flush()
            for s in SKILLS:
                score = rng.choice((None, 1, 2, 3, 4))
                session.add(
                    ReviewScore(
                        team_id=TEAM,
                        review_id=review.id or 0,
                        agent_id=user_id,
                        skill=s,
                        score=score,
                        created_at=at,
                    )
                )
            for d in range(5):
                done = at - timedelta(days=d)
                practice = _round(user_id, done, SKILLS[(w + d) % len(SKILLS)], w * 5 + d)
                session.add(practice)
                session.flush()
                session.add(_rating(practice.id or 0, done))
            rows += 3 + 1 + len(SKILLS) + 10 + _lesson(session, user_id, at, skill, w)
        goal = _goal(user_id, now - timedelta(days=7 * weeks + 1))
        session.add(goal)
        session.flush()
        for w in range(weeks):  # a check-in every week of the history, on a goal still open
            session.add(_checkin(goal.id or 0, user_id, now - timedelta(days=7 * w + 2)))
        rows += 1 + weeks
        rows += _coached(session, user_id, now)
    return rows


COACH = "UBENCHCOACH"


def _goal(user_id: str, since: datetime) -> Goal:
    return Goal(
        team_id=TEAM,
        owner_id=user_id,
        what="Summarise the customer's problem before solving it",
        measure="On 5 calls a week",
        skill=SKILLS[0],
        target_date=(since + timedelta(days=3650)).date(),
        cadence_anchor=since.date(),
        visibility="coach",
        created_at=since,
        updated_at=since,
    )


def _checkin(goal_id: int, user_id: str, at: datetime) -> CheckIn:
    return CheckIn(
        team_id=TEAM,
        goal_id=goal_id,
        user_id=user_id,
        status="on_track",
        progress="Did it on four calls",
        source="prompt",
        created_at=at,
    )


def _coached(session: Session, user_id: str, now: datetime) -> int:
    """The person's coach (an accepted pairing) and their weekly one-on-one, due in a day."""
    start = now - timedelta(days=365 * YEARS)
    session.add(
        CoachPairing(
            team_id=TEAM,
            coach_id=COACH,
            coachee_id=user_id,
            status="active",
            requested_at=start,
            responded_at=start,
        )
    )
    series = OneOnOne(
        team_id=TEAM,
        coach_id=COACH,
        coachee_id=user_id,
        weekday=now.weekday(),
        minute=14 * 60,
        anchor=(now - timedelta(days=now.weekday())).date(),
        next_at=now + timedelta(days=1),
        created_by=COACH,
        created_at=start,
        updated_at=start,
    )
    session.add(series)
    session.flush()
    meeting_at = now + timedelta(days=1)
    session.add(Meeting(team_id=TEAM, series_id=series.id or 0, at=meeting_at, created_at=now))
    return 3


def _feedback(user_id: str, at: datetime, skill: str, n: int) -> Feedback:
    return Feedback(
        team_id=TEAM,
        giver_id="UGIVER",
        recipient_id=user_id,
        situation="s",
        behaviour="b",
        impact="i",
        skill=skill,
        fingerprint=f"bench-{n}",
        created_at=at,
    )


def _customer(user_id: str, at: datetime, rating: int, w: int, k: int) -> CustomerFeedback:
    return CustomerFeedback(
        team_id=TEAM,
        logged_by="UGIVER",
        teammate_id=user_id,
        kind="praise" if rating >= 3 else "complaint",
        rating=rating,
        source="survey",
        text="thanks",
        source_ref=f"bench:{w}:{k}",
        created_at=at,
    )


def _review(user_id: str, at: datetime, n: int) -> Review:
    return Review(
        team_id=TEAM,
        agent_id=user_id,
        reviewer_id="UREVIEWER",
        link="https://example.com/t",
        outcome="resolved",
        request_key=f"bench-{n}",
        created_at=at,
        updated_at=at,
    )


def _lesson(session: Session, user_id: str, at: datetime, skill: str, w: int) -> int:
    """A lesson posted that week, which three people found helpful over the next days (the
    profile counts them when clicked, also years after it was posted)."""
    lesson = Lesson(
        team_id=TEAM,
        author_id=user_id,
        added_by=user_id,
        learned="Say what you will do next, and when",
        skill=skill,
        origin="command",
        visibility="team",
        posted_channel="C0TEAM",
        posted_at=at,
        request_key=f"bench-lesson-{w}",
        created_at=at,
        updated_at=at,
    )
    session.add(lesson)
    session.flush()
    for k in range(3):
        reader, helped = f"UREADER{k}", at + timedelta(days=k)
        session.add(
            LessonHelp(lesson_id=lesson.id or 0, user_id=reader, team_id=TEAM, created_at=helped)
        )
    return 4


def _round(user_id: str, at: datetime, skill: str, n: int) -> PracticeRound:
    return PracticeRound(
        team_id=TEAM,
        user_id=user_id,
        skill=skill,
        scenario_key="bench",
        scenario="{}",
        status="assessed",
        request_key=f"bench-{n}",
        created_at=at,
        answered_at=at,
        assessed_at=at,
    )


def _rating(round_id: int, at: datetime) -> PracticeRating:
    return PracticeRating(
        team_id=TEAM, round_id=round_id, rater_id="URATER", status="rated", asked_at=at, rated_at=at
    )


# --- running ---------------------------------------------------------------------------------


@dataclass
class Run:
    backend: str
    size: int
    years: float
    db: Database
    samples: list[float] = field(default_factory=list)
    plans: list[list[str]] = field(default_factory=list)


def call_for(person: str, now: datetime) -> Callable[[Session], Any]:
    def build(session: Session) -> Any:
        return profile_in(session, team_id=TEAM, user_id=person, skills=SKILLS, now=now)

    return build


def prep_for(person: str, now: datetime) -> Callable[[Session], Any]:
    """The coach's prep note for the person's next one-on-one (``bot.oneonones.prep.gather``:
    its every bounded read), as ``/coach prep`` or the prep job builds it."""

    def build(session: Session) -> Any:
        series = session.exec(select(OneOnOne).where(OneOnOne.coachee_id == person)).one()
        meeting = session.exec(select(Meeting).where(Meeting.series_id == series.id)).one()
        return gather(
            session, series=series, meeting=meeting, coach_id=COACH, now=now, skills=SKILLS
        )

    return build


def plans(db: Database, call: Callable[[Session], Any]) -> list[list[str]]:
    """The plan of each read a profile sends."""
    captured: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "GROUP BY" in statement:
            captured.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        with db.read() as session:
            call(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    out = []
    with db.engine.connect() as conn:
        for statement, params in captured:
            if db.dialect == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                out.append([str(r[-1]) for r in rows])
            else:
                explain = "EXPLAIN (ANALYZE, BUFFERS) " + statement
                lines = [str(r[0]) for r in conn.exec_driver_sql(explain, params)]
                out.append([ln.strip() for ln in lines if "Scan" in ln or "Execution" in ln])
    return out


def prepare(
    stack: ExitStack,
    backend: str,
    size: int,
    years: float,
    now: datetime,
    args: argparse.Namespace,
    spaces: Sequence[Workspace],
    person: str,
) -> Run:
    say = lambda msg: print(f"[{backend} {size:>9,}] {msg}", flush=True)  # noqa: E731
    loading_db, db_bytes = stack.enter_context(fresh_database(backend))
    recent = Recent(WINDOW_DAYS, args.recent_kudos)
    loaded = load(loading_db, size, now, args.seed, spaces, span_days=SPAN_DAYS, recent=recent)
    say(
        f"loaded {loaded.kudos:,} kudos ({size:,} before the last {WINDOW_DAYS} days), "
        f"{loaded.tally:,} tally rows in {loaded.seconds:.1f} s"
    )
    db = reopen(loading_db)
    stack.callback(db.dispose)
    started = time.perf_counter()
    rows = person_history(db, person, now, years, args.seed)
    say(
        f"{person}: {rows:,} rows of other signals over {years:g} years in "
        f"{time.perf_counter() - started:.1f} s"
    )
    analyze(db)
    say(f"ANALYZE done; database {db_bytes() / 2**20:,.0f} MiB")
    run = Run(backend, size, years, db)
    run.plans = plans(db, call_for(person, now))
    return run


def time_rounds(
    runs: Sequence[Run], call: Callable[[Session], Any], reps: int, warmup: int
) -> None:
    for run in runs:
        for _ in range(warmup):
            with run.db.read() as session:
                call(session)
    order = list(runs)
    for rep in range(reps):
        for run in order if rep % 2 == 0 else reversed(order):
            t0 = time.perf_counter()
            with run.db.read() as session:
                call(session)
            run.samples.append((time.perf_counter() - t0) * 1000)


def report(backend: str, runs: Sequence[Run], what: str, show_plans: bool = True) -> None:
    print(f"\n=== {backend}: {what} ===")
    print(f"{'kudos before':>14} {'person years':>13} {'p50 ms':>8} {'p99 ms':>8}")
    for run in runs:
        p50, p99 = percentile(run.samples, 0.5), percentile(run.samples, 0.99)
        print(f"{run.size:>14,} {run.years:>13g} {p50:>8.2f} {p99:>8.2f}")
    small, big = runs[0], runs[-1]
    ratio = percentile(big.samples, 0.5) / max(percentile(small.samples, 0.5), 1e-9)
    p99 = percentile(big.samples, 0.99)
    print(
        f"largest/smallest p50: x{ratio:.2f} ({'flat' if ratio <= FLAT_RATIO else 'NOT flat'}, "
        f"want <= x{FLAT_RATIO}); largest p99 {p99:.1f} ms "
        f"({'within' if p99 <= TARGET_MS else 'OVER'} the {TARGET_MS:.0f} ms target)"
    )
    if show_plans:
        print("plans at the largest size:")
        for plan in big.plans:
            print("  - " + "\n    ".join(plan))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="100000,1000000", help="kudos before the 180 days")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--recent-kudos", type=int, default=RECENT_KUDOS)
    parser.add_argument("--reps", type=int, default=300, help="timed calls per size")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a small run for development")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.recent_kudos, args.reps, args.warmup = "2000,10000", 2000, 50, 5
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := [b for b in backends if b not in ("sqlite", "postgres")]:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    now = datetime.now(UTC).replace(microsecond=0)
    spaces = make_workspaces(args.seed)
    person = focus_person(spaces[0])
    # the smallest size gives the person one year of history, the largest five
    years = {s: (1.0 if s == sizes[0] and len(sizes) > 1 else float(YEARS)) for s in sizes}
    print(
        f"bench.profile: Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} CPUs; "
        f"now={now:%Y-%m-%d %H:%M}Z; {args.recent_kudos:,} kudos in the last {WINDOW_DAYS} days "
        f"at every size; the person: {person}"
    )
    for backend in backends:
        if backend == "postgres" and (problem := pg_problem()):
            print(f"\n=== {backend}: skipped: {problem} ===")
            continue
        with ExitStack() as stack:
            runs = [prepare(stack, backend, s, years[s], now, args, spaces, person) for s in sizes]
            time_rounds(runs, call_for(person, now), args.reps, args.warmup)
            report(backend, runs, "a skill profile (six reads, one session)")
            for run in runs:
                run.samples = []
            time_rounds(runs, prep_for(person, now), args.reps, args.warmup)
            report(backend, runs, "a one-on-one prep note (its every read)", show_plans=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
