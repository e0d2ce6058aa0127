"""Leaderboard and ``/kudos stats`` latency with 10k to 1M kudos of history, SQLite and PostgreSQL.

    .venv/bin/python -m bench.leaderboard [--sizes 10000,100000,1000000]
                                          [--backends sqlite,postgres] [--recent-kudos 10000]

For each backend and size it builds a fresh database (a temp file for SQLite, a throwaway
``bravo_bench_*`` database on PostgreSQL), loads a realistic two-year history straight into the
ledger *and* the rollups (bulk Core inserts on SQLite, COPY on PostgreSQL: the service is not
called per kudos), checks the rollups against the ledger, runs ANALYZE, then times the real
service functions, each call inside its own ``db.read()`` session as a Slack request would.

The last 30 days (the monthly board's window; the weekly one is inside it) hold the same
``--recent-kudos`` rows at every size, drawn from their own random stream, as ``bench.shoutouts``
does with its week; the size is the history before them. So the weekly and monthly boards read
the same volume at every size, and their largest/smallest ratio measures the history alone (it
should be about x1). All sizes stay open and are timed in the same rounds, the size order turning
round by round, so a slow spell of a shared machine does not land on one size only.

The rollups are computed here exactly as ``storage.kudos.add_kudos`` (and ``revoke``) would have
left them: a small dense history is first replayed through ``add_kudos``/``revoke`` and compared
row for row, and after each load ``totals()`` and the weekly board are checked against COUNTs over
the ledger. Any difference aborts the run.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy
from sqlalchemy import Table, event, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.kudos import rules
from bot.kudos.ids import Period
from bot.settings import DEFAULT_VALUES, KudosRules
from bot.users import Person, zone_or_utc
from storage import kudos as ledger
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    GivingStreak,
    Kudos,
    KudosRevocation,
    KudosTally,
    KudosTotal,
    SlackUser,
    UserPref,
)

PG_ADMIN_URL = os.environ.get(
    "BRAVO_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEAM = "T0BENCH001"  # the workspace every query is about
OTHER_TEAM = "T0BENCH002"  # a second, smaller workspace sharing the tables (scoping)
PEOPLE = 2_000
OTHER_PEOPLE = 200
OTHER_SHARE = 0.05  # of the gestures
SPAN_DAYS = 730  # two years of history ending at `now`
WEEKEND_WEIGHT = 0.15  # a Saturday sees 15% of a weekday's kudos
REVOKED_SHARE = 0.01  # gestures taken back (undo, or the reaction removed)
OPT_OUT_SHARE = 0.01
FLUSH_ROWS = 50_000  # ledger rows per bulk write
REPLAY_SIZE, REPLAY_DAYS = 1_000, 14  # a dense little history replayed through add_kudos
STATS = "/kudos stats (own)"
FLOOR = "(floor: SELECT 1)"
TARGET_MS = 20.0  # the weekly leaderboard at the largest size, p99
RECENT_DAYS = 30  # the monthly board's window (the weekly one is inside it)
RECENT_KUDOS = 10_000  # in those days at every history size: ~2,300 a week for 2,000 people
FLAT_RATIO = 1.2  # the weekly and monthly boards, largest/smallest history, same volume
WINDOWS = (("weekly", 7), ("monthly", 30))  # as bot.kudos.rules.PERIOD_DAYS
RULES = KudosRules()
ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
RECIPIENTS, RECIPIENTS_CUM = (1, 2, 3, 4, 5), (0.75, 0.90, 0.97, 0.99)  # names per /kudos
VALUE_WEIGHTS = (1.0, 0.6, 1.2, 1.0, 0.4, 0.8)  # popularity of DEFAULT_VALUES, in order
KUDOS_COLS = (
    "id",
    "team_id",
    "batch_id",
    "giver_id",
    "recipient_id",
    "reason",
    "values",
    "channel_id",
    "source",
    "source_ref",
    "created_at",
)
REVOCATION_COLS = ("kudos_id", "team_id", "revoked_by", "why", "revoked_at")
TALLY_COLS = ("team_id", "user_id", "value", "day", "received")  # the table's column order
TOTAL_COLS = ("team_id", "user_id", "value", "received", "given")
STREAK_COLS = ("team_id", "user_id", "last_week", "current", "best")
REASONS = tuple(
    f"{what} {why}"
    for what in (
        "for",
        "huge thanks for",
        "shout-out for",
        "really appreciated",
        "thank you for",
        "kudos for",
    )
    for why in (
        "pairing with me on the flaky checkout test until it was green",
        "the calm write-up of last night's incident",
        "jumping on the customer call at 7am",
        "reviewing my migration so carefully",
        "the onboarding doc, it saved me a day",
        "listening when I needed it",
        "untangling the billing export",
        "running the retro so well",
        "covering my on-call shift",
        "the demo, everyone loved it",
    )
)


# --- the workspaces --------------------------------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    team_id: str
    people: tuple[Person, ...]
    give_cum: tuple[float, ...]  # cumulative weights: some people give a lot more than others
    get_cum: tuple[float, ...]  # ... and some receive a lot more
    opted_out: frozenset[str]
    channels: tuple[str, ...]


@functools.cache
def zone(name: str) -> ZoneInfo:
    return zone_or_utc(name)


def make_workspace(
    rng: random.Random, team_id: str, prefix: str, size: int, channels: int
) -> Workspace:
    people = tuple(
        Person(f"U{prefix}{i:06d}", f"person-{prefix}{i}", rng.choice(ZONES)) for i in range(size)
    )
    give = [rng.lognormvariate(0, 1.0) for _ in people]
    get = [rng.lognormvariate(0, 0.8) for _ in people]
    opted = frozenset(p.user_id for p in people if rng.random() < OPT_OUT_SHARE)
    return Workspace(
        team_id=team_id,
        people=people,
        give_cum=tuple(accumulate(give)),
        get_cum=tuple(accumulate(get)),
        opted_out=opted,
        channels=tuple(f"C{prefix}{i:07d}" for i in range(channels)),
    )


def make_workspaces(seed: int) -> tuple[Workspace, Workspace]:
    rng = random.Random(f"{seed}:people")
    return (
        make_workspace(rng, TEAM, "A", PEOPLE, 60),
        make_workspace(rng, OTHER_TEAM, "B", OTHER_PEOPLE, 10),
    )


# --- the history and its rollups -------------------------------------------------------------


@dataclass
class Rollups:
    """What ``add_kudos`` and ``revoke`` leave in the rollup tables, computed in memory.

    The daily tally is handed out day by day (the history is generated in day order, so a day is
    complete once the next one starts); the all-time totals and the streaks stay small."""

    day_tally: dict[tuple[str, date, str, str], int] = field(default_factory=dict)
    total: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    streak: dict[tuple[str, str], list[Any]] = field(default_factory=dict)

    def count(self, row: tuple[Any, ...], revoked: bool) -> None:
        """Like ``storage.kudos._count``: +1 for a kudos; a revoked one is +1 then -1, which
        leaves its counter rows in place with nothing added."""
        _id, team, _batch, giver, recipient, _reason, values, *_rest, created_at = row
        n = 0 if revoked else 1
        day = created_at.date()  # created_at is UTC: the UTC day
        for value in ("", *[v for v in values.split(",") if v]):
            key = (team, day, value, recipient)
            self.day_tally[key] = self.day_tally.get(key, 0) + n
            self.total.setdefault((team, recipient, value), [0, 0])[0] += n
        self.total.setdefault((team, giver, ""), [0, 0])[1] += n

    def advance_streak(self, team: str, giver: Person, when: datetime) -> None:
        """Like ``service._advance_streak``: weeks in a row, in the giver's time zone."""
        local = when.astimezone(zone(giver.tz)).date()
        week = local - timedelta(days=local.weekday())  # service.week_of, with the zone cached
        row = self.streak.get((team, giver.user_id))
        if row is None:
            self.streak[(team, giver.user_id)] = [week, 1, 1]
        elif row[0] != week:
            row[1] = row[1] + 1 if row[0] == week - timedelta(days=7) else 1
            row[0] = week
            row[2] = max(row[2], row[1])

    def all_rows(self, tally: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
        return {
            KudosTally.__tablename__: sorted(tally),
            KudosTotal.__tablename__: sorted(self.total_rows()),
            GivingStreak.__tablename__: sorted(self.streak_rows()),
        }

    def take_tally(self) -> list[tuple[Any, ...]]:
        rows = [(t, u, v, d, n) for (t, d, v, u), n in self.day_tally.items()]
        self.day_tally = {}
        return rows

    def total_rows(self) -> list[tuple[Any, ...]]:
        return [(t, u, v, r, g) for (t, u, v), (r, g) in self.total.items()]

    def streak_rows(self) -> list[tuple[Any, ...]]:
        return [(t, u, w, c, b) for (t, u), (w, c, b) in self.streak.items()]


@dataclass
class Day:
    """One UTC day of history: ledger rows in time order, their revocations, the day's tally."""

    kudos: list[tuple[Any, ...]]
    revoked: list[tuple[Any, ...]]
    tally: list[tuple[Any, ...]]
    batches: list[tuple[Person, list[int]]]  # (giver, indexes into kudos) in time order


def day_slots(now: datetime, span_days: int) -> list[tuple[datetime, datetime, float]]:
    """(start, end, weight) of each UTC day between ``now - span_days`` and ``now``."""
    start = now - timedelta(days=span_days)
    slots = []
    day = start.date()
    while day <= now.date():
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        lo, hi = max(start, midnight), min(now, midnight + timedelta(days=1))
        if hi > lo:
            busy = 1.0 if day.weekday() < 5 else WEEKEND_WEIGHT
            slots.append((lo, hi, busy * (hi - lo).total_seconds() / 86_400))
        day += timedelta(days=1)
    return slots


@dataclass(frozen=True)
class Recent:
    """The last ``days`` UTC days of the history (today included) hold ``kudos`` rows, whatever
    the size of the history before them: the weekly and monthly boards then read the same
    volume at every history size, as ``bench.shoutouts`` does with its week."""

    days: int
    kudos: int

    def start(self, now: datetime) -> datetime:
        first = now.date() - timedelta(days=self.days - 1)
        return datetime(first.year, first.month, first.day, tzinfo=UTC)


def day_quotas(slots: Sequence[tuple[datetime, datetime, float]], total: int) -> list[int]:
    """``total`` rows spread over ``slots`` by their weights, rounding so they add up exactly."""
    weight = sum(w for *_, w in slots)
    quotas, done, cum = [], 0, 0.0
    for *_, w in slots:
        cum += w
        quota = round(total * cum / weight) - done
        done += quota
        quotas.append(quota)
    return quotas


def _pick_many(rng: random.Random, space: Workspace, k: int, not_this: str) -> list[Person]:
    chosen: dict[str, Person] = {}
    while len(chosen) < k:
        for p in rng.choices(space.people, cum_weights=space.get_cum, k=k):
            if p.user_id != not_this and len(chosen) < k:
                chosen.setdefault(p.user_id, p)
    return list(chosen.values())


def history(
    size: int,
    now: datetime,
    seed: int,
    spaces: Sequence[Workspace],
    rollups: Rollups,
    span_days: int = SPAN_DAYS,
    recent: Recent | None = None,
) -> Iterator[Day]:
    """``size`` ledger rows over two years ending at ``now``, one UTC day at a time.

    Weekdays are busier than weekends, so a week holds about 1/104 of the rows. With ``recent``,
    the last ``recent.days`` UTC days (today included) hold ``recent.kudos`` rows whatever
    ``size`` is, drawn from their own random stream (so they are the same rows at every size),
    the UTC day before them is quiet (no giver's local day then spans both parts, so the
    allowance holds), and ``size`` rows fill the days before that. A gesture is a
    /kudos command (1-2 values, sometimes several recipients sharing a batch), a modal, a message
    shortcut, or a reaction (no values, like the real app). Nobody gives more than the daily
    allowance on their local day. About 1% of gestures are taken back. Deterministic for a given
    (size, now, seed)."""
    rng = random.Random(f"{seed}:{size}:{span_days}:{now.isoformat()}")
    main, other = spaces
    slots = day_slots(now, span_days)
    start = recent.start(now) if recent else now + timedelta(days=1)
    quiet = start - timedelta(days=1)  # no local day holds kudos from both sides of this day
    older = [s for s in slots if s[0] < quiet]
    newer = [s for s in slots if s[0] >= start]
    quotas = day_quotas(older, size) + [0] * (len(slots) - len(older) - len(newer))
    quotas += day_quotas(newer, recent.kudos if recent else 0)
    next_id = 1
    used: dict[tuple[str, str, date], int] = {}  # kudos given per (team, giver, local day)
    for (lo, hi, _w), quota in zip(slots, quotas, strict=True):
        if recent and lo == start:  # the recent window: the same draws at every history size
            rng = random.Random(f"{seed}:recent:{recent.days}:{recent.kudos}:{now.isoformat()}")
            used = {}
        span = (hi - lo).total_seconds()
        gestures = []
        made = 0
        used = {key: n for key, n in used.items() if key[2] >= lo.date() - timedelta(days=1)}
        while made < quota:
            space = other if rng.random() < OTHER_SHARE else main
            when = lo + timedelta(seconds=rng.uniform(0, span))
            for _try in range(100):  # a giver with allowance left on their local day
                giver = space.people[bisect(space.give_cum, rng.random() * space.give_cum[-1])]
                today = (space.team_id, giver.user_id, when.astimezone(zone(giver.tz)).date())
                room = RULES.daily_allowance - used.get(today, 0)
                if room > 0:
                    break
            else:
                continue
            kind = rng.random()
            if kind < 0.15:
                source, k, values = "reaction", 1, ""
            else:
                source = "command" if kind < 0.85 else "modal" if kind < 0.95 else "shortcut"
                k = RECIPIENTS[bisect(RECIPIENTS_CUM, rng.random())]
                picked = rng.choices(DEFAULT_VALUES, VALUE_WEIGHTS, k=2)
                values = ",".join(dict.fromkeys(picked[: 1 if rng.random() < 0.6 else 2]))
            k = min(k, quota - made, room)
            made += k
            used[today] = used.get(today, 0) + k
            gestures.append((when, space, giver, source, k, values))
        gestures.sort(key=lambda g: g[0])
        kudos: list[tuple[Any, ...]] = []
        revoked: list[tuple[Any, ...]] = []
        batches: list[tuple[Person, list[int]]] = []
        for when, space, giver, source, k, values in gestures:
            channel = rng.choice(space.channels)
            ts = f"{when.timestamp():.6f}"
            ref = f"{channel}:{ts}" if source in ("reaction", "shortcut") else None
            if source == "reaction":
                link = f"https://bench.slack.com/archives/{channel}/p{ts.replace('.', '')}"
                reason = f"for <{link}|this message>"
            else:
                reason = rng.choice(REASONS)
            batch_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            taken_back = rng.random() < REVOKED_SHARE
            if taken_back and source == "reaction":
                why, later = "reaction_removed", timedelta(minutes=rng.uniform(1, 3 * 24 * 60))
            else:
                why, later = "undo", timedelta(minutes=rng.uniform(0.2, RULES.undo_minutes))
            members = []
            for person in _pick_many(rng, space, k, giver.user_id):
                row = (
                    next_id,
                    space.team_id,
                    batch_id,
                    giver.user_id,
                    person.user_id,
                    reason,
                    values,
                    channel,
                    source,
                    ref,
                    when,
                )
                members.append(len(kudos))
                kudos.append(row)
                rollups.count(row, taken_back)
                if taken_back:
                    revoked.append(
                        (next_id, space.team_id, giver.user_id, why, min(now, when + later))
                    )
                next_id += 1
            rollups.advance_streak(space.team_id, giver, when)
            batches.append((giver, members))
        yield Day(kudos, revoked, rollups.take_tally(), batches)


# --- loading ---------------------------------------------------------------------------------


class SqliteWriter:
    """SQLAlchemy Core ``insert()`` executemany, one transaction per flush."""

    def __init__(self, engine: Engine) -> None:
        self.conn = engine.connect()
        self.conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB, this connection only

    def write(self, table: Table, cols: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.execute(insert(table), [dict(zip(cols, r, strict=True)) for r in rows])

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


class PgWriter:
    """psycopg ``COPY ... FROM STDIN``, one transaction per flush."""

    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.pg: Any = self.raw.driver_connection

    def write(self, table: Table, cols: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in cols)
        with self.pg.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(row)

    def commit(self) -> None:
        self.pg.commit()

    def close(self) -> None:
        self.raw.close()


@dataclass
class Loaded:
    seconds: float
    kudos: int
    tally: int
    total: int


def load(
    db: Database,
    size: int,
    now: datetime,
    seed: int,
    spaces: Sequence[Workspace],
    span_days: int = SPAN_DAYS,
    recent: Recent | None = None,
) -> Loaded:
    started = time.perf_counter()
    writer: SqliteWriter | PgWriter = (
        SqliteWriter(db.engine) if db.dialect == "sqlite" else PgWriter(db.engine)
    )
    rollups = Rollups()
    kudos_t, revoked_t, tally_t = Kudos.__table__, KudosRevocation.__table__, KudosTally.__table__
    kudos: list[tuple[Any, ...]] = []
    revoked: list[tuple[Any, ...]] = []
    tally: list[tuple[Any, ...]] = []
    n_kudos = n_tally = 0

    def flush() -> None:
        writer.write(kudos_t, KUDOS_COLS, kudos)
        writer.write(revoked_t, REVOCATION_COLS, revoked)
        writer.write(tally_t, TALLY_COLS, tally)
        writer.commit()
        kudos.clear()
        revoked.clear()
        tally.clear()

    try:
        for day in history(size, now, seed, spaces, rollups, span_days, recent):
            kudos += day.kudos
            revoked += day.revoked
            tally += day.tally
            n_kudos += len(day.kudos)
            n_tally += len(day.tally)
            if len(kudos) >= FLUSH_ROWS:
                flush()
        flush()
        totals = rollups.total_rows()
        writer.write(KudosTotal.__table__, TOTAL_COLS, totals)
        writer.write(GivingStreak.__table__, STREAK_COLS, rollups.streak_rows())
        people = [(s.team_id, p) for s in spaces for p in s.people]
        writer.write(
            SlackUser.__table__,
            ("team_id", "user_id", "name", "tz", "is_bot", "deleted", "fetched_at"),
            [(t, p.user_id, p.name, p.tz, False, False, now) for t, p in people],
        )
        writer.write(
            UserPref.__table__,
            ("team_id", "user_id", "leaderboard_opt_out"),
            [(s.team_id, u, True) for s in spaces for u in sorted(s.opted_out)],
        )
        writer.commit()
    finally:
        writer.close()
    if db.dialect == "postgresql":  # ids were given explicitly: move the sequence past them
        with db.engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('kudos', 'id'), max(id)) FROM kudos")
            )
    return Loaded(time.perf_counter() - started, n_kudos, n_tally, len(totals))


