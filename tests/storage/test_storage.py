"""Storage: migrations match the models, SQLite is tuned for threads, a failed transaction
leaves nothing half written, writers of one process take turns."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import func, select

from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.users import Person
from storage.db import Database, FairLock
from storage.migrate import current, metadata
from storage.models import Kudos, KudosTotal


def test_migrations_create_exactly_the_models(db: Database) -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config, include_name

    assert current(db.engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, metadata())
    assert diff == []


def test_sqlite_is_tuned_for_threads(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000


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
