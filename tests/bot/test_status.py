"""Away means away: which Slack statuses say a person is off, how Bravo remembers the status it
is told (events, and the profiles that come with users.info and users.list), and who is away
among many people in one query."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web import WebClient
from sqlalchemy import event

from bot.sandbox.server import FakeSlack
from bot.status import (
    MAX_STATUS,
    Status,
    away_at,
    looks_away,
    status_changed,
    status_from_profile,
)
from bot.users import UserDirectory
from storage import users as user_store
from storage.db import Database
from storage.models import SlackUser

T = "T0SANDBOX"
NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


# Which statuses say away ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "emoji"),
    [
        ("Vacationing", ":palm_tree:"),  # Slack's own suggestion
        ("Out sick", ":face_with_thermometer:"),  # Slack's own suggestion
        ("", ":palm_tree:"),
        ("", ":desert_island:"),
        ("", ":face_with_thermometer:"),
        ("On vacation until Monday", ""),
        ("OOO", ""),
        ("ooo till the 4th", ""),
        ("Out of office", ""),
        ("Out of the office", ""),
        ("PTO", ""),
        ("sick", ""),
        ("Off sick today", ""),
        ("On holiday", ""),
        ("Parental leave", ""),
        ("Day off", ""),
        ("En congé", ""),
        ("Congés jusqu'au 3", ""),
        ("Im Urlaub", ""),
        ("Krank", ""),
        ("De vacaciones", ""),
        ("  ", " :PALM_TREE: "),  # any case, stray spaces
    ],
)
def test_time_off_in_words_or_emoji_is_away(text: str, emoji: str) -> None:
    assert looks_away(text, emoji)
    assert Status(text, emoji, None).away


@pytest.mark.parametrize(
    ("text", "emoji"),
    [
        ("In a meeting", ":spiral_calendar_pad:"),  # Slack's own suggestion
        ("Commuting", ":bus:"),  # Slack's own suggestion
        ("Working remotely", ":house_with_garden:"),
        ("Focus time", ":no_entry:"),  # do not disturb is not time off
        ("Flying to the Lisbon office", ":airplane:"),  # travelling for work
        ("sick of this bug", ""),  # a mood, not a sick day
        ("Sick of  waiting for CI", ""),
        ("Booking my vacationland tickets", ""),  # words inside words do not count
        ("on the phone with a customer", ""),
        ("Escalations", ":rotating_light:"),
        ("", ""),  # no status at all
    ],
)
def test_a_working_status_is_not_away(text: str, emoji: str) -> None:
    assert not looks_away(text, emoji)


def test_a_profile_gives_its_status_clipped_and_its_expiry() -> None:
    expires = int((NOW + timedelta(days=3)).timestamp())
    status = status_from_profile(
        {
            "status_text": "OOO " + "x" * 50_000,
            "status_emoji": ":palm_tree:",
            "status_expiration": expires,
        }
    )
    assert len(status.text) == MAX_STATUS and status.emoji == ":palm_tree:" and status.away
    assert status.expires_at == NOW + timedelta(days=3)
    assert status_from_profile({"status_expiration": 0}).expires_at is None  # 0: no expiry
    assert status_from_profile({"status_expiration": True}).expires_at is None
    assert status_from_profile({"status_expiration": "soon"}).expires_at is None
    assert status_from_profile({"status_expiration": 10**20}).expires_at is None  # nonsense
    assert status_from_profile({"status_text": None}) == Status("", "", None)


def test_an_expired_status_is_not_away_any_more() -> None:
    assert away_at(True, None, NOW)  # no expiry: away until it changes
    assert away_at(True, NOW + timedelta(seconds=1), NOW)
    assert not away_at(True, NOW, NOW)
    assert not away_at(True, NOW - timedelta(hours=1), NOW)
    assert not away_at(False, None, NOW)


# Remembered, and asked about in one query ------------------------------------------------------


def known(db: Database, *user_ids: str) -> None:
    with db.write() as s:
        for uid in user_ids:
            user_store.remember_person(
                s, team_id=T, user_id=uid, name=uid.lower(), tz="UTC", is_bot=False,
                deleted=False, now=NOW,
            )  # fmt: skip


def remember(db: Database, user_id: str, text: str, emoji: str = "", **kw: Any) -> None:
    status = Status(text, emoji, kw.get("expires_at"))
    with db.write() as s:
        user_store.remember_status(
            s,
            team_id=kw.get("team_id", T),
            user_id=user_id,
            away=status.away,
            text=status.text,
            emoji=status.emoji,
            expires_at=status.expires_at,
            now=NOW,
        )


def away(db: Database, user_ids: list[str], at: datetime = NOW, team_id: str = T) -> set[str]:
    with db.read() as s:
        return user_store.away_among(s, team_id=team_id, user_ids=user_ids, now=at)


def test_who_is_away_among_many_is_one_query(db: Database) -> None:
    people = [f"U{n:03d}" for n in range(40)]
    known(db, *people)
    remember(db, "U001", "Vacationing", ":palm_tree:")
    remember(db, "U002", "Out sick", expires_at=NOW + timedelta(days=1))
    remember(db, "U003", "OOO", expires_at=NOW - timedelta(minutes=1))  # over
    remember(db, "U004", "In a meeting", ":spiral_calendar_pad:")
    remember(db, "U005", "Vacationing", ":palm_tree:", team_id="TOTHER")  # another workspace
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = away(db, people)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert found == {"U001", "U002"}
    assert len([s for s in statements if "slack_user" in s]) == 1
    assert away(db, people, at=NOW + timedelta(days=2)) == {"U001"}  # U002's expiry passed
    assert away(db, []) == set()
    assert away(db, ["U005"], team_id="TOTHER") == {"U005"} and away(db, ["U005"]) == set()


def test_a_cleared_status_is_back_and_a_status_never_seen_is_not_away(db: Database) -> None:
    known(db, "UANA", "UBEN")
    remember(db, "UANA", "Out of office", ":palm_tree:")
    assert away(db, ["UANA", "UBEN", "UNEVER"]) == {"UANA"}
    remember(db, "UANA", "", "")  # cleared
    assert away(db, ["UANA"]) == set()
    with db.read() as s:
        row = s.get(SlackUser, (T, "UANA"))
        assert row is not None and row.status_text == "" and row.status_seen_at is not None
        assert row.name == "uana"  # the rest of the profile stays


def test_remembering_a_status_of_someone_not_cached_makes_a_row_to_refresh(db: Database) -> None:
    remember(db, "UNEW", "OOO")
    with db.read() as s:
        row = s.get(SlackUser, (T, "UNEW"))
        assert row is not None and row.status_away and row.fetched_at < NOW - timedelta(days=365)


# The use case behind user_status_changed and user_change ----------------------------------------


def test_a_status_change_is_remembered_for_a_person_bravo_knows(db: Database) -> None:
    known(db, "UANA")
    user = {"id": "UANA", "profile": {"status_text": "Vacationing", "status_emoji": ":palm_tree:"}}
    assert status_changed(db, team_id=T, user=user, now=NOW)
    assert away(db, ["UANA"]) == {"UANA"}
    back = {"id": "UANA", "profile": {"status_text": "", "status_emoji": ""}}
    assert status_changed(db, team_id=T, user=back, now=NOW + timedelta(days=7))
    assert away(db, ["UANA"], at=NOW + timedelta(days=7)) == set()


def test_the_status_of_someone_bravo_never_looked_up_is_not_kept(db: Database) -> None:
    user = {"id": "USTRANGER", "profile": {"status_text": "Out sick"}}
    assert not status_changed(db, team_id=T, user=user, now=NOW)
    with db.read() as s:
        assert s.get(SlackUser, (T, "USTRANGER")) is None


@pytest.mark.parametrize(
    ("team_id", "user"),
    [
        (None, {"id": "UANA", "profile": {"status_text": "OOO"}}),
        (T, None),
        (T, "UANA"),  # an id where Slack sends the user object
        (T, {"profile": {"status_text": "OOO"}}),
        (T, {"id": 42, "profile": {"status_text": "OOO"}}),
        (T, {"id": "U" * 40, "profile": {"status_text": "OOO"}}),  # longer than any Slack id
        (T, {"id": "UANA'; --", "profile": {"status_text": "OOO"}}),
        (T, {"id": "UANA", "profile": "OOO"}),
        (T, {"id": "UANA"}),  # no profile: says nothing of a status
    ],
)
def test_a_malformed_status_event_changes_nothing(db: Database, team_id: Any, user: Any) -> None:
    known(db, "UANA")
    remember(db, "UANA", "Vacationing", ":palm_tree:")
    assert not status_changed(db, team_id=team_id, user=user, now=NOW)
    assert away(db, ["UANA"]) == {"UANA"}


# From the lookups Bravo already makes ---------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=T) as fake:
        fake.add_user("UANA", "ana")
        fake.add_user("UBEN", "ben")
        yield fake


def directory(slack: FakeSlack, db: Database) -> UserDirectory:
    return UserDirectory(db, WebClient(token="xoxb-sandbox", base_url=slack.base_url, timeout=5))


def test_users_info_brings_the_status_with_it_no_call_of_its_own(
    slack: FakeSlack, db: Database
) -> None:
    # The fake clears a status at its expiry by the wall clock, as Slack does.
    expires = datetime.fromtimestamp(int(time.time()) + 2 * 86400, UTC)
    slack.set_status("UANA", "Out sick", ":face_with_thermometer:", int(expires.timestamp()))
    people = directory(slack, db).people(team_id=T, user_ids=["UANA", "UBEN"], now=NOW)
    assert people["UANA"].status is not None and people["UANA"].status.away
    assert away(db, ["UANA", "UBEN"]) == {"UANA"}
    assert away(db, ["UANA"], at=expires) == set()  # over at its expiry
    assert [c.method for c in slack.calls()] == ["users.info", "users.info"]
    # A day later the refresh finds the status cleared.
    slack.set_status("UANA")
    directory(slack, db).people(team_id=T, user_ids=["UANA"], now=NOW + timedelta(days=1))
    assert away(db, ["UANA"], at=NOW + timedelta(days=1)) == set()


def test_a_users_list_sweep_keeps_everyones_status(slack: FakeSlack, db: Database) -> None:
    slack.set_status("UBEN", "Vacationing", ":palm_tree:")
    found = directory(slack, db).sweep(team_id=T, wanted={"UANA", "UBEN"}, now=NOW)
    assert set(found) == {"UANA", "UBEN"}
    assert away(db, ["UANA", "UBEN"]) == {"UBEN"}


def test_the_fake_slack_answers_users_profile_get_with_the_status(slack: FakeSlack) -> None:
    slack.set_status("UANA", "OOO", ":palm_tree:")
    client = WebClient(token="xoxb-sandbox", base_url=slack.base_url, timeout=5)
    profile = client.users_profile_get(user="UANA")["profile"]
    assert (profile["status_text"], profile["status_emoji"]) == ("OOO", ":palm_tree:")
    assert profile["status_expiration"] == 0
    ben = client.users_info(user="UBEN")["user"]["profile"]
    assert (ben["status_text"], ben["status_emoji"]) == ("", "")
