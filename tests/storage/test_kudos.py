"""The kudos ledger under concurrent writers: the allowance holds and the rollups lose nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from bot.kudos import errors as kudos_errors
from bot.kudos import rules as kudos
from bot.settings import KudosRules
from bot.users import Person
from storage.db import Database
from storage.models import Kudos, KudosTotal


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
