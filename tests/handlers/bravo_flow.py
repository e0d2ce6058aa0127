"""What the /bravo flow tests share: commands over signed HTTP and their replies, kudos given as
of a time, and what the fake Slack was asked to post."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.kudos import rules as kudos
from bot.sandbox.server import Call
from bot.settings import KudosRules
from bot.users import Person
from tests.handlers.conftest import CHANNEL, Bravo

T = "T0SANDBOX"
# The fixture clock is Monday 2026-11-23 15:00 UTC. Friday 16:00 in Berlin is 15:00 UTC.
FRIDAY_1600_BERLIN = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
ANA = Person("UANA", "ana", "America/New_York")
BEN = Person("UBEN", "ben", "Europe/Berlin")
CY = Person("UCY", "cy", "Asia/Tokyo")


def bravo_cmd(bravo: Bravo, text: str, user: str = "UANA", channel: str = CHANNEL) -> str:
    """Send a command and wait for its reply (replies come from a work queue, in any order)."""
    before = len(bravo.slack.calls("response_url"))
    result = bravo.send.slash_command(user, "/bravo", text, channel_id=channel)
    assert result.status == 200, result.body
    return last_reply(bravo, before + 1)


def replies(bravo: Bravo, count: int) -> list[dict[str, Any]]:
    return [c.args for c in bravo.slack.wait_for("response_url", count=count, timeout=5)]


def last_reply(bravo: Bravo, count: int) -> str:
    args = replies(bravo, count)[count - 1]
    return args["text"] + json.dumps(args.get("blocks") or [])


def give(
    bravo: Bravo, giver: Person, to: list[Person], reason: str, at: datetime, values=("empathy",)
) -> None:
    with bravo.deps.db.write() as s:
        kudos.give_kudos(
            session=s,
            team_id=T,
            giver=giver,
            recipients=to,
            reason=reason,
            values=values,
            channel_id=CHANNEL,
            source="command",
            rules=KudosRules(daily_allowance=1000),
            now=at,
        )


def channel_posts(bravo: Bravo, channel: str = CHANNEL, words: str = "") -> list[Call]:
    return [
        c
        for c in bravo.slack.calls("chat.postMessage", ok=True)
        if c.args.get("channel") == channel and words in c.args.get("text", "")
    ]


def weekly_posts(bravo: Bravo) -> list[Call]:
    return [
        c
        for c in channel_posts(bravo)
        if "This week in the team" in c.args["text"] or "quiet week" in c.args["text"]
    ]


def deliver(bravo: Bravo, at: datetime = FRIDAY_1600_BERLIN + timedelta(days=2)) -> None:
    """Deliver what is queued, as of ``at`` (jobs queue messages dated at their run time)."""
    bravo.clock.at = max(bravo.clock.at, at)
    bravo.deliver()


def turn_on(bravo: Bravo, text: str = "friday 16:00 Europe/Berlin", n: int = 1) -> str:
    bravo_cmd(bravo, "shoutouts on " + text)
    return last_reply(bravo, n)
