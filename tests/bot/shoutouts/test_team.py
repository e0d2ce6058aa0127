"""Reading a team from Slack: every page of members, and clear errors for unusable channels."""

from __future__ import annotations

import pytest
from slack_sdk.web import WebClient

from bot.sandbox.server import FakeSlack
from bot.shoutouts import errors as e
from bot.shoutouts.team import check_channel, fetch_members


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack(team_id="T1", bot_user_id="UBRAVO") as slack:
        yield slack


def test_a_big_channels_members_are_read_page_by_page(fake: FakeSlack) -> None:
    people = [f"U{n:05d}" for n in range(450)]
    fake.add_channel("C1", "support", members=("UBRAVO", *people))
    client = WebClient(token="xoxb-sandbox", base_url=fake.base_url)
    assert fetch_members(client, "C1") == ["UBRAVO", *people]
    pages = fake.calls("conversations.members")
    assert len(pages) == 3 and all(c.args.get("limit") in (200, "200") for c in pages)


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("D0ANA", e.NotAChannelError),
        ("C0NOPE", e.ChannelNotVisibleError),
        ("G0SECRET", e.ChannelNotVisibleError),  # private, Bravo not invited: invisible
        ("C0OUT", e.BotNotInChannelError),
        ("C0OLD", e.ArchivedChannelError),
    ],
)
def test_channels_bravo_cannot_use_are_refused(
    fake: FakeSlack, channel: str, error: type[Exception]
) -> None:
    fake.add_channel("G0SECRET", "secret", members=("UANA",), is_private=True)
    fake.add_channel("C0OUT", "random", members=("UANA",))
    fake.add_channel("C0OLD", "old", members=("UBRAVO",), is_archived=True)
    with pytest.raises(error):
        check_channel(WebClient(token="xoxb-sandbox", base_url=fake.base_url), channel)