def analyze(db: Database) -> float:
    """Planner statistics, then flush the load to disk so background writeback of a freshly
    written gigabyte does not land in the timings."""
    started = time.perf_counter()
    if db.dialect == "sqlite":
        raw = db.engine.raw_connection()  # autocommit (the engine issues BEGIN itself)
        try:
            sqlite: Any = raw.driver_connection
            sqlite.execute("ANALYZE")
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    else:  # VACUUM too: the visibility map a long-lived, autovacuumed database would have
        with db.engine.connect() as conn:
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            auto.exec_driver_sql("VACUUM ANALYZE")
            auto.exec_driver_sql("CHECKPOINT")
    os.sync()
    return time.perf_counter() - started


# --- checks ----------------------------------------------------------------------------------


class CheckFailed(Exception):
    pass


def _not_revoked() -> Any:
    return ~sqlalchemy.exists().where(KudosRevocation.__table__.c.kudos_id == Kudos.__table__.c.id)


def check_against_ledger(
    db: Database,
    now: datetime,
    spaces: Sequence[Workspace],
    extra: Sequence[tuple[str, str]] = (),
) -> str:
    """``totals()`` (of a sample of people, and of ``extra`` (team, user) pairs) and the weekly
    leaderboard must agree with COUNTs over the ledger."""
    k = Kudos.__table__.c
    rng = random.Random(7)
    sample = [(TEAM, p.user_id) for p in rng.sample(spaces[0].people, 6)]
    sample.append((OTHER_TEAM, rng.choice(spaces[1].people).user_id))
    sample += extra
    with db.read() as session:
        for team, user in sample:
            got = ledger.totals(session, team_id=team, user_id=user)
            live = (k.team_id == team, _not_revoked())
            given = session.execute(
                select(func.count()).where(*live, k.giver_id == user)
            ).scalar_one()
            values = session.execute(select(k["values"]).where(*live, k.recipient_id == user))
            by_value: dict[str, int] = {}
            received = 0
            for (vals,) in values:
                received += 1
                for v in filter(None, vals.split(",")):
                    by_value[v] = by_value.get(v, 0) + 1
            want = (received, given, by_value)
            if (got.received, got.given, got.by_value) != want:
                raise CheckFailed(f"totals({team}, {user}) = {got}, the ledger says {want}")
        since = now.date() - timedelta(days=6)
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        n = func.count().label("n")
        counted = session.execute(
            select(k.recipient_id, n)
            .where(k.team_id == TEAM, k.created_at >= start, _not_revoked())
            .group_by(k.recipient_id)
            .order_by(n.desc(), k.recipient_id)
            .limit(10)
        ).all()
        board = ledger.leaderboard(session, TEAM, since=since, limit=10)
        if [(b.user_id, b.count) for b in board] != [tuple(r) for r in counted]:
            raise CheckFailed(f"weekly leaderboard {board} != ledger count {counted}")
    return f"totals() of {len(sample)} people and the weekly top 10 match COUNTs over the ledger"


