"""The kudos confirmation names where the kudos really went: the channel Bravo posts in, or
"by DM" (and why) when it cannot post where it was given. Decided before anything is sent."""

from __future__ import annotations

from contextlib import contextmanager

from bot.sandbox.server import FakeSlack
from storage.db import Database
from tests.handlers.conftest import CHANNEL, NO_BOT_CHANNEL, Bravo, start_bravo

ARCHIVED = "C0OLD"
running = contextmanager(start_bravo)


def give(bravo: Bravo, channel: str) -> str:
    before = len(bravo.slack.calls("response_url"))
    result = bravo.send.slash_command(
        "UANA", "/kudos", "<@UBEN|ben> for the save", channel_id=channel
    )
    assert result.status == 200
    text = str(bravo.slack.wait_for("response_url", before + 1)[-1].args["text"])
    bravo.deliver()
    return text


def tried_posting_in(bravo: Bravo) -> list[str]:
    return [c.args.get("channel", "") for c in bravo.slack.calls("chat.postMessage")]


def test_in_a_channel_bravo_is_not_in_it_says_by_dm_and_posts_nothing(bravo: Bravo) -> None:
    text = give(bravo, NO_BOT_CHANNEL)
    assert text.startswith(":white_check_mark: Kudos sent to <@UBEN> by DM.")
    assert f"I'm not in <#{NO_BOT_CHANNEL}>" in text and "/invite @Bravo" in text
    posted = tried_posting_in(bravo)
    assert NO_BOT_CHANNEL not in posted and "UBEN" in posted
    assert "UANA" not in posted  # no "could not post" afterwards: it was said at once


def test_in_an_archived_channel_it_says_so(slack: FakeSlack, db: Database) -> None:
    slack.add_channel(ARCHIVED, "old", members=("UBRAVO", "UANA"), is_archived=True)
    with running(slack, db) as bravo:
        text = give(bravo, ARCHIVED)
        assert "by DM" in text and f"<#{ARCHIVED}> is archived" in text
        assert ARCHIVED not in tried_posting_in(bravo)


def test_with_a_kudos_channel_it_names_that_channel(slack: FakeSlack, db: Database) -> None:
    with running(slack, db, env={"BRAVO_KUDOS_CHANNEL": CHANNEL}) as bravo:
        text = give(bravo, NO_BOT_CHANNEL)
        assert f"Kudos sent to <@UBEN> in <#{CHANNEL}>." in text and NO_BOT_CHANNEL not in text
        assert CHANNEL in tried_posting_in(bravo)


def test_a_kudos_channel_bravo_is_not_in_is_named_too(slack: FakeSlack, db: Database) -> None:
    with running(slack, db, env={"BRAVO_KUDOS_CHANNEL": NO_BOT_CHANNEL}) as bravo:
        text = give(bravo, CHANNEL)
        assert "by DM" in text and f"I'm not in <#{NO_BOT_CHANNEL}>" in text
        assert f"in <#{CHANNEL}>" not in text
        assert tried_posting_in(bravo) == ["UBEN"]  # one DM: the first-kudos news is inside it


def test_from_a_dm_there_is_no_broken_channel_link(bravo: Bravo) -> None:
    text = give(bravo, "D0ANADM")
    assert "Kudos sent to <@UBEN> by DM." in text and "<#D" not in text
    assert tried_posting_in(bravo) == ["UBEN"]  # one DM: the first-kudos news is inside it


def test_in_a_channel_bravo_is_in_it_names_it(bravo: Bravo) -> None:
    text = give(bravo, CHANNEL)
    assert f"Kudos sent to <@UBEN> in <#{CHANNEL}>." in text
    assert CHANNEL in tried_posting_in(bravo)
