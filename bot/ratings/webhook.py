"""The webhook's HTTP side, a small WSGI app served under ``/hooks/`` (``bot.web`` routes it
there; in Socket Mode a side server serves it with ``/healthz``).

``POST /hooks/customer-feedback/<hook id>``: the size is checked from Content-Length before
the body is read, then the use case checks and records the request. Every answer is JSON; a
refusal is one log line (never a stack trace, never the body). A rating accepted is settled
after the answer, off the request thread (``service.Settler``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.deps import Deps
from bot.ratings import ids, service
from bot.ratings.parse import Problem

log = logging.getLogger(__name__)
StartResponse = Callable[..., Any]
STATUS = {
    200: "200 OK",
    202: "202 Accepted",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    409: "409 Conflict",
    411: "411 Length Required",
    413: "413 Content Too Large",
    422: "422 Unprocessable Content",
    503: "503 Service Unavailable",
}


class RatingsHook:
    """A WSGI app for ``/hooks/...``; ``clock``: Unix seconds (the signature's age)."""

    def __init__(self, deps: Deps, *, clock: Callable[[], float] = time.time) -> None:
        self._deps = deps
        self._clock = clock
        self.settler = service.Settler(deps)
        self._receive = service.GroupReceive(deps)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, body = self._answer(environ)
        except Problem as problem:
            log.warning("refused a webhook request: %s (%s)", problem.error, problem.detail)
            status, body = problem.status, {"ok": False, "error": problem.error}
            body["detail"] = problem.detail
        except Exception as err:  # the database is down or similar: say so, briefly
            log.error("webhook request failed: %s: %s", type(err).__name__, str(err)[:200])
            status, body = 503, {"ok": False, "error": "unavailable"}
        data = json.dumps(body).encode()
        start_response(
            STATUS[status],
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _answer(self, environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        path = environ.get("PATH_INFO", "")
        hook_id = path[len(ids.HOOK_PATH) :] if path.startswith(ids.HOOK_PATH) else ""
        if not hook_id or "/" in hook_id or len(hook_id) > 64:
            raise Problem(404, "not_found", "Post ratings to /hooks/customer-feedback/<hook id>.")
        if environ.get("REQUEST_METHOD") != "POST":
            raise Problem(405, "method_not_allowed", "Use POST.")
        body = _body(environ)
        received = self._receive(
            hook_id=hook_id,
            timestamp=environ.get("HTTP_X_BRAVO_TIMESTAMP", "").strip(),
            signature=environ.get("HTTP_X_BRAVO_SIGNATURE", "").strip(),
            body=body,
            now_ts=self._clock(),
        )
        if received.duplicate:
            return 200, {"ok": True, "duplicate": True}
        self.settler.kick(received.team_id)
        return 202, {"ok": True, "id": received.rating_id}


def _body(environ: dict[str, Any]) -> bytes:
    raw = environ.get("CONTENT_LENGTH") or ""
    if not raw.strip():
        raise Problem(411, "length_required", "Send a Content-Length header.")
    try:
        length = int(raw)
    except ValueError:
        raise Problem(400, "bad_length", "Content-Length is not a number.") from None
    if length < 0:
        raise Problem(400, "bad_length", "Content-Length is not a number.")
    if length > ids.MAX_BODY:
        raise Problem(413, "too_large", f"The body may be at most {ids.MAX_BODY} bytes.")
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    if len(body) != length:
        raise Problem(400, "short_body", "The body is shorter than its Content-Length.")
    return body


def hook_routes(deps: Deps) -> dict[str, Callable[..., Iterable[bytes]]]:
    """What the composition root hands ``bot.web.make_wsgi`` as its ``routes``."""
    return {"/hooks/": RatingsHook(deps)}