def check_rollup_logic(now: datetime, seed: int, spaces: Sequence[Workspace]) -> str:
    """The rollups this loader computes must be exactly what the app writes. A small, dense
    history (many people hit twice a day, streaks, revocations) is written twice: the slow way,
    through ``add_kudos``/``revoke`` and ``give_kudos``'s streak step, into an in-memory SQLite
    database; and the bench way, in memory. The three rollup tables must match row for row."""
    mine = Rollups()
    tally: list[tuple[Any, ...]] = []
    db = Database.from_url("sqlite://")
    try:
        upgrade(db.engine)
        with db.write() as session:
            for day in history(REPLAY_SIZE, now, seed, spaces, mine, REPLAY_DAYS):
                tally += day.tally
                gone = {r[0]: r for r in day.revoked}
                for giver, members in day.batches:
                    rows = [
                        Kudos(**dict(zip(KUDOS_COLS, day.kudos[i], strict=True))) for i in members
                    ]
                    ledger.add_kudos(session, rows)
                    rules._advance_streak(session, rows[0].team_id, giver, rows[0].created_at)
                    for row in rows:
                        if row.id in gone:
                            _, _, by, why, at = gone[row.id]
                            ledger.revoke(session, [row], by=by, why=why, now=at)
        with db.engine.connect() as conn:
            theirs = {
                model.__tablename__: sorted(tuple(r) for r in conn.execute(select(model.__table__)))
                for model in (KudosTally, KudosTotal, GivingStreak)
            }
    finally:
        db.dispose()
    ours = mine.all_rows(tally)
    for name, rows in theirs.items():
        if rows != ours[name]:
            missing, extra = set(rows) - set(ours[name]), set(ours[name]) - set(rows)
            raise CheckFailed(
                f"{name} differs from an add_kudos replay: {len(missing)} rows missing "
                f"(e.g. {sorted(missing)[:2]}), {len(extra)} unexpected (e.g. {sorted(extra)[:2]})"
            )
    counts = ", ".join(f"{len(rows):,} {name}" for name, rows in theirs.items())
    return (
        f"{REPLAY_SIZE:,} kudos over {REPLAY_DAYS} days through add_kudos/revoke: "
        f"rollups identical row for row ({counts})"
    )


