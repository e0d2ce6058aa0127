"""Slack's side of each HTTP request: what the fake answers, and what it records.

`Routes` is the `Responder` the HTTP server calls. It sends /api/<method> to the method's
handler (after injected failures, the token, scopes and rate limits), takes posts to response
URLs and file uploads, and hands /_sandbox/ to the control API. Every state change happens under
the one lock it shares with `FakeSlack`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.sandbox.api import files, oauth, response_url
from bot.sandbox.api.auth import check_token
from bot.sandbox.api.methods import METHODS
from bot.sandbox.args import decode_json_fields, parse_multipart, parse_request_args
from bot.sandbox.calls import CallContext, CallLog, SlackError
from bot.sandbox.faults import Faults
from bot.sandbox.http import Reply
from bot.sandbox.state import Workspace

API_PATH = "/api/"
CONTROL_PATH = "/_sandbox/"

# (verb, command, query string, body) -> the control API's answer
ControlHandler = Callable[[str, str, str, bytes], Reply]
# the app-level token a call carried -> the answer of apps.connections.open (or SlackError)
SocketUrl = Callable[[str | None], dict[str, Any]]


class Routes:
    """Answers the fake's HTTP requests."""

    def __init__(
        self,
        workspace: Workspace,
        faults: Faults,
        log: CallLog,
        lock: threading.RLock,
        control: ControlHandler,
        socket_url: SocketUrl | None = None,
    ) -> None:
        self.workspace, self.faults, self.log = workspace, faults, log
        self.lock = lock
        self.control = control
        self.socket_url = socket_url

    def __call__(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (called from the server threads)."""
        parts = urlsplit(path)
        route = unquote(parts.path)
        with self.lock:
            latency = self.faults.latency
        if latency:
            time.sleep(latency)
        if route.startswith(API_PATH):
            return self.web_api(route[len(API_PATH) :], headers, body, parts.query)
        if route.startswith(response_url.RESPONSE_PATH):
            return self.response_url(route[len(response_url.RESPONSE_PATH) :], body)
        if route.startswith(files.UPLOAD_PATH):
            return self.upload(route[len(files.UPLOAD_PATH) :], headers, body)
        if route.startswith(CONTROL_PATH):
            return self.control(verb, route[len(CONTROL_PATH) :], parts.query, body)
        return Reply.text("not found", 404)

    def web_api(self, method: str, headers: dict[str, str], body: bytes, query: str) -> Reply:
        """A Web API call: an injected failure, Slack's refusal or the method's answer."""
        parse_error: str | None = None
        try:
            args = parse_request_args(headers.get("content-type", ""), body, query)
        except SlackError as err:
            args, parse_error = {}, err.error
        supplied = args.pop("token", None)
        with self.lock:
            failure = self.faults.injected(method)
            if failure is not None:
                status, data, failed_headers = failure.answer()
                self.log.record(method, args, data, status)
                return Reply.json(data, status, failed_headers)
            ctx = CallContext()
            try:
                handler = METHODS.get(method)
                if handler is None:
                    raise SlackError("unknown_method")
                if parse_error:
                    raise SlackError(parse_error)
                if method == "apps.connections.open" and self.socket_url is not None:
                    data = {"ok": True, **self.socket_url(_bearer(headers) or supplied)}
                    self.log.record(method, args, data, 200, ctx)
                    return Reply.json(data)
                if method in oauth.CLIENT_AUTH:  # the app's client id and secret, no token
                    oauth.check_client(headers.get("authorization"), args)
                else:
                    check_token(self.workspace, headers.get("authorization"), supplied)
                self.faults.check_scope(method, args)
                wait = self.faults.rate_limited(
                    method, args, time.monotonic(), self.workspace.team_id
                )
                if wait:
                    data = {"ok": False, "error": "ratelimited"}
                    self.log.record(method, args, data, 429, ctx)
                    return Reply.json(data, 429, {"Retry-After": str(wait)})
                data = {"ok": True, **handler(self.workspace, args, ctx)}
            except SlackError as err:
                data = {"ok": False, "error": err.error, **err.extra}
            reply_headers = {"X-Sandbox-Warnings": ",".join(ctx.warnings)} if ctx.warnings else {}
            self.log.record(method, args, data, 200, ctx)
            return Reply.json(data, 200, reply_headers)

    def response_url(self, url_id: str, body: bytes) -> Reply:
        """A post to a response_url the fake handed out."""
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            payload = None
        args: dict[str, Any] = {"url_id": url_id}
        if isinstance(payload, dict):
            args.update(decode_json_fields(dict(payload)))
        with self.lock:
            ctx = CallContext(context=response_url.context_of(self.workspace, url_id))
            failure = self.faults.injected("response_url")
            if failure is not None:
                status, data, headers = failure.answer()
                self.log.record("response_url", args, data, status, ctx)
                return Reply.json(data, status, headers)
            status, error = response_url.respond(self.workspace, url_id, payload, args, ctx)
            if error:
                self.log.record("response_url", args, {"ok": False, "error": error}, status, ctx)
                return Reply.text(error, status)
            self.log.record("response_url", args, {"ok": True}, 200, ctx)
        return Reply.text("ok")

    def upload(self, file_id: str, headers: dict[str, str], body: bytes) -> Reply:
        """The bytes of a file, sent to the upload URL files.getUploadURLExternal gave."""
        content_type = headers.get("content-type", "")
        if content_type.lower().startswith("multipart/form-data"):
            _, sent = parse_multipart(content_type, body)
            body = next(iter(sent.values()), b"")
        with self.lock:
            if not files.receive(self.workspace, file_id, body):
                self.log.record("file_upload", {"file_id": file_id}, {"ok": False}, 404)
                return Reply.text("file_not_found", 404)
            args = {"file_id": file_id, "length": len(body)}
            self.log.record("file_upload", args, {"ok": True}, 200)
        return Reply.text(f"OK - {len(body)}")


def _bearer(headers: dict[str, str]) -> str | None:
    header = headers.get("authorization") or ""
    return header[len("bearer ") :].strip() if header.lower().startswith("bearer ") else None
