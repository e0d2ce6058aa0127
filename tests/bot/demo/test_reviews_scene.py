"""The review scene plays against a Bravo over HTTP: a lead reviews, the agent acknowledges,
and nothing of it reaches a channel."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.demo.reviews import TICKET, play_reviews
from bot.demo.stage import ANA, CHANNEL, DEE, PEOPLE, Scene
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from handlers.app import build_app
from storage.db import Database
from storage.models import Review
from tests.handlers.conftest import SECRET, TEAM, Bravo, start_bravo


@pytest.fixture
def bravo(db: Database) -> Iterator[Bravo]:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    fake.start()
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    for uid, (name, tz) in PEOPLE.items():
        fake.add_user(uid, name, tz=tz)
    fake.add_channel(CHANNEL, "team-wins", members=("UBRAVO", *PEOPLE))
    yield from start_bravo(fake, db)
    fake.stop()


def test_the_scene_reviews_and_acknowledges(
    bravo: Bravo, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = threading.Event()

    def deliver() -> None:  # what the demo's server process does by itself
        while not stop.wait(0.05):
            bravo.deliver()

    thread = threading.Thread(target=deliver, daemon=True)
    thread.start()
    try:
        scene = Scene(bravo.slack, build_app)
        play_reviews(
            scene,
            SlackRequester(bravo.url + "/slack/events", SECRET, team_id=TEAM, fake=bravo.slack),
        )
    finally:
        stop.set()
        thread.join()
    with bravo.deps.db.read() as s:
        [row] = s.exec(select(Review)).all()
    assert (row.agent_id, row.reviewer_id, row.link, row.status) == (
        ANA,
        DEE,
        TICKET,
        "acknowledged",
    )
    posts = bravo.slack.calls("chat.postMessage", ok=True)
    assert not [c for c in posts if c.args["channel"] == CHANNEL and "review" in c.args["text"]]
    assert "acknowledged your review" in capsys.readouterr().out