# --- timing ----------------------------------------------------------------------------------


def queries(now: datetime, person: Person) -> list[tuple[str, Callable[[Session], Any]]]:
    def board(period: Period, value: str | None = None) -> Callable[[Session], Any]:
        return lambda s: rules.kudos_leaderboard(
            session=s, team_id=TEAM, period=period, value=value, now=now
        )

    def stats(s: Session) -> Any:
        return rules.kudos_stats(
            session=s, team_id=TEAM, person=person, viewer_id=person.user_id, rules=RULES, now=now
        )

    def floor(s: Session) -> Any:
        return s.execute(text("SELECT 1")).scalar_one()

    return [
        ("weekly leaderboard", board(Period.WEEK)),
        ("monthly leaderboard", board(Period.MONTH)),
        ("all-time leaderboard", board(Period.ALL)),
        (f"weekly, value={DEFAULT_VALUES[0]}", board(Period.WEEK, DEFAULT_VALUES[0])),
        (STATS, stats),
        (FLOOR, floor),
    ]


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def time_query(db: Database, fn: Callable[[Session], Any], reps: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        with db.read() as session:
            fn(session)
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        with db.read() as session:
            fn(session)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


@dataclass
class Plan:
    title: str
    sql: str
    params: Any
    lines: list[str]


def tally_plan(db: Database, title: str, call: Callable[[Session], Any]) -> Plan:
    """The SQL a service call sends to ``kudos_tally`` (captured as it is executed), and its plan:
    ``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL."""
    captured: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if "FROM kudos_tally" in statement:
            captured.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        with db.read() as session:
            call(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    statement, params = captured[0]
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
        else:
            explain = "EXPLAIN (ANALYZE, BUFFERS) " + statement
            lines = [r[0] for r in conn.exec_driver_sql(explain, params)]
    return Plan(title, " ".join(statement.split()), params, lines)


# --- running ---------------------------------------------------------------------------------


@dataclass
class Run:
    backend: str
    size: int
    loaded: Loaded
    analyze_s: float
    db_bytes: int
    windows: dict[str, tuple[int, int]]  # window -> (tally rows of value '', kudos received)
    samples: dict[str, list[float]]
    plans: list[Plan] = field(default_factory=list)
    db: Database | None = None  # open while its samples are taken

    @property
    def database(self) -> Database:
        assert self.db is not None, "timed after its database was closed"
        return self.db


def pg_problem() -> str | None:
    try:
        engine = sqlalchemy.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as err:  # whatever it is, there is no PostgreSQL to measure
        first = str(err).splitlines()[0][:120] if str(err) else ""
        return f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(err).__name__}: {first})"


