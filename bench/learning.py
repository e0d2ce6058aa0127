"""``/learned search`` over 100,000 lessons in one workspace, SQLite (FTS5) and PostgreSQL
(full-text search with its GIN index).

    .venv/bin/python -m bench.learning [--lessons 100000] [--backends sqlite,postgres]
                                       [--searches 400] [--seed 1] [--quick]

For each backend it builds a fresh database (a temp file for SQLite, a throwaway
``bravo_bench_*`` database on PostgreSQL, as ``bench.leaderboard`` does), fills ``--lessons``
lessons of one workspace (plus 5% in a second workspace sharing the tables) with bulk inserts
(SQLite's FTS5 triggers fire per row; PostgreSQL's GIN index is built after the load), runs
ANALYZE, then times ``storage.learning_search.search_lessons`` (the query the use case runs,
10 results and the "more" flag) inside its own ``db.read()`` session, as a Slack request would,
for searches of several kinds: a common word, a rare word, two words, a word with a skill, a
skill alone, a word nobody wrote, and a half-typed last word (prefix). The searcher is one
person of the workspace with private lessons of their own. The text is generated here from a
vocabulary of customer-service phrasing: a few hundred phrases combined, with product codes
and customer names that are rare.

It prints p50 / p95 / p99 / max per kind and overall for each database, the query plans
(``EXPLAIN QUERY PLAN``; ``EXPLAIN (ANALYZE, BUFFERS)``: they should name ``lesson_fts`` and
``lesson_fts_search``), and the target: p99 within 100 ms on both databases.

``--quick`` is a small run for development (5,000 lessons, 70 searches).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy
from sqlalchemy import insert, text

from bench.leaderboard import analyze, fresh_database, percentile, pg_problem, reopen
from bot.settings import DEFAULT_VALUES
from storage.db import Database
from storage.learning_search import PG_DOCUMENT, search_lessons, terms_of
from storage.models.learning import Lesson, LessonOrigin, LessonVisibility

TEAM = "T0LEARN001"
OTHER_TEAM = "T0LEARN002"
PEOPLE = 800
TARGET_MS = 100.0
PAGE = 10  # results a search shows
CHUNK = 5_000  # rows per bulk insert
SKILLS = DEFAULT_VALUES

# --- the text --------------------------------------------------------------------------------

OPENERS = (
    "Always",
    "Next time I will",
    "It works better to",
    "I learned to",
    "Remember to",
    "Try to",
    "The trick is to",
    "Don't forget to",
    "It really helps to",
    "Best practice:",
    "Lesson for me:",
    "Tip:",
)
ACTIONS = (
    "acknowledge the frustration before explaining the policy",
    "repeat the order number back to the caller",
    "offer a callback instead of a long hold",
    "check the billing history before promising a refund",
    "ask one open question and then listen",
    "summarise what the customer said in their own words",
    "escalate to tier two when the account is locked",
    "set expectations about the shipping delay up front",
    "write the ticket notes while the call is still fresh",
    "apologise once and then move to the fix",
    "share the tracking link in the first reply",
    "confirm the email address before resetting the password",
    "use the customer's name at the start and the end",
    "explain the next step and when they will hear from us",
    "look for a duplicate charge when a card was declined",
    "tag the conversation so the product team sees the bug",
    "keep the macro but make the first sentence personal",
    "offer a replacement when the item arrived damaged",
    "check the warranty dates before quoting a repair",
    "slow down when the caller is upset and lower my voice",
    "ask for a screenshot when the app shows an error",
    "close the loop with a follow-up email the next day",
    "pause the subscription instead of cancelling it outright",
    "verify the identity with two questions before any change",
    "read the whole thread before replying to an escalation",
    "search the knowledge base before asking a teammate",
    "hand over with a warm transfer and a short summary",
    "give a clear time frame for the refund to appear",
    "thank the customer for their patience after a wait",
    "stay on the chat until the payment goes through",
)
CONTEXTS = (
    "on a busy Monday",
    "with an angry caller",
    "during the holiday rush",
    "on live chat",
    "over the phone",
    "in an email thread",
    "with a first-time customer",
    "with a long-time subscriber",
    "after an outage",
    "when the courier lost the parcel",
    "when the invoice was wrong",
    "during the night shift",
    "",
    "",
)
STORIES = (
    "A customer called about {thing} and I {did}.",
    "The ticket about {thing} had bounced between three agents before I {did}.",
    "I was covering the queue when a customer wrote in about {thing}; I {did}.",
    "During a difficult call about {thing} I {did}, and it calmed things down.",
    "My coach listened to a call about {thing} where I {did}.",
    "A subscriber was ready to cancel over {thing}, so I {did}.",
    "",
)
THINGS = (
    "a late delivery",
    "a double charge on their card",
    "a broken blender",
    "a password reset that never arrived",
    "the new pricing",
    "a missing refund",
    "a damaged parcel",
    "the mobile app crashing at checkout",
    "a wrong size",
    "their loyalty points",
    "an expired coupon",
    "a subscription renewal",
    "order {code}",
    "invoice {code}",
    "the {product} warranty",
    "a {product} that stopped working",
)
DIDS = (
    "stayed calm",
    "escalated it",
    "offered a callback",
    "explained the refund timeline",
    "apologised and fixed it",
    "checked the account history first",
    "asked a teammate for help",
    "sent the tracking details",
    "followed up the next morning",
    "listened without interrupting",
)
PRODUCTS = tuple(
    a + b
    for a in ("Zen", "Aqua", "Nova", "Terra", "Lumi", "Orbi", "Pixa", "Vela")
    for b in ("blend", "brew", "dock", "fit", "glow", "hub", "pod", "vac")
)  # 64 product names, each in about 1% of the stories about products


def code(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(10_000, 99_999)}"


def lesson_text(rng: random.Random) -> tuple[str, str]:
    learned = f"{rng.choice(OPENERS)} {rng.choice(ACTIONS)} {rng.choice(CONTEXTS)}".strip() + "."
    story = rng.choice(STORIES)
    thing = rng.choice(THINGS).format(code=code(rng), product=rng.choice(PRODUCTS))
    return learned, story.format(thing=thing, did=rng.choice(DIDS))


def helped(rng: random.Random) -> int:
    """Most lessons helped no one; a few helped many (a geometric tail)."""
    if rng.random() < 0.6:
        return 0
    n = 1
    while rng.random() < 0.55 and n < 60:
        n += 1
    return n


# --- filling ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    lessons: int
    seconds: float
    viewer: str


def rows(n: int, team: str, now: datetime, rng: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(n):
        author = f"U{rng.randrange(PEOPLE):07d}"
        learned, story = lesson_text(rng)
        at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        team_visible = rng.random() < 0.7
        yield {
            "team_id": team,
            "author_id": author,
            "added_by": author if rng.random() < 0.9 else f"U{rng.randrange(PEOPLE):07d}",
            "learned": learned,
            "what_happened": story,
            "skill": rng.choice(SKILLS) if rng.random() < 0.85 else None,
            "link": None,
            "origin": LessonOrigin.COMMAND.value,
            "visibility": (
                LessonVisibility.TEAM if team_visible else LessonVisibility.PRIVATE
            ).value,
            "posted_channel": "C0LESSONS" if team_visible else None,
            "posted_at": at if team_visible else None,
            "source_channel": None,
            "source_ts": None,
            "helped_count": helped(rng) if team_visible else 0,
            "request_key": f"bench-{team}-{i}",
            "created_at": at,
            "updated_at": at,
        }


def fill(db: Database, n: int, now: datetime, seed: int) -> Filled:
    started = time.perf_counter()
    rng = random.Random(seed)
    pg = db.dialect != "sqlite"
    with db.engine.begin() as conn:
        if pg:  # built once after the load: faster than per row
            conn.exec_driver_sql("DROP INDEX lesson_fts_search")
        for team, count in ((TEAM, n), (OTHER_TEAM, n // 20)):
            batch: list[dict[str, Any]] = []
            for row in rows(count, team, now, rng):
                batch.append(row)
                if len(batch) == CHUNK:
                    conn.execute(insert(Lesson.__table__), batch)  # type: ignore[attr-defined]
                    batch = []
            if batch:
                conn.execute(insert(Lesson.__table__), batch)  # type: ignore[attr-defined]
        if pg:
            conn.exec_driver_sql(
                f"CREATE INDEX lesson_fts_search ON lesson USING gin ({PG_DOCUMENT})"
            )
    return Filled(n, time.perf_counter() - started, f"U{7:07d}")


# --- the searches ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    kind: str
    words: str
    skill: str | None = None


def searches(count: int, rng: random.Random) -> list[Ask]:
    """``count`` searches, the kinds in turn, their words drawn at random."""
    common = ("customer", "refund", "callback", "calm", "email", "order", "tracking", "account")
    two = ("refund timeline", "angry caller", "password reset", "tracking link", "warm transfer")
    kinds: list[Callable[[], Ask]] = [
        lambda: Ask("common word", rng.choice(common)),
        lambda: Ask("rare word", rng.choice(PRODUCTS).lower()),
        lambda: Ask("two words", rng.choice(two)),
        lambda: Ask("word + skill", rng.choice(common), rng.choice(SKILLS)),
        lambda: Ask("skill only", "", rng.choice(SKILLS)),
        lambda: Ask("no match", rng.choice(("zyxwv", "quokka", "blorptastic"))),
        lambda: Ask("prefix", rng.choice(("refu", "escal", "subscri", "warra", "apolog"))),
    ]
    return [kinds[i % len(kinds)]() for i in range(count)]


@dataclass
class Run:
    backend: str
    db: Database
    viewer: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    found: dict[str, list[int]] = field(default_factory=dict)


def one(run: Run, ask: Ask) -> tuple[float, int]:
    t0 = time.perf_counter()
    with run.db.read() as session:
        found = search_lessons(
            session,
            team_id=TEAM,
            viewer_id=run.viewer,
            words=ask.words,
            skill=ask.skill,
            limit=PAGE,
        )
        shown = len(found.lessons)
    return (time.perf_counter() - t0) * 1000, shown


def time_searches(run: Run, asks: Sequence[Ask], warmup: int) -> None:
    for ask in asks[:warmup]:
        one(run, ask)
    for ask in asks:
        ms, shown = one(run, ask)
        run.samples.setdefault(ask.kind, []).append(ms)
        run.found.setdefault(ask.kind, []).append(shown)


# --- reporting -------------------------------------------------------------------------------


def matches(db: Database, words: str) -> int:
    """How many lessons of the workspace hold the words (visible or not): the work a search
    does before its LIMIT."""
    terms = terms_of(words)
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            sql = (
                "SELECT count(*) FROM lesson_fts JOIN lesson ON lesson.id = lesson_fts.rowid"
                " WHERE lesson_fts MATCH :q AND lesson.team_id = :team"
            )
            return int(conn.execute(text(sql), {"q": terms.fts5(), "team": TEAM}).scalar_one())
        sql = (
            f"SELECT count(*) FROM lesson WHERE {PG_DOCUMENT} @@ to_tsquery('english', :q)"
            " AND lesson.team_id = :team"
        )
        return int(conn.execute(text(sql), {"q": terms.tsquery(), "team": TEAM}).scalar_one())


def plans(run: Run, asks: Sequence[Ask]) -> list[str]:
    """The plan of one search of each kind."""
    captured: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "ORDER BY" in statement:
            captured.append((statement, params))

    out: list[str] = []
    seen: set[str] = set()
    for ask in asks:
        if ask.kind in seen:
            continue
        seen.add(ask.kind)
        sqlalchemy.event.listen(run.db.engine, "before_cursor_execute", grab)
        try:
            one(run, ask)
        finally:
            sqlalchemy.event.remove(run.db.engine, "before_cursor_execute", grab)
        statement, params = captured[-1]
        with run.db.engine.connect() as conn:
            if run.db.dialect == "sqlite":
                got = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                lines = [str(r[-1]) for r in got]
            else:
                explain = "EXPLAIN (ANALYZE, BUFFERS) " + statement
                got = conn.exec_driver_sql(explain, params).all()
                keep = ("Scan", "Execution", "Sort", "Index Cond", "Recheck")
                lines = [str(r[0]).strip() for r in got if any(k in str(r[0]) for k in keep)]
        out.append(f"{ask.kind} ({ask.words!r}, skill {ask.skill}):\n    " + "\n    ".join(lines))
    return out


def report(run: Run, asks: Sequence[Ask]) -> bool:
    print(f"\n=== {run.backend}: /learned search, ms per search (one db.read() session) ===")
    print(f"{'kind':<14} {'n':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  shown (avg)")
    every: list[float] = []
    for kind, samples in run.samples.items():
        every += samples
        shown = sum(run.found[kind]) / len(run.found[kind])
        print(
            f"{kind:<14} {len(samples):>4} {percentile(samples, 0.5):>8.2f} "
            f"{percentile(samples, 0.95):>8.2f} {percentile(samples, 0.99):>8.2f} "
            f"{max(samples):>8.2f}  {shown:.1f}"
        )
    p99 = percentile(every, 0.99)
    print(
        f"{'all':<14} {len(every):>4} {percentile(every, 0.5):>8.2f} "
        f"{percentile(every, 0.95):>8.2f} {p99:>8.2f} {max(every):>8.2f}"
    )
    for words in ("customer", "refund", "order", "callback"):
        print(f"lessons holding {words!r}: {matches(run.db, words):,}")
    print("plans:")
    for plan in plans(run, asks):
        print("  - " + plan)
    met = p99 <= TARGET_MS
    print(f"target: p99 within {TARGET_MS:.0f} ms on {run.backend}: {'met' if met else 'FAIL'}")
    return met


def bench(backend: str, args: argparse.Namespace, now: datetime) -> bool | None:
    if backend == "postgres" and (problem := pg_problem()):
        print(f"\n=== {backend}: skipped: {problem} ===")
        return None
    say = lambda msg: print(f"[{backend}] {msg}", flush=True)  # noqa: E731
    with fresh_database(backend) as (loading, db_bytes):
        filled = fill(loading, args.lessons, now, args.seed)
        other = filled.lessons // 20
        say(f"filled {filled.lessons:,} lessons (+{other:,} elsewhere) in {filled.seconds:.1f} s")
        analyze(loading)
        say(f"ANALYZE done; database {db_bytes() / 2**20:,.0f} MiB")
        db = reopen(loading)
        try:
            run = Run(backend, db, filled.viewer)
            asks = searches(args.searches, random.Random(args.seed + 1))
            time_searches(run, asks, args.warmup)
            return report(run, asks)
        finally:
            db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.learning", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--lessons", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--searches", type=int, default=420, help="timed searches per database")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a small run for development")
    args = parser.parse_args(argv)
    if args.quick:
        args.lessons, args.searches, args.warmup = 5_000, 70, 7
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := [b for b in backends if b not in ("sqlite", "postgres")]:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    now = datetime.now(UTC).replace(microsecond=0)
    print(
        f"bench.learning: Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
        f"SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} CPUs; "
        f"{args.lessons:,} lessons, {args.searches} searches per database; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    verdicts = {b: bench(b, args, now) for b in backends}
    print()
    for backend, met in verdicts.items():
        shown = "skipped" if met is None else ("met" if met else "FAIL")
        print(f"target p99 within {TARGET_MS:.0f} ms, {backend}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
