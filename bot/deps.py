"""What handlers and jobs need, built once at start-up (the composition root's output)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import WebClient

from bot.channels import ChannelInfo
from bot.clock import Clock, utcnow
from bot.config import WorkspaceConfig, load_config
from bot.install.oauth import tokens_for
from bot.outbox.clients import TeamClients
from bot.outbox.deliverer import Deliverer
from bot.outbox.outbox import Outbox
from bot.outbox.recovery import Recovery
from bot.outbox.sender import SlackSender
from bot.settings import Settings
from bot.tokens import OneToken, Tokens
from bot.users import UserDirectory
from bot.work import WorkQueue
from storage.db import Database

log = logging.getLogger(__name__)


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


def make_delivery_client(settings: Settings, token: str | None = None) -> WebClient:
    """The outbox decides itself when to retry, so its client does not retry in-line.
    ``token``: a workspace's bot token (default: ``SLACK_BOT_TOKEN``)."""
    return WebClient(
        token=token or settings.slack_bot_token, base_url=settings.slack_api_url, timeout=10
    )


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


NOT_SENDING = {
    "not_installed": "Bravo is not installed there",
    "uninstalled": "Bravo was uninstalled there",
}


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
    channels: ChannelInfo = field(default_factory=ChannelInfo)  # conversations.info, for a minute
    _clients: TeamClients = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_clients", TeamClients(self.tokens, self._make_client))

    def client_for(self, team_id: str) -> WebClient:
        """A Web API client with the workspace's own bot token (``client`` when that is the
        environment's token: one workspace). None installed: ``NotInstalledError``. For the
        calls use cases and jobs make themselves; the outbox has clients of its own."""
        return self._clients(team_id)

    def not_sending(self, team_id: str) -> str | None:
        """Why nothing can be sent to the workspace now ("not_installed": no token for it;
        "uninstalled": marked so), or None; ``NOT_SENDING`` words it for a log line."""
        if not self.installed(team_id):
            return "not_installed"
        if self.config(team_id).uninstalled:
            return "uninstalled"
        return None

    def installed(self, team_id: str) -> bool:
        """Whether Bravo holds a token for the workspace (jobs skip those it does not)."""
        return self.tokens.bot_token(team_id) is not None

    def _make_client(self, token: str) -> WebClient:
        return self.client if token == self.client.token else make_client(self.settings, token)

    def config(self, team_id: str) -> WorkspaceConfig:
        """The workspace's settings now (its admins' choices over the environment's defaults)."""
        return load_config(self.db, self.settings, team_id)


class SendCheck:
    """For one job run: why nothing can be sent to each workspace (``Deps.not_sending``), asked
    once per workspace and logged once, so a run over many rows of an uninstalled workspace
    neither asks again nor fills the log."""

    def __init__(self, deps: Deps, job: str) -> None:
        self._deps, self._job = deps, job
        self._why: dict[str, str | None] = {}

    def __call__(self, team_id: str) -> str | None:
        """Why nothing is sent to this workspace ("not_installed", "uninstalled"), or None."""
        if team_id not in self._why:
            why = self._deps.not_sending(team_id)
            if why is not None:
                log.info("%s skipped in %s: %s", self._job, team_id, NOT_SENDING[why])
            self._why[team_id] = why
        return self._why[team_id]


def build_deps(
    settings: Settings,
    db: Database,
    *,
    clock: Clock = utcnow,
    work: WorkQueue | None = None,
    tokens: Tokens | None = None,
) -> Deps:
    """``tokens``: whose token each workspace's calls go with (default: ``SLACK_BOT_TOKEN`` for
    every call, one workspace; with OAuth, each installation's, from Bravo's database). Every
    client made here asks it, per call, per workspace."""
    tokens = tokens or tokens_for(settings, db, clock)  # bot.install: one token, or OAuth's
    client = make_client(settings)
    clients = TeamClients(tokens, lambda token: make_client(settings, token))
    deliveries = TeamClients(tokens, lambda token: make_delivery_client(settings, token))
    return Deps(
        settings=settings,
        db=db,
        client=client,
        directory=UserDirectory(db, clients),
        deliverer=Deliverer(
            db,
            SlackSender(deliveries),
            clock=clock,
            posts_per_minute=settings.posts_per_minute,
            recovery=Recovery(deliveries),
        ),
        work=work or WorkQueue(),
        clock=clock,
        tokens=tokens,
    )
