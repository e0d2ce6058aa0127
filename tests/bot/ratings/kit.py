"""What the rating tests share: Bravo over HTTP with the webhook routed (as the composition
root wires it), a workspace hook, and signed posts to it."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import make_server

from bot.deps import Deps, build_deps
from bot.ratings import admin
from bot.ratings.parse import sign
from bot.ratings.webhook import hook_routes
from bot.sandbox.server import FakeSlack
from bot.sandbox.signing import SlackRequester
from bot.settings import load_settings
from bot.web import make_wsgi
from bot.work import WorkQueue
from handlers.app import build_app
from storage.db import Database
from tests.handlers.conftest import SECRET, TEAM, Bravo, Clock, _Quiet, _Server

KEY = "ZljuRGxqvMNw4EHYW08jCLLDNNjUGZYKphdPzYEAVxI="  # a Fernet key made for these tests
ADMIN = "UADA"
PUBLIC = "https://bravo.example.com"


@dataclass
class Answer:
    status: int
    body: dict[str, Any]


@dataclass
class Hooked:
    bravo: Bravo
    hook_id: str
    secret: str

    @property
    def deps(self) -> Deps:
        return self.bravo.deps

    def post(self, body: dict[str, Any] | bytes, **options: Any) -> Answer:
        return post(
            self.bravo.url, options.pop("hook_id", self.hook_id), self.secret, body, **options
        )

    def settle(self) -> None:
        """Wait for the work after the answers (agents looked up), then deliver the DMs."""
        assert self.deps.work.wait_idle(10)
        self.bravo.deliver()


def post(
    base: str,
    hook_id: str,
    secret: str,
    body: dict[str, Any] | bytes,
    *,
    ts: int | None = None,
    signature: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = str(int(time.time()) if ts is None else ts)
    sent = {
        "Content-Type": "application/json",
        "X-Bravo-Timestamp": stamp,
        "X-Bravo-Signature": signature if signature is not None else sign(secret, stamp, raw),
        **(headers or {}),
    }
    sent = {k: v for k, v in sent.items() if v != ""}
    where = urlsplit(base)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        conn.request("POST", f"/hooks/customer-feedback/{hook_id}", body=raw, headers=sent)
        response = conn.getresponse()
        return Answer(response.status, json.loads(response.read() or b"{}"))
    finally:
        conn.close()


def start_hooked(
    slack: FakeSlack, db: Database, env: dict[str, str] | None = None, work: WorkQueue | None = None
) -> Iterator[Hooked]:
    """Bravo over HTTP (Slack's requests signed) with ``/hooks/`` routed to the webhook, and
    an admin who made the workspace's hook."""
    slack.add_user(ADMIN, "ada", is_admin=True)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-sandbox",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
            "BRAVO_ENCRYPTION_KEY": KEY,
            "BRAVO_PUBLIC_URL": PUBLIC,
            **(env or {}),
        }
    )
    clock = Clock()
    deps = build_deps(settings, db, clock=clock, work=work)
    app = build_app(deps, http=True)
    wsgi = make_wsgi(app, db, signing_secret=SECRET, routes=hook_routes(deps))
    server = make_server("127.0.0.1", 0, wsgi, server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    bravo = Bravo(
        url,
        deps,
        slack,
        SlackRequester(url + "/slack/events", SECRET, team_id=TEAM, fake=slack),
        clock,
    )
    view = admin.hook_view(deps, team_id=TEAM, user_id=ADMIN)
    try:
        yield Hooked(bravo, view.hook_id, view.secret)
    finally:
        server.shutdown()
        server.server_close()
        app.listener_runner.listener_executor.shutdown(wait=True)
        deps.work.shutdown(wait=True)


def rating(
    agent: str = "UANA", ticket: str | None = "https://help.example.com/t/1", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"rating": 5, "comment": "Lovely help", "source": "zendesk"}
    if agent.startswith("U"):
        body["agent_slack_id"] = agent
    else:
        body["agent_email"] = agent
    if ticket:
        body["ticket_url"] = ticket
    return {**body, **extra}
