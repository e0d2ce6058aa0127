"""Events API bookkeeping: a retried delivery has one effect; handled ids are forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from bot.events import first_delivery, forget_old_events
from storage.db import Database
from storage.models import ProcessedEvent


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