def pg_admin(sql: str) -> None:
    admin = sqlalchemy.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(sql))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(backend: str) -> Iterator[tuple[Database, Callable[[], int]]]:
    """A migrated, empty database that is deleted afterwards; yields it and a size probe."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="bravo-bench-"))
        path = folder / "bench.db"
        db = Database.from_url(f"sqlite:///{path}")
        try:
            upgrade(db.engine)
            yield db, lambda: sum(f.stat().st_size for f in folder.iterdir())
        finally:
            db.dispose()
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"bravo_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    db = Database.from_url(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, pool_size=5)
    try:
        upgrade(db.engine)

        def size() -> int:
            with db.engine.connect() as conn:
                return int(
                    conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
                )

        yield db, size
    finally:
        db.dispose()
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reopen(db: Database) -> Database:
    """A new engine on the same database: the loader's connection settings do not carry over."""
    url = db.engine.url
    db.dispose()
    kwargs = {} if url.get_backend_name() == "sqlite" else {"pool_size": 5}
    return Database.from_url(url.render_as_string(hide_password=False), **kwargs)


def prepare(
    stack: ExitStack,
    backend: str,
    size: int,
    now: datetime,
    args: argparse.Namespace,
    spaces: Sequence[Workspace],
) -> Run:
    """A loaded, checked and analysed database of ``size`` kudos of history, open until
    ``stack`` closes (so every size can be timed in the same rounds)."""
    say = lambda msg: print(f"[{backend} {size:>9,}] {msg}", flush=True)  # noqa: E731
    loading_db, db_bytes = stack.enter_context(fresh_database(backend))
    recent = Recent(RECENT_DAYS, args.recent_kudos) if args.recent_kudos else None
    loaded = load(loading_db, size, now, args.seed, spaces, recent=recent)
    say(
        f"loaded {loaded.kudos:,} kudos ({size:,} of history"
        + (f", {recent.kudos:,} in the last {recent.days} days)" if recent else ")")
        + f", {loaded.tally:,} tally rows, {loaded.total:,} total rows in {loaded.seconds:.1f} s "
        f"({loaded.kudos / loaded.seconds:,.0f} kudos/s)"
    )
    db = reopen(loading_db)
    stack.callback(db.dispose)
    analyze_s = analyze(db)
    say(f"ANALYZE and flush in {analyze_s:.1f} s; database {db_bytes() / 2**20:,.0f} MiB")
    say("check: " + check_against_ledger(db, now, spaces))
    windows = window_sizes(db, now)
    say(
        "windows: "
        + ", ".join(f"{w} {n:,} tally rows, {k:,} kudos" for w, (n, k) in windows.items())
    )
    return Run(backend, size, loaded, analyze_s, db_bytes(), windows, {}, db=db)


