"""Workspaces that uninstall Bravo and people who leave: sends stop for that workspace only, its
data goes after the retention period, and people who left are erased when the workspace chose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.deps import Deps
from bot.privacy import jobs, service
from bot.sandbox.server import FakeSlack
from storage.db import Database
from storage.models import Kudos, OutboxRow, OutboxStatus, SlackUser, WorkspaceConfig
from tests.bot.privacy.seed import ANA, AT, BEN, T, outbox, seed
from tests.db_scan import every_value
from tests.handlers.conftest import CHANNEL, deps_alone

OTHER = "T0OTHER"


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    seed(db)
    seed(db, OTHER)
    yield from deps_alone(slack, db)


def queue(deps: Deps, team: str, text: str) -> None:
    with deps.db.write() as s:
        s.add(outbox(team, CHANNEL, text, deps.clock()))


def posted(slack: FakeSlack) -> list[str]:
    return [c.args["text"] for c in slack.calls("chat.postMessage", ok=True)]


def test_an_uninstall_stops_every_send_of_that_workspace_only(deps: Deps, slack: FakeSlack) -> None:
    with deps.db.write() as s:  # the seeds' own rows are not what this test is about
        for row in s.exec(select(OutboxRow)).all():
            s.delete(row)
    queue(deps, T, "queued before the uninstall")
    queue(deps, OTHER, "the other workspace's first")
    assert service.uninstalled(deps, T) == 1
    assert service.uninstalled(deps, T) == 0  # a second event changes nothing
    queue(deps, T, "queued after the uninstall, by a job")
    queue(deps, OTHER, "the other workspace's second")
    deps.deliverer.drain()
    assert posted(slack) == ["the other workspace's first", "the other workspace's second"]
    with deps.db.read() as s:
        config = s.get(WorkspaceConfig, T)
        assert config is not None and config.uninstalled_at is not None
        statuses = {
            r.payload: r.status for r in s.exec(select(OutboxRow).where(OutboxRow.team_id == T))
        }
    assert sorted(statuses.values()) == [OutboxStatus.CANCELLED, OutboxStatus.PENDING]


def test_uninstall_creates_the_config_row_of_a_workspace_that_had_none(deps: Deps) -> None:
    service.uninstalled(deps, "T0NEW")
    with deps.db.read() as s:
        config = s.get(WorkspaceConfig, "T0NEW")
        assert config is not None and config.uninstalled_at == deps.clock()


def test_the_data_goes_after_the_retention_period_and_only_that_workspaces(deps: Deps) -> None:
    service.uninstalled(deps, T)
    kept_other = sorted((t, c, str(v)) for t, c, v in every_value(deps.db) if OTHER in str(v))
    assert not jobs.purge_uninstalled(deps, deps.clock() + timedelta(days=29))  # not yet
    done = jobs.purge_uninstalled(deps, deps.clock() + timedelta(days=30, seconds=1))
    assert done["workspaces"] == 1 and done["rows"] > 20
    with deps.db.read() as s:
        assert s.exec(select(func.count()).select_from(Kudos).where(Kudos.team_id == T)).one() == 0
        assert s.exec(select(func.count()).select_from(Kudos).where(Kudos.team_id == OTHER)).one()
        config = s.get(WorkspaceConfig, T)
        assert config is not None and config.uninstalled_at is not None  # still stopped
        assert config.admins_csv is None
    assert [(t, c) for t, c, v in every_value(deps.db) if v == T] == [
        ("workspace_config", "team_id")
    ]
    assert (
        sorted((t, c, str(v)) for t, c, v in every_value(deps.db) if OTHER in str(v)) == kept_other
    )
    assert not jobs.purge_uninstalled(deps, deps.clock() + timedelta(days=31))  # once


def test_people_who_left_are_noted_and_erased_after_the_chosen_days(deps: Deps) -> None:
    service.account_changed(deps, T, {"id": ANA, "deleted": True})
    with deps.db.read() as s:
        row = s.get(SlackUser, (T, ANA))
        assert row is not None and row.departed_at == deps.clock()
    later = deps.clock() + timedelta(days=3)
    deps.clock.at = later  # type: ignore[attr-defined]
    assert not service.account_changed(deps, T, {"id": ANA, "deleted": True})  # first time only
    service.account_changed(deps, T, {"id": BEN, "deleted": True})
    service.account_changed(deps, T, {"id": BEN, "deleted": False})  # back: not departed
    assert not jobs.erase_departed(deps, later + timedelta(days=30))  # off by default
    with deps.db.write() as s:
        config = s.get(WorkspaceConfig, T)
        assert config is not None
        config.erase_departed_after_days = 5
        s.add(config)
    assert not jobs.erase_departed(deps, AT + timedelta(days=4))
    assert jobs.erase_departed(deps, later + timedelta(days=3)) == {"erased": 1}
    with deps.db.read() as s:
        received = {
            (k.team_id, k.recipient_id)
            for k in s.exec(select(Kudos).where(Kudos.recipient_id.in_([ANA, BEN])))  # type: ignore[attr-defined]
        }
    assert received == {(T, BEN), (OTHER, ANA), (OTHER, BEN)}  # Ana erased in T alone
