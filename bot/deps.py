"""What handlers and jobs need, built once at start-up (the composition root's output)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import WebClient

from bot.clock import Clock, utcnow
from bot.config import WorkspaceConfig, load_config
from bot.errors import NotInstalledError
from bot.install.oauth import tokens_for
from bot.outbox.deliverer import Deliverer
from bot.outbox.outbox import Outbox
from bot.outbox.recovery import Recovery
from bot.outbox.sender import SlackSender
from bot.settings import Settings
from bot.tokens import OneToken, Tokens
from bot.users import UserDirectory
from bot.work import WorkQueue
from storage.db import Database


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """The Web API client for calls made while a person waits (views.open, ephemeral replies):
    it retries 429s (after Retry-After), server errors and dropped connections, briefly.
    ``token``: a workspace's bot token (default: ``SLACK_BOT_TOKEN``)."""
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def make_delivery_client(settings: Settings) -> WebClient:
    """The outbox decides itself when to retry, so its client does not retry in-line."""
    return WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10)


class Waker:
    """Asks the scheduler to look at a job's due work now, unless it runs by the given time
    anyway. Until a scheduler attaches itself (tests, the CLI, a process that does not lead),
    waking does nothing: jobs run when they are run."""

    def __init__(self) -> None:
        self._target: Callable[[str, datetime | None], None] | None = None

    def attach(self, target: Callable[[str, datetime | None], None]) -> None:
        self._target = target

    def __call__(self, name: str, due: datetime | None = None) -> None:
        if self._target is not None:
            self._target(name, due)


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: Database
    client: WebClient
    directory: UserDirectory
    deliverer: Deliverer
    outbox: Outbox = field(default_factory=lambda: Outbox())
    work: WorkQueue = field(default_factory=lambda: WorkQueue())
    clock: Clock = utcnow
    wake: Waker = field(default_factory=Waker)  # the scheduler attaches itself at start
    tokens: Tokens = field(default_factory=lambda: OneToken(None))
    _clients: dict[str, WebClient] = field(default_factory=dict, repr=False, compare=False)

    def client_for(self, team_id: str) -> WebClient:
        """A Web API client with the workspace's own bot token (``client`` when that is the
        environment's token: one workspace). None installed: ``NotInstalledError``."""
        token = self.tokens.bot_token(team_id)
        if token is None:
            raise NotInstalledError(team_id)
        if token == self.client.token:
            return self.client
        client = self._clients.get(token)
        if client is None:
            client = self._clients[token] = make_client(self.settings, token)
        return client

    def config(self, team_id: str) -> WorkspaceConfig:
        """The workspace's settings now (its admins' choices over the environment's defaults)."""
        return load_config(self.db, self.settings, team_id)


def build_deps(
    settings: Settings, db: Database, *, clock: Clock = utcnow, work: WorkQueue | None = None
) -> Deps:
    client = make_client(settings)
    delivery_client = make_delivery_client(settings)
    sender = SlackSender(delivery_client)
    return Deps(
        settings=settings,
        db=db,
        client=client,
        directory=UserDirectory(db, client),
        deliverer=Deliverer(
            db,
            sender,
            clock=clock,
            posts_per_minute=settings.posts_per_minute,
            recovery=Recovery(delivery_client),
        ),
        work=work or WorkQueue(),
        clock=clock,
        tokens=tokens_for(settings, db, clock),  # bot.install: one token, or OAuth's
    )
