"""Bravo over real HTTP: the WSGI app on 127.0.0.1, the fake Slack Web API, signed requests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bot.deps import Deps, build_deps
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.settings import load_settings
from bot.tokens import Tokens
from bot.web import Straight, make_wsgi
from bot.work import WorkQueue
from handlers.app import build_app
from storage.db import Database

TEAM = "T0SANDBOX"
SECRET = "test-signing-secret"
CHANNEL = "C0KUDOS"
NO_BOT_CHANNEL = "C0NOBOT"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # the default listen backlog of 5 resets bursts of connections


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Bravo:
    url: str
    deps: Deps
    slack: FakeSlack
    send: SlackRequester
    clock: Clock

    def deliver(self) -> None:
        self.deps.deliverer.drain()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(team_id=TEAM, bot_user_id="UBRAVO")
    fake.start()
    yield people_and_channels(fake)
    fake.stop()


def people_and_channels(fake: FakeSlack) -> FakeSlack:
    """The workspace every edge test works in: Ana, Ben, Cy, a bot, someone gone, #kudos."""
    fake.add_user("UBRAVO", "bravo", is_bot=True)
    fake.add_user("UANA", "ana", tz="America/New_York")
    fake.add_user("UBEN", "ben", tz="Europe/Berlin")
    fake.add_user("UCY", "cy", tz="Asia/Tokyo")
    fake.add_user("UROBOT", "deploybot", is_bot=True)
    fake.add_user("UGONE", "gone", deleted=True)
    fake.add_channel(CHANNEL, "kudos", members=("UBRAVO", "UANA", "UBEN", "UCY"))
    fake.add_channel(NO_BOT_CHANNEL, "random", members=("UANA", "UBEN"))
    fake.add_usergroup("S0SUPPORT", "support", ("UBEN", "UCY", "UANA", "UROBOT"))
    return fake


def start_bravo(
    slack: FakeSlack,
    db: Database,
    env: dict[str, str] | None = None,
    work: WorkQueue | None = None,
    tokens: Tokens | None = None,
    straight: Straight | None = None,
) -> Iterator[Bravo]:
    """``straight``: queue mode's requests recorded by ``bot.web`` without Bolt."""
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
            **(env or {}),
        }
    )
    clock = Clock()
    deps = build_deps(settings, db, clock=clock, work=work, tokens=tokens)
    app = build_app(deps, http=True)
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi(app, db, signing_secret=SECRET, straight=straight),
        server_class=_Server,
        handler_class=_Quiet,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield Bravo(
            url,
            deps,
            slack,
            SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=slack),
            clock,
        )
    finally:
        server.shutdown()
        server.server_close()
        # Let listeners still working after their ack finish before the fake Slack goes away.
        app.listener_runner.listener_executor.shutdown(wait=True)
        deps.work.shutdown(wait=True)


@pytest.fixture
def bravo(slack: FakeSlack, db: Database) -> Iterator[Bravo]:
    yield from start_bravo(slack, db)


class Recorder:
    """A fake ``ack`` or ``respond`` for a listener called alone: records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


def deps_alone(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    """What the composition root builds, without an app or a server around it."""
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
        }
    )
    built = build_deps(settings, db, clock=Clock())
    yield built
    built.work.shutdown(wait=True)
