"""The WSGI app: Slack requests at /slack/events, a health check at /healthz."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from storage.db import Database

SLACK_PATH = "/slack/events"


def make_wsgi(app: App, db: Database) -> Callable[..., Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            status, body = _health(db)
            start_response(status, [("Content-Type", "application/json")])
            return [json.dumps(body).encode()]
        return slack(environ, start_response)

    return wsgi


def _health(db: Database) -> tuple[str, dict[str, Any]]:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as err:  # the health check reports any database failure
        return "503 Service Unavailable", {"ok": False, "database": str(err)[:200]}
    return "200 OK", {"ok": True, "database": db.dialect}
