"""A recording fake of the Slack Web API, served over real HTTP on 127.0.0.1.

Point slack_sdk at it with ``WebClient(token="xoxb-sandbox", base_url=fake.base_url)``. It answers
the methods Bravo uses the way Slack does (same argument names, response shapes and error codes),
checks Block Kit limits, records every call, and can be told to fail (429 with Retry-After, 5xx,
an `ok: false` error) or to rate limit and slow down. Workspace state (users, channels, user
groups) is seeded from Python or, for another process, through the JSON control API under
``/_sandbox/``. ``python -m bot.sandbox.server --port 3999`` runs it in the foreground.

Where Slack's behaviour is not pinned down by its documentation, the fake picks the stricter
reading (for example chat.update needs a D... id for a DM, not a user id, as Slack's docs say), so a
bot that passes here does not rely on luck.

`FakeSlack` is the one thing to use; it puts together the pieces, each in its own module:
`state.Workspace` (who and what is in the workspace), `faults.Faults` (what to get wrong),
`calls.CallLog` (what was asked), `api` (one module per Web API family), `routes.Routes` (which
request goes where) and `http.HttpServer` (the socket). This module adds the control API and the
command line.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.sandbox.api import oauth
from bot.sandbox.api.files import UPLOAD_PATH
from bot.sandbox.api.response_url import RESPONSE_PATH
from bot.sandbox.args import parse_request_args
from bot.sandbox.calls import Call, CallLog, SlackError
from bot.sandbox.faults import Faults
from bot.sandbox.hosted import TeamLog, WorkspaceHandle
from bot.sandbox.http import HttpServer, Reply
from bot.sandbox.routes import API_PATH, Routes
from bot.sandbox.socket_mode import SocketModeServer
from bot.sandbox.state import Workspace

__all__ = ["Call", "FakeSlack", "WorkspaceHandle", "main", "serve"]
WORKSPACE_IDS = 10_000_000  # ids (files, views...) each hosted workspace numbers apart


class FakeSlack(WorkspaceHandle):
    """The fake Slack Web API. Thread-safe: every state change happens under one lock.

    It hosts one workspace (the keyword arguments), and more with ``add_workspace``; each Web
    API call is answered by the workspace its token belongs to (an unknown token: invalid_auth;
    a revoked one: token_revoked). The seeding and reading methods of ``FakeSlack`` itself are
    those of its first workspace; ``calls`` and ``reset`` span them all."""

    def __init__(
        self,
        port: int = 0,
        *,
        token: str = "xoxb-sandbox",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "UBRAVO",
        bot_id: str = "B0BRAVO",
        app_id: str = "A0BRAVO",
        team_name: str = "Sandbox",
        team_domain: str = "sandbox",
        ts_start: int | None = None,
        trigger_ttl: float = 3.0,
        app_token: str = "xapp-sandbox",
    ) -> None:
        lock = threading.RLock()
        self.app_token = app_token
        self.sockets = SocketModeServer()
        self._http = HttpServer(port, self.handle_http)
        self._ts_start, self._trigger_ttl = ts_start, trigger_ttl
        workspace = self._new_workspace(
            token, team_id, bot_user_id, bot_id, app_id, team_name, team_domain, 0
        )
        super().__init__(workspace, lock, CallLog())
        self._faults = Faults()
        self._control = ControlAPI(self)
        self._hosted: dict[str, tuple[WorkspaceHandle, Routes]] = {}  # by token
        self._orgs: dict[str, list[str]] = {}  # org-wide token -> its workspaces (make_org)
        self._host(self)

    def _new_workspace(
        self,
        token: str,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        team_name: str,
        team_domain: str,
        number: int,
    ) -> Workspace:
        return Workspace(
            root_url=f"http://127.0.0.1:{self._http.port}",
            token=token,
            team_id=team_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            team_name=team_name,
            team_domain=team_domain,
            ts_start=int(time.time()) if self._ts_start is None else self._ts_start,
            trigger_ttl=self._trigger_ttl,
            wall_clock=self._ts_start is None,
            id_start=1 + number * WORKSPACE_IDS,
        )

    def _host(self, handle: WorkspaceHandle) -> None:
        log = TeamLog(self._log, handle.team_id)
        routes = Routes(
            handle._workspace, self._faults, log, self._lock, self._control, self._socket_url
        )
        self._hosted[handle.token] = (handle, routes)

    # ---- several workspaces ----------------------------------------------------------------

    def add_workspace(
        self,
        team_id: str,
        *,
        token: str,
        bot_user_id: str = "UBRAVO",
        bot_id: str = "B0BRAVO",
        team_name: str | None = None,
        team_domain: str | None = None,
    ) -> WorkspaceHandle:
        """Host another workspace with the app installed (its bot user added); returns its
        handle, to seed it and read what the bot did there."""
        with self._lock:
            if token in self._hosted or any(h.team_id == team_id for h in self.hosted()):
                raise ValueError(f"a workspace with token or team {team_id} is hosted already")
            name = team_name or team_id
            workspace = self._new_workspace(
                token, team_id, bot_user_id, bot_id, self.app_id, name,
                team_domain or team_id.lower(), len(self._hosted),
            )  # fmt: skip
            handle = WorkspaceHandle(workspace, self._lock, self._log)
            self._host(handle)
            return handle

    def hosted(self) -> list[WorkspaceHandle]:
        """Every workspace the fake hosts, the first one first."""
        with self._lock:
            return [handle for handle, _ in self._hosted.values()]

    def workspace(self, team_id: str) -> WorkspaceHandle | None:
        """The hosted workspace with this team id, if any."""
        return next((h for h in self.hosted() if h.team_id == team_id), None)

    def workspace_for_token(self, token: str | None) -> WorkspaceHandle | None:
        """The hosted workspace whose bot token this is (revoked or not), if any."""
        with self._lock:
            found = self._by_token(token)
            return found[0] if found else None

    def _org_member(
        self, token: str | None, headers: dict[str, str], body: bytes, query: str
    ) -> tuple[WorkspaceHandle, Routes] | None:
        """For an org-wide token: the workspace of the org the call's arguments are in."""
        teams = self._orgs.get(token or "")
        if not teams:
            return None
        try:
            args = parse_request_args(headers.get("content-type", ""), body, query)
        except SlackError:
            args = {}
        members = [h for h in self._hosted.values() if h[0].team_id in teams]
        named = {str(args.get(k) or "") for k in ("channel", "user")}
        named |= set(str(args.get("users") or "").split(",")[:1])
        for handle, routes in members:
            ws = handle._workspace
            known = ws.channels.keys() | ws.dm_users.keys() | ws.users.keys() - {ws.bot_user_id}
            if args.get("team_id") == ws.team_id or named & known:
                return handle, routes
        return members[0] if members else None

    def _by_token(self, token: str | None) -> tuple[WorkspaceHandle, Routes] | None:
        """By the token it was hosted with (one lookup); a token rotated since (OAuth's
        refresh) is looked for among them all. Under the lock."""
        found = self._hosted.get(token or "")
        if found is not None and found[0].token == token:
            return found
        return next((h for h in self._hosted.values() if h[0].token == token), None)

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._http.port

    def start(self) -> FakeSlack:
        self._http.start()
        self.sockets.start()
        return self

    def stop(self) -> None:
        self._http.stop()
        self.sockets.stop()

    def _socket_url(self, app_token: str | None) -> dict[str, Any]:
        """apps.connections.open: a Socket Mode URL for the app-level token."""
        if not app_token:
            raise SlackError("not_authed")
        if app_token.startswith(("xoxb-", "xoxp-")):
            raise SlackError("not_allowed_token_type")
        if app_token != self.app_token:
            raise SlackError("invalid_auth")
        return {"url": self.sockets.new_url()}

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle_http(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (called from the server threads), as the workspace it is
        for: the one its token names (a Web API call), or the one that handed out its
        response URL or upload URL; anything else, the first."""
        route = unquote(urlsplit(path).path)
        if route.startswith(API_PATH):
            token = _token_of(headers, body, urlsplit(path).query)
            with self._lock:
                found = (
                    self._by_token(token)
                    or self._org_member(token, headers, body, urlsplit(path).query)
                    or next(iter(self._hosted.values()))
                )
            if found[0].revoked and found[0].token == token:
                return self._refuse_revoked(found[0], route[len(API_PATH) :])
            return found[1](verb, path, headers, body)
        with self._lock:
            hosted = list(self._hosted.values())
        found = hosted[0]
        if route.startswith(RESPONSE_PATH):
            url_id = route[len(RESPONSE_PATH) :]
            found = next((h for h in hosted if url_id in h[0]._workspace.response_urls), found)
        elif route.startswith(UPLOAD_PATH):
            file_id = route[len(UPLOAD_PATH) :]
            found = next((h for h in hosted if file_id in h[0]._workspace.files), found)
        return found[1](verb, path, headers, body)

    def _refuse_revoked(self, handle: WorkspaceHandle, method: str) -> Reply:
        data = {"ok": False, "error": "token_revoked"}
        with self._lock:
            self._log.record(method, {}, data, 200, team_id=handle.team_id)
        return Reply.json(data)

    # ---- failure injection and pacing ------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` fail: HTTP 429 with Retry-After, HTTP 5xx, or
        HTTP 200 `{"ok": false, "error": error}` when `error` is given. Also for "response_url"."""
        with self._lock:
            self._faults.fail_next(
                method, status=status, retry_after=retry_after, error=error, times=times
            )

    def set_rate_limit(self, method: str, per_second: float | None) -> None:
        """Answer 429 when `method` is called faster than `per_second` per channel (None: off)."""
        with self._lock:
            self._faults.set_rate_limit(method, per_second)

    def set_workspace_rate_limit(self, per_minute: float | None, burst: int = 5) -> None:
        """Answer 429 (with Retry-After) when the workspace as a whole posts or changes messages
        (the WORKSPACE_PACED methods, all channels together) faster than `per_minute`, after a
        burst of `burst`; as Slack's "several hundred a minute per workspace" does. None: off.
        Works alongside the per-channel `set_rate_limit`; a refused call uses up neither limit."""
        with self._lock:
            self._faults.set_workspace_rate_limit(per_minute, burst)

    def set_scopes(self, scopes: Iterable[str] | None) -> None:
        """The bot token's scopes; a method needing another answers ``missing_scope``
        (None: all of them)."""
        with self._lock:
            self._faults.set_scopes(scopes)

    def set_latency(self, seconds: float) -> None:
        """Delay every answer by `seconds`."""
        with self._lock:
            self._faults.set_latency(seconds)

    def new_oauth_code(
        self, *, installer: str = "U0INSTALL", team_id: str | None = None, org: bool = False
    ) -> str:
        """What Slack gives the installer's browser after "Allow" (bot.sandbox.api.oauth), for
        the first workspace or ``team_id``'s; ``org``: an org-wide install of its organisation."""
        ws = self._hosted_or_first(team_id)._workspace
        return oauth.new_code(ws, installer=installer, org=org)

    def make_org(self, enterprise_id: str, *, token: str, team_ids: list[str]) -> None:
        """Enterprise Grid: the hosted workspaces ``team_ids`` are one organisation, and an
        org-wide install's bot ``token`` reaches them all. A call with it is answered as the
        workspace its ``team_id``, ``channel`` or ``user`` argument is in (else the first)."""
        with self._lock:
            members = [self._hosted_or_first(t)._workspace for t in team_ids]
            teams = [{"id": ws.team_id, "name": ws.team_name} for ws in members]
            for ws in members:
                ws.enterprise_id, ws.org_token, ws.org_teams = enterprise_id, token, teams
            self._orgs[token] = team_ids

    def rotate_tokens(self, *, expires_in: int = 43_200, team_id: str | None = None) -> None:
        """Installs from now on get expiring tokens and refresh tokens (token rotation on)."""
        oauth.rotate_tokens(self._hosted_or_first(team_id)._workspace, expires_in=expires_in)

    def _hosted_or_first(self, team_id: str | None) -> WorkspaceHandle:
        found = self if team_id is None else self.workspace(team_id)
        if found is None:
            raise SlackError("team_not_found")
        return found

    def calls(
        self, method: str | None = None, *, ok: bool | None = None, team_id: str | None = None
    ) -> list[Call]:
        """Copies of the recorded calls, oldest first: every workspace's (``Call.team_id`` says
        whose), or only ``team_id``'s; `ok=True` keeps only successful ones. A workspace's
        handle lists its own."""
        with self._lock:
            calls = self._log.select(method, ok=ok)
        return [c for c in calls if team_id is None or c.team_id == team_id]

    def reset(self) -> None:
        """Forget calls, messages, views, files and pending failures; keep the workspaces."""
        with self._lock:
            for handle in self.hosted():
                handle.clear_activity()
            self._faults.clear()
            self._log.clear()


class ControlAPI:
    """The JSON control API under /_sandbox/, for driving a FakeSlack from another process.

    GET calls[?method=], messages[?channel=], transcript, state, socket_acks. POST reset, users,
    statuses, channels, usergroups, messages, fail_next, rate_limit, workspace_rate_limit, latency,
    response_urls, trigger_ids, socket_drop or socket_envelopes (kind, payload) with a JSON
    object of the keyword arguments of the FakeSlack (or SocketModeServer) method. POST
    workspaces hosts another workspace (``add_workspace``); a ``team_id`` in the seeding
    commands (users, channels, usergroups, messages, response_urls, trigger_ids) and in GET
    calls or messages names the hosted workspace meant (default: the first).
    """

    PER_WORKSPACE = (
        "users",
        "statuses",
        "channels",
        "usergroups",
        "messages",
        "response_urls",
        "trigger_ids",
    )

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.actions: dict[str, Callable[..., Any]] = {
            "reset": fake.reset,
            "users": fake.add_user,
            "statuses": fake.set_status,
            "channels": fake.add_channel,
            "usergroups": fake.add_usergroup,
            "messages": fake.add_message,
            "fail_next": fake.fail_next,
            "rate_limit": fake.set_rate_limit,
            "workspace_rate_limit": fake.set_workspace_rate_limit,
            "latency": fake.set_latency,
            "response_urls": fake.new_response_url,
            "trigger_ids": fake.new_trigger_id,
            "socket_drop": fake.sockets.drop,
            "socket_envelopes": fake.sockets.send_envelope,
            "workspaces": lambda **args: fake.add_workspace(**args).team_id,
        }
        # the key an action's result is answered under ({"ok": true, key: result})
        self.result_keys = {
            "users": "user",
            "statuses": "user",
            "channels": "channel",
            "messages": "message",
            "response_urls": "url",
            "trigger_ids": "trigger_id",
            "socket_envelopes": "envelope_id",
            "workspaces": "team_id",
        }

    def __call__(self, verb: str, command: str, query: str, body: bytes) -> Reply:
        params = dict(parse_qsl(query))
        try:
            data = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return Reply.json({"ok": False, "error": "invalid_json"}, 400)
        if not isinstance(data, dict):
            return Reply.json({"ok": False, "error": "invalid_json"}, 400)
        try:
            result = self.query(command, params) if verb == "GET" else self.act(command, data)
        except (TypeError, KeyError, ValueError) as err:
            return Reply.json({"ok": False, "error": "invalid_arguments", "detail": str(err)}, 400)
        if result is None:
            return Reply.json({"ok": False, "error": "unknown_command"}, 404)
        if isinstance(result, str):
            return Reply.text(result)
        return Reply.json({"ok": True, **result})

    def query(self, command: str, params: dict[str, str]) -> dict[str, Any] | str | None:
        """A GET: what the fake recorded or holds; None for an unknown command."""
        if command == "calls":
            calls = self.fake.calls(params.get("method"), team_id=params.get("team_id"))
            return {"calls": [asdict(c) for c in calls]}
        if command == "messages":
            return {"messages": self._hosted(params.get("team_id")).messages(params.get("channel"))}
        if command == "transcript":
            return self.fake.transcript()
        if command == "state":
            return self.fake.state()
        if command == "socket_acks":
            return {"acks": list(self.fake.sockets.acks), "live": self.fake.sockets.live()}
        return None

    def act(self, command: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """A POST: the FakeSlack method named by `command`, called with `data`."""
        action = self.actions.get(command)
        if action is None:
            return None
        if command in self.PER_WORKSPACE and "team_id" in data:
            action = getattr(self._hosted(str(data.pop("team_id"))), action.__name__)
        try:
            result = action(**data)
        except SlackError as err:
            raise ValueError(err.error) from err
        return {self.result_keys[command]: result} if command in self.result_keys else {}

    def _hosted(self, team_id: str | None) -> WorkspaceHandle:
        """The hosted workspace of ``team_id`` (None: the first); unknown: ValueError."""
        handle = self.fake if team_id is None else self.fake.workspace(team_id)
        if handle is None:
            raise ValueError(f"no workspace {team_id} is hosted")
        return handle


def _token_of(headers: dict[str, str], body: bytes, query: str) -> str | None:
    """The token a Web API call carries: its Authorization header, or a `token` argument."""
    header = headers.get("authorization") or ""
    if header.lower().startswith("bearer "):
        return header[len("bearer ") :].strip()
    try:
        args = parse_request_args(headers.get("content-type", ""), body, query)
    except SlackError:
        return None
    token = args.get("token")
    return str(token) if token else None


def serve(port: int, *, token: str = "xoxb-sandbox", team_id: str = "T0SANDBOX") -> None:
    """Run the fake in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    fake = FakeSlack(port, token=token, team_id=team_id).start()
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(
        f"Fake Slack Web API at {fake.base_url} (token {token}, app token "
        f"{fake.app_token}: Socket Mode works too); "
        f"control API at {fake.root_url}/_sandbox/. Ctrl-C to stop.",
        flush=True,
    )
    try:
        while not stopped.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the local fake Slack Web API")
    parser.add_argument("--port", type=int, default=3999)
    parser.add_argument("--token", default="xoxb-sandbox")
    parser.add_argument("--team-id", default="T0SANDBOX")
    args = parser.parse_args(argv)
    serve(args.port, token=args.token, team_id=args.team_id)


if __name__ == "__main__":
    main()