def time_rounds(
    runs: Sequence[Run],
    calls: Sequence[tuple[str, Callable[[Session], Any]]],
    reps: int,
    warmup: int,
) -> None:
    """Each query at every size in the same rounds (the size order turning round by round), so
    a slow spell of a shared machine lands on all sizes alike rather than on one of them."""
    for run in runs:
        for _label, fn in calls:
            time_query(run.database, fn, 0, warmup)
    for run in runs:
        run.samples = {label: [] for label, _fn in calls}
    for rep in range(reps):
        order = list(runs[rep % len(runs) :]) + list(runs[: rep % len(runs)])
        for label, fn in calls:
            for run in order:
                run.samples[label] += time_query(run.database, fn, 1, 0)


def run_backend(
    backend: str,
    sizes: Sequence[int],
    now: datetime,
    args: argparse.Namespace,
    spaces: Sequence[Workspace],
) -> list[Run]:
    with ExitStack() as stack:
        runs = [prepare(stack, backend, size, now, args, spaces) for size in sizes]
        calls = queries(now, busiest_giver(spaces[0]))
        time_rounds(runs, calls, args.reps, args.warmup)
        for run in runs:
            for label, ms in run.samples.items():
                p50, p99 = percentile(ms, 0.5), percentile(ms, 0.99)
                print(
                    f"[{backend} {run.size:>9,}] {label:<28} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms",
                    flush=True,
                )
        last = runs[-1]
        last.plans = [
            tally_plan(last.database, title, dict(calls)[label])
            for title, label in (
                ("weekly leaderboard", "weekly leaderboard"),
                ("monthly leaderboard", "monthly leaderboard"),
                ("/kudos stats: received_since", STATS),
            )
        ]
        for run in runs:
            run.db = None
        return runs


