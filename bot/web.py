"""The WSGI app: Slack requests at /slack/events, a health check at /healthz, and (installed by
OAuth, ``bot.install``) Bolt's GET /slack/install and /slack/oauth_redirect.

Slack's requests are checked before anything reads them: a request that is not signed with the
signing secret (or whose timestamp is not a whole number of seconds within five minutes) gets
401, and a signed body Bravo cannot read (not UTF-8, a ``payload`` that is not a JSON object, a
JSON body that is not an object, an envelope not shaped as Slack's: ``bot.payload``) gets 400.
Each is one log line, never a stack trace, so nobody can fill the log or reach a listener with
junk.

Queue mode (``Straight``): a signed request whose ack is known without its listener
(``handlers.straight``: an event, ``/kudos`` with text) is recorded for a worker here and
answered with an empty 200, without going through Bolt on this process: one signature check,
one parse, one INSERT. It is acked only once the INSERT has committed; if it cannot be
recorded the answer is 503 (Slack retries an event; a person sees the command failed), never
a 200 for work that is lost.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import extract_team_id, parse_body
from sqlalchemy import text

from bot.payload import envelope_problem
from bot.work import Record
from storage.db import Database

SLACK_PATH = "/slack/events"
SIGNATURE_MAX_AGE = 5 * 60  # seconds, as Slack and Bolt allow
MAX_BODY = 1_000_000  # Slack's payloads are far smaller; a larger body is not Slack's
log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Straight:
    """Queue mode: requests recorded for a worker here, without Bolt. ``takes``: whether a
    parsed request's ack is an empty 200 and all its work a worker's; ``team``: the only
    workspace served (a request from another goes through Bolt, which refuses it kindly);
    ``record``: commits the request for a worker (``bot.worker.record_for``)."""

    takes: Callable[[dict[str, Any]], bool]
    team: str
    record: Record


def make_wsgi(
    app: App,
    db: Database,
    *,
    signing_secret: str | None = None,
    straight: Straight | None = None,
    routes: Mapping[str, WSGIApp] | None = None,
) -> Callable[..., Iterable[bytes]]:
    """``signing_secret``: check Slack's signature here, before Bolt parses the body.
    ``straight`` (needs ``signing_secret``): queue mode's requests recorded without Bolt.
    ``routes``: path prefix -> WSGI app for requests that are not Slack's (they check their
    own signatures), wired by the composition root."""
    slack = SlackRequestHandler(app, path=SLACK_PATH)
    prefixes = tuple((routes or {}).items())

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        for prefix, route in prefixes:
            if path.startswith(prefix):
                return route(environ, start_response)
        if path == "/healthz":
            status, body = _health(db)
            return _answer(start_response, status, body)
        if signing_secret and path == SLACK_PATH and environ.get("REQUEST_METHOD") == "POST":
            refusal = _refusal(environ, signing_secret)
            if refusal is not None:
                return _answer(start_response, *refusal)
            if straight is not None:
                recorded = _record_straight(straight, environ)
                if recorded is not None:
                    return _answer(start_response, *recorded)
        return slack(environ, start_response)

    return wsgi


def _record_straight(straight: Straight, environ: dict[str, Any]) -> tuple[str, Any] | None:
    """A signed request ``straight`` takes, recorded: its answer (an empty 200 once the record
    is committed, 503 if it could not be); None for a request that goes through Bolt. Parsed
    and named by Bolt's own functions, so a worker replays what Bolt would have handed on."""
    raw = environ["wsgi.input"].getvalue()
    if raw == b"ssl_check=1" or raw.startswith(b"ssl_check=1&"):
        return None
    body = parse_body(raw.decode("utf-8"), environ.get("CONTENT_TYPE"))
    if not isinstance(body, dict) or not straight.takes(body):
        return None
    team = extract_team_id(body)
    if team != straight.team:
        return None
    try:
        straight.record(team, body)
    except Exception:  # the database is away: not acked, so nothing is lost silently
        log.exception("could not record a Slack request for a worker")
        return "503 Service Unavailable", {"ok": False, "error": "not_recorded"}
    return "200 OK", None


def _refusal(environ: dict[str, Any], secret: str) -> tuple[str, dict[str, Any]] | None:
    """Why this request is not let in (its status and body), or None to let it in. Leaves the
    body readable again for Bolt."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 <= length <= MAX_BODY:
        log.warning("refused a Slack request: body length %r", environ.get("CONTENT_LENGTH"))
        return "400 Bad Request", {"ok": False, "error": "bad_length"}
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
    if body == b"ssl_check=1" or body.startswith(b"ssl_check=1&"):
        return None  # Slack's certificate check: Bolt answers it, and nothing runs
    if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
        log.warning("refused a Slack request: no valid signature headers")
        return "401 Unauthorized", {"ok": False, "error": "invalid_signature"}
    if not _signed(secret, body, timestamp, signature):
        log.warning("refused a Slack request: the signature does not match (or is too old)")
        return "401 Unauthorized", {"ok": False, "error": "invalid_signature"}
    problem = _unreadable(body, environ.get("CONTENT_TYPE", ""))
    if problem:
        log.warning("refused a signed Slack request: %s", problem)
        return "400 Bad Request", {"ok": False, "error": "invalid_body"}
    return None


def _signed(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature over the raw bytes (any bytes: the check must not need to decode
    them), from at most five minutes ago."""
    if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _unreadable(body: bytes, content_type: str) -> str | None:
    """What makes a signed body unreadable for Bolt, or None."""
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if content_type.startswith("application/json"):
        data = _json(decoded)
        if not isinstance(data, dict):
            return "the JSON body is not an object"
        return envelope_problem(data)
    form = parse_qs(decoded, keep_blank_values=True)
    if "payload" not in form:
        return envelope_problem({k: v[0] for k, v in form.items()})
    payload = _json(form["payload"][0])
    if not isinstance(payload, dict):
        return "the payload is not a JSON object"
    return envelope_problem(payload)


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _answer(start_response: StartResponse, status: str, body: dict[str, Any] | None) -> list[bytes]:
    """``body`` None: an empty answer (Slack's plain ack)."""
    if body is None:
        start_response(status, [("Content-Length", "0")])
        return [b""]
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def _health(db: Database) -> tuple[str, dict[str, Any]]:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as err:  # the health check reports any database failure
        return "503 Service Unavailable", {"ok": False, "database": str(err)[:200]}
    return "200 OK", {"ok": True, "database": db.dialect}
