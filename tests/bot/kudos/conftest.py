"""Kudos use cases need ``Deps``: the real ones, against the fake Slack (no HTTP server, no app)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.deps import Deps, build_deps
from bot.sandbox.server import FakeSlack
from bot.settings import load_settings
from storage.db import Database

TEAM = "T0KUDOS"
CHANNEL = "C0KUDOS"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    fake.start()
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    fake.add_user("UANA", "ana", tz="America/New_York")
    fake.add_user("UBEN", "ben", tz="Europe/Berlin")
    fake.add_user("UCY", "cy", tz="Asia/Tokyo")
    fake.add_channel(CHANNEL, "kudos", members=("UBRAVO", "UANA", "UBEN", "UCY"))
    yield fake
    fake.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deps(slack: FakeSlack, db: Database, clock: Clock) -> Iterator[Deps]:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": slack.base_url,
        }
    )
    built = build_deps(settings, db, clock=clock)
    yield built
    built.work.shutdown(wait=True)
