"""A team is its people: bots, Bravo itself and deactivated accounts in the channel are not
counted as members (one rule, ``bot.users.is_teammate``)."""

from __future__ import annotations

from sqlmodel import select

from bot.users import Person, is_teammate
from storage.models import ShoutoutMember
from tests.handlers.bravo_flow import bravo_cmd
from tests.handlers.conftest import Bravo

TEAM_CHANNEL = "C0TEAM"


def test_turning_shoutouts_on_counts_only_people(bravo: Bravo) -> None:
    bravo.slack.add_user("UDEE", "dee")
    bravo.slack.add_user("UEVE", "eve")
    members = ("UBRAVO", "UROBOT", "UGONE", "UANA", "UBEN", "UCY", "UDEE", "UEVE")
    bravo.slack.add_channel(TEAM_CHANNEL, "team", members=members, creator="UANA")
    text = bravo_cmd(bravo, "shoutouts on friday 16:00 Europe/Berlin", channel=TEAM_CHANNEL)
    assert "The team is the channel's 5 members" in text, text
    with bravo.deps.db.read() as s:
        stored = sorted(m.user_id for m in s.exec(select(ShoutoutMember)).all())
    assert stored == ["UANA", "UBEN", "UCY", "UDEE", "UEVE"]


def test_is_teammate() -> None:
    assert is_teammate(Person("UANA"))
    assert not is_teammate(Person("UBRAVO", is_bot=True))
    assert not is_teammate(Person("UGONE", deleted=True))
    assert not is_teammate(Person("UNOPE", known=False))
