"""The use cases on SQLite and PostgreSQL: the last score and the deadline job racing reveal a
round once, and the same command delivered twice opens one round."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.calibration import service
from bot.calibration.errors import RoundClosedError
from bot.calibration.parse import OpenRound
from bot.deps import Deps
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import Calibration, OutboxRow, ShoutoutChannel
from tests.handlers.conftest import deps_alone

T = "T0SANDBOX"
LEAD, BEN, CY = "UANA", "UBEN", "UCY"


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    for built in deps_alone(slack, db):
        now = built.clock()
        with db.write() as s:
            s.add(
                ShoutoutChannel(
                    team_id=T,
                    channel_id="C0KUDOS",
                    enabled_by=LEAD,
                    creator_id=LEAD,
                    since=now,
                    updated_at=now,
                )
            )
        yield built


def card(deps: Deps) -> dict:
    return {
        f"sc_score:{skill}": {"input": {"selected_option": {"value": "3"}}}
        for skill in deps.config(T).kudos.values
    }


def test_the_last_score_and_the_deadline_job_reveal_once(deps: Deps) -> None:
    asked = OpenRound("https://help.example.com/t/1", (BEN, CY))
    opened = service.open_round(deps, team_id=T, lead_id=LEAD, asked=asked, request_key="k")
    round_id = opened.round.id or 0
    service.submit_scores(deps, team_id=T, round_id=round_id, reviewer_id=BEN, values=card(deps))
    late = opened.round.deadline_at + timedelta(minutes=1)
    reveals: list[str] = []
    start = threading.Barrier(4)

    def job() -> None:
        start.wait()
        reveals.append(service.reveal_due(deps, team_id=T, round_id=round_id, at=late, send=True))

    def last_score() -> None:
        start.wait()
        try:
            done = service.submit_scores(
                deps, team_id=T, round_id=round_id, reviewer_id=CY, values=card(deps)
            )
        except RoundClosedError:
            return
        assert isinstance(done, service.Scored)
        if done.revealed is not None:
            reveals.append("revealed")

    threads = [threading.Thread(target=job) for _ in range(3)] + [
        threading.Thread(target=last_score)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert reveals.count("revealed") == 1
    with deps.db.read() as s:
        assert s.get(Calibration, round_id).status == "revealed"  # type: ignore[union-attr]
        sent = s.exec(select(OutboxRow).where(OutboxRow.kind == "calibration_reveal")).all()
    assert sorted(r.dedupe_key or "" for r in sent) == sorted(
        f"calreveal:{T}:{round_id}:{u}" for u in (BEN, CY, LEAD)
    )