def window_sizes(db: Database, now: datetime) -> dict[str, tuple[int, int]]:
    """What the weekly and monthly boards of ``TEAM`` read: tally rows (value '') and kudos."""
    tally = KudosTally.__table__.c
    out = {}
    with db.read() as session:
        for name, days in WINDOWS:
            since = now.date() - timedelta(days=days - 1)
            rows, kudos = session.execute(
                select(func.count(), func.coalesce(func.sum(tally.received), 0)).where(
                    tally.team_id == TEAM, tally.value == "", tally.day >= since
                )
            ).one()
            out[name] = (int(rows), int(kudos))
    return out


def busiest_giver(space: Workspace) -> Person:
    """Whose ``/kudos stats`` is timed: the person who gives the most (and so has a streak)."""
    weights = [b - a for a, b in zip((0.0, *space.give_cum[:-1]), space.give_cum, strict=True)]
    return space.people[weights.index(max(weights))]


def fmt_size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def report(backend: str, runs: list[Run], sizes: list[int]) -> None:
    by_size = {r.size: r for r in runs}
    print(
        f"\n=== {backend}: latency in ms over {len(runs[0].samples[next(iter(runs[0].samples))])} "
        "calls, each in its own db.read() session ==="
    )
    for r in runs:
        seen = "; ".join(f"{w} {n:,} rows / {k:,} kudos" for w, (n, k) in r.windows.items())
        print(
            f"  {fmt_size(r.size):>5} history: {r.loaded.kudos:,} kudos, load "
            f"{r.loaded.seconds:6.1f} s, ANALYZE+flush {r.analyze_s:5.1f} s, "
            f"{r.db_bytes / 2**20:7,.0f} MiB; kudos_tally {r.loaded.tally:,} rows, in the "
            f"windows (value ''): {seen}"
        )
    first, last = sizes[0], sizes[-1]
    head = f"  {'query':<26}" + "".join(
        f"{fmt_size(s) + ' p50':>10}{fmt_size(s) + ' p99':>10}" for s in sizes
    )
    if len(sizes) > 1:
        head += f"{fmt_size(last) + '/' + fmt_size(first) + ' p50':>16}{'p99':>7}"
    print(head)
    for label in runs[0].samples:
        line = f"  {label:<26}"
        for s in sizes:
            ms = by_size[s].samples[label]
            line += f"{percentile(ms, 0.5):10.2f}{percentile(ms, 0.99):10.2f}"
        if len(sizes) > 1:
            a, b = by_size[first].samples[label], by_size[last].samples[label]
            r50 = percentile(b, 0.5) / percentile(a, 0.5)
            r99 = percentile(b, 0.99) / percentile(a, 0.99)
            line += f"{'x' + format(r50, '.2f'):>16}{'x' + format(r99, '.2f'):>7}"
        print(line)
    week = by_size[last].samples["weekly leaderboard"]
    p99 = percentile(week, 0.99)
    verdict = "met" if p99 < TARGET_MS else "MISSED"
    print(
        f"  target: weekly leaderboard at {fmt_size(last)} kudos under {TARGET_MS:.0f} ms: "
        f"p99 {p99:.2f} ms, {verdict}"
    )
    if len(sizes) > 1 and runs[0].windows == runs[-1].windows:
        for label in ("weekly leaderboard", "monthly leaderboard"):
            a, b = by_size[first].samples[label], by_size[last].samples[label]
            r50, r90, r99 = (percentile(b, q) / percentile(a, q) for q in (0.5, 0.9, 0.99))
            verdict = "met" if max(r50, r99) <= FLAT_RATIO else "MISSED"
            print(
                f"  target: {label} {fmt_size(last)}/{fmt_size(first)} within x{FLAT_RATIO} "
                f"(same window volume): p50 x{r50:.2f}, p90 x{r90:.2f}, p99 x{r99:.2f}, {verdict}"
            )
        a, b = by_size[first].samples[FLOOR], by_size[last].samples[FLOOR]
        print(
            f"  noise gauge: {FLOOR} cannot depend on history; its {fmt_size(last)}/"
            f"{fmt_size(first)} p99 is x{percentile(b, 0.99) / percentile(a, 0.99):.2f}"
        )
    kind = "EXPLAIN QUERY PLAN" if backend == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS)"
    for plan in by_size[last].plans:
        print(f"\n  {plan.title} at {fmt_size(last)}, {kind}:")
        print(f"    {plan.sql}\n      params: {plan.params}")
        print("    " + "\n    ".join(plan.lines))
        index = "ix_kudos_tally_board"
        if "weekly" in plan.title:
            used = "uses" if index in "\n".join(plan.lines) else "does NOT use"
            print(f"    -> {used} {index}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.leaderboard", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help=f"kudos rows of history before the last {RECENT_DAYS} days, comma-separated",
    )
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--reps", type=int, default=1000, help="timed calls per query")
    parser.add_argument("--warmup", type=int, default=20, help="untimed calls before those")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--recent-kudos",
        type=int,
        default=RECENT_KUDOS,
        help=f"kudos in the last {RECENT_DAYS} days at every size (0: spread like the rest)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if unknown := [b for b in backends if b not in ("sqlite", "postgres")]:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    now = datetime.now(UTC).replace(microsecond=0)
    spaces = make_workspaces(args.seed)
    print(
        f"bench.leaderboard: Python {platform.python_version()}, SQLAlchemy "
        f"{sqlalchemy.__version__}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"{os.cpu_count()} CPUs; now={now:%Y-%m-%d %H:%M}Z, seed {args.seed}"
    )
    print(
        f"workspace {TEAM}: {PEOPLE:,} people ({len(spaces[0].opted_out)} opted out of "
        f"leaderboards); {OTHER_TEAM}: {OTHER_PEOPLE} people, ~{OTHER_SHARE:.0%} of kudos; "
        f"{SPAN_DAYS} days of history"
        + (
            f", the last {RECENT_DAYS} holding {args.recent_kudos:,} kudos at every size"
            if args.recent_kudos
            else ""
        )
    )
    try:
        print("check: " + check_rollup_logic(now, args.seed, spaces), flush=True)
    except CheckFailed as err:
        print(f"self-check FAILED, aborting: {err}", file=sys.stderr)
        return 1
    results: dict[str, list[Run] | str] = {}
    for backend in backends:
        if backend == "postgres" and (problem := pg_problem()):
            results[backend] = f"skipped: {problem}"
            print(f"[{backend}] skipped: {problem}", flush=True)
            continue
        try:
            runs = run_backend(backend, sizes, now, args, spaces)
        except CheckFailed as err:
            print(f"[{backend}] self-check FAILED, aborting: {err}", file=sys.stderr)
            return 1
        results[backend] = runs
    for backend, outcome in results.items():
        if isinstance(outcome, str):
            print(f"\n=== {backend}: {outcome} ===")
        else:
            report(backend, outcome, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
