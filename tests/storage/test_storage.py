"""Storage: migrations match the models, concurrent writers lose nothing, rows are team-scoped."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import func, select

from bot.events import first_delivery, forget_old_events
from bot.kudos import errors as kudos_errors
from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.users import Person
from storage.db import Database, FairLock
from storage.migrate import current, metadata
from storage.models import Kudos, KudosTotal, ProcessedEvent


def test_migrations_create_exactly_the_models(db: Database) -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert current(db.engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata())
    assert diff == []


def test_sqlite_is_tuned_for_threads(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000


def test_concurrent_givers_never_exceed_the_allowance_or_lose_counts(db: Database) -> None:
    """16 threads, each trying to give the same giver's kudos: exactly the allowance lands and
    the rollups agree with the ledger (read-then-write under BEGIN IMMEDIATE / advisory lock)."""
    rules = KudosRules(daily_allowance=5)
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    giver = Person("UANA", tz="UTC")
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        try:
            with db.write() as s:
                kudos.give_kudos(
                    session=s,
                    team_id="T1",
                    giver=giver,
                    recipients=[Person(f"UR{i}", tz="UTC")],
                    reason="thanks",
                    values=(),
                    channel_id="C1",
                    source="command",
                    rules=rules,
                    now=now + timedelta(milliseconds=i),
                )
            result = "ok"
        except kudos_errors.AllowanceExceededError:
            result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 5 + ["refused"] * 11
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(Kudos)).one() == 5
        given = s.get(KudosTotal, ("T1", "UANA", ""))
        assert given is not None and given.given == 5


def test_concurrent_tally_updates_are_not_lost(db: Database) -> None:
    rules = KudosRules(daily_allowance=100)
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    ben = Person("UBEN", tz="UTC")

    def attempt(i: int) -> None:
        with db.write() as s:
            kudos.give_kudos(
                session=s,
                team_id="T1",
                giver=Person(f"UG{i}", tz="UTC"),
                recipients=[ben],
                reason="thanks",
                values=("empathy",),
                channel_id="C1",
                source="command",
                rules=rules,
                now=now,
            )

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.read() as s:
        total = s.get(KudosTotal, ("T1", "UBEN", ""))
        empathy = s.get(KudosTotal, ("T1", "UBEN", "empathy"))
    assert total is not None and empathy is not None
    assert (total.received, empathy.received) == (16, 16)


def test_event_ids_are_claimed_once_and_forgotten_after_a_day(db: Database) -> None:
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    with db.write() as s:
        assert first_delivery(session=s, team_id="T1", event_id="Ev1", now=now)
    with db.write() as s:
        assert not first_delivery(session=s, team_id="T1", event_id="Ev1", now=now)
    with db.write() as s:
        assert forget_old_events(session=s, now=now + timedelta(hours=2)) == 0
        assert forget_old_events(session=s, now=now + timedelta(hours=25)) == 1
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(ProcessedEvent)).one() == 0


def test_a_failed_transaction_leaves_nothing_half_written(db: Database) -> None:
    now = datetime(2026, 11, 23, 15, tzinfo=UTC)
    try:
        with db.write() as s:
            kudos.give_kudos(
                session=s,
                team_id="T1",
                giver=Person("UANA"),
                recipients=[Person("UBEN")],
                reason="x",
                values=(),
                channel_id="C1",
                source="command",
                rules=KudosRules(),
                now=now,
            )
            raise RuntimeError("crash after the write, before commit")
    except RuntimeError:
        pass
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(Kudos)).one() == 0
        assert s.exec(select(func.count()).select_from(KudosTotal)).one() == 0


def test_sqlite_writers_of_one_process_take_turns_in_arrival_order() -> None:
    lock = FairLock()
    order: list[int] = []

    def take(n: int) -> None:
        with lock.held():
            order.append(n)

    with lock.held():
        with lock.held():  # re-entrant for the thread that holds it
            pass
        waiters = []
        for n in range(5):
            waiters.append(threading.Thread(target=take, args=(n,)))
            waiters[-1].start()
            deadline = time.monotonic() + 5
            while lock._next_ticket < n + 2 and time.monotonic() < deadline:
                time.sleep(0.001)  # each one queued before the next arrives
    for t in waiters:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]
