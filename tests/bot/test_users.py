"""The profile cache: one users.list sweep instead of a users.info per person, when many are
missing or stale; without it (a few people, or Slack failing the sweep), users.info each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web import WebClient

from bot.sandbox.server import FakeSlack
from bot.users import UserDirectory
from storage import users as user_store
from storage.db import Database

T = "T0SANDBOX"
NOW = datetime(2026, 11, 27, 15, tzinfo=UTC)
PEOPLE = [f"UP{n:03d}" for n in range(450)]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=T) as fake:
        fake.add_user("UROBOT", "deploybot", is_bot=True)
        fake.add_user("UGONE", "gone", deleted=True)
        for uid in PEOPLE:
            fake.add_user(uid, uid.lower(), tz="Europe/Berlin")
        yield fake


def directory(slack: FakeSlack, db: Database) -> UserDirectory:
    return UserDirectory(db, WebClient(token="xoxb-sandbox", base_url=slack.base_url, timeout=5))


def test_many_unknown_people_are_read_in_one_sweep_then_from_the_cache(
    slack: FakeSlack, sqlite_db: Database
) -> None:
    people = directory(slack, sqlite_db)
    wanted = ["UROBOT", "UGONE", *PEOPLE, "UOUTSIDER"]
    found = people.people(team_id=T, user_ids=wanted, now=NOW, sweep_at=50)
    assert [c.args.get("cursor") is None for c in slack.calls("users.list")] == [True, False, False]
    # Only the one users.list did not list (another organisation's member) is asked for.
    assert [c.args["user"] for c in slack.calls("users.info")] == ["UOUTSIDER"]
    assert found["UROBOT"].is_bot and found["UGONE"].deleted and not found["UOUTSIDER"].known
    assert found["UP449"].tz == "Europe/Berlin"
    with sqlite_db.read() as s:
        assert len(user_store.cached_people(s, team_id=T, user_ids=wanted)) == len(wanted) - 1
    slack.reset()
    again = people.people(
        team_id=T, user_ids=wanted[:-1], now=NOW + timedelta(hours=1), sweep_at=50
    )
    assert again == {k: v for k, v in found.items() if k != "UOUTSIDER"}
    assert slack.calls() == []  # a day-old cache: no Slack at all


def test_a_few_unknown_people_are_looked_up_one_by_one(
    slack: FakeSlack, sqlite_db: Database
) -> None:
    directory(slack, sqlite_db).people(team_id=T, user_ids=PEOPLE[:10], now=NOW, sweep_at=50)
    assert len(slack.calls("users.info")) == 10 and slack.calls("users.list") == []


def test_when_the_sweep_fails_people_are_looked_up_one_by_one_as_before(
    slack: FakeSlack, sqlite_db: Database
) -> None:
    slack.fail_next("users.list", error="fatal_error")
    found = directory(slack, sqlite_db).people(
        team_id=T, user_ids=["UROBOT", *PEOPLE[:59]], now=NOW, sweep_at=50
    )
    assert len(found) == 60 and found["UROBOT"].is_bot
    assert len(slack.calls("users.list")) == 1 and len(slack.calls("users.info")) == 60
