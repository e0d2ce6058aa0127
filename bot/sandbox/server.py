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
import copy
import json
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.api import oauth
from bot.sandbox.api.conversations import channel_json
from bot.sandbox.api.response_url import new_response_url
from bot.sandbox.api.users import user_json
from bot.sandbox.api.views import new_trigger_id
from bot.sandbox.calls import Call, CallLog, SlackError, summarize
from bot.sandbox.faults import Faults
from bot.sandbox.http import HttpServer, Reply
from bot.sandbox.routes import Routes
from bot.sandbox.socket_mode import SocketModeServer
from bot.sandbox.state import Workspace
from bot.sandbox.transcript import render_transcript

__all__ = ["Call", "FakeSlack", "main", "serve"]


class FakeSlack:
    """The fake Slack Web API. Thread-safe: every state change happens under one lock."""

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
        self._lock = threading.RLock()
        self.app_token = app_token
        self.sockets = SocketModeServer()
        self._http = HttpServer(port, self.handle_http)
        self._workspace = Workspace(
            root_url=f"http://127.0.0.1:{self._http.port}",
            token=token,
            team_id=team_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            app_id=app_id,
            team_name=team_name,
            team_domain=team_domain,
            ts_start=int(time.time()) if ts_start is None else ts_start,
            trigger_ttl=trigger_ttl,
            wall_clock=ts_start is None,
        )
        self._faults = Faults()
        self._log = CallLog()
        control = ControlAPI(self)
        self._routes = Routes(
            self._workspace, self._faults, self._log, self._lock, control, self._socket_url
        )

    # ---- who the fake is -------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._workspace.token

    @property
    def team_id(self) -> str:
        return self._workspace.team_id

    @property
    def bot_user_id(self) -> str:
        return self._workspace.bot_user_id

    @property
    def bot_id(self) -> str:
        return self._workspace.bot_id

    @property
    def app_id(self) -> str:
        return self._workspace.app_id

    @property
    def team_name(self) -> str:
        return self._workspace.team_name

    @property
    def team_domain(self) -> str:
        return self._workspace.team_domain

    @property
    def trigger_ttl(self) -> float:
        return self._workspace.trigger_ttl

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._http.port

    @property
    def root_url(self) -> str:
        return self._workspace.root_url

    @property
    def base_url(self) -> str:
        """What slack_sdk's WebClient(base_url=...) takes."""
        return f"{self.root_url}/api/"

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
        """Answer one HTTP request (called from the server threads)."""
        return self._routes(verb, path, headers, body)

    # ---- workspace seeding -----------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "America/New_York",
        is_bot: bool = False,
        deleted: bool = False,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> dict[str, Any]:
        """Add or replace a member of the workspace; returns the users.info shape."""
        with self._lock:
            self._workspace.add_user(
                user_id,
                name,
                tz=tz,
                is_bot=is_bot,
                deleted=deleted,
                real_name=real_name,
                is_admin=is_admin,
                is_owner=is_owner,
            )
            return user_json(self._workspace, user_id)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        is_archived: bool = False,
        is_private: bool = False,
        creator: str = "",
    ) -> dict[str, Any]:
        """Add or replace a channel; the bot is in it when bot_user_id is among `members`."""
        with self._lock:
            self._workspace.add_channel(
                channel_id,
                name,
                members=members,
                is_archived=is_archived,
                is_private=is_private,
                creator=creator,
            )
            return channel_json(self._workspace, channel_id)

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        with self._lock:
            self._workspace.add_usergroup(group_id, handle, members)

    def add_message(
        self,
        channel_id: str,
        user_id: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """Seed a message written by a person (for shortcuts, reactions, cant_update_message)."""
        with self._lock:
            message = self._workspace.add_message(
                channel_id, user_id, text, ts=ts, thread_ts=thread_ts
            )
            return copy.deepcopy(message)

    def archive_channel(self, channel_id: str) -> None:
        with self._lock:
            self._workspace.archive_channel(channel_id)

    def user_name(self, user_id: str) -> str | None:
        with self._lock:
            return self._workspace.user_name(user_id)

    def channel_name(self, channel_id: str) -> str | None:
        """A channel's name; "directmessage" for a DM with the app, as slash commands say."""
        with self._lock:
            return self._workspace.channel_name(channel_id)

    def find_view_id(self, view: dict[str, Any]) -> str | None:
        """The id of the latest stored view with this callback_id and private_metadata."""
        with self._lock:
            return self._workspace.find_view_id(view)

    def dm_channel(self, user_id: str) -> str:
        """The D... id of the app's DM with this user (stable per user)."""
        with self._lock:
            return self._workspace.dm_for(user_id)

    def state(self) -> dict[str, Any]:
        """The workspace as the API shows it: users, channels, user groups, and base_url."""
        with self._lock:
            ws = self._workspace
            return {
                "users": [user_json(ws, u) for u in ws.users],
                "channels": [channel_json(ws, c) for c in ws.channels],
                "usergroups": copy.deepcopy(list(ws.usergroups.values())),
                "base_url": self.base_url,
            }

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

    # ---- handles given to the bot ----------------------------------------------------------

    def new_response_url(
        self,
        *,
        user_id: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response_url served by the fake; posts to it are recorded as "response_url" calls."""
        with self._lock:
            return new_response_url(self._workspace, user_id, channel_id, message_ts)

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id the fake knows: good once, for `trigger_ttl` seconds."""
        with self._lock:
            return new_trigger_id(self._workspace, user_id)

    def new_oauth_code(self, *, installer: str = "U0INSTALL") -> str:
        """What Slack gives the installer's browser after "Allow" (bot.sandbox.api.oauth)."""
        return oauth.new_code(self._workspace, installer=installer)

    def rotate_tokens(self, *, expires_in: int = 43_200) -> None:
        """Installs from now on get expiring tokens and refresh tokens (token rotation on)."""
        oauth.rotate_tokens(self._workspace, expires_in=expires_in)

    # ---- recording -------------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[Call]:
        """Copies of the recorded calls, oldest first; `ok=True` keeps only successful ones."""
        with self._lock:
            return self._log.select(method, ok=ok)

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The messages as they stand now (after updates and deletes), oldest first.
        `channel` may be a channel id, a D... id or a user id (their DM with the app)."""
        with self._lock:
            return self._workspace.messages_in(channel)

    def views(self) -> list[dict[str, Any]]:
        """Every modal opened or pushed (as last updated), oldest first."""
        with self._lock:
            return [copy.deepcopy(v) for v in self._workspace.views.values()]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view = self._workspace.home.get(user_id)
            return copy.deepcopy(view) if view else None

    def files(self) -> list[dict[str, Any]]:
        """Uploaded files: id, name, title, content (bytes), channels, initial_comment."""
        with self._lock:
            return [copy.deepcopy(f) for f in self._workspace.files.values()]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """Poll until at least `count` matching calls exist; return them all.
        Raises AssertionError with a summary of what was recorded after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method, ok=ok) if predicate is None or predicate(c)]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} {method} call(s) within {timeout}s, got {len(found)}.\n"
                    + self.summary()
                )
            time.sleep(0.01)

    def summary(self, last: int = 40) -> str:
        """The last recorded calls, one line each, for assertion messages."""
        return summarize(self.calls(), last)

    def reset(self) -> None:
        """Forget calls, messages, views, files and pending failures; keep the workspace."""
        with self._lock:
            self._workspace.clear_activity()
            self._faults.clear()
            self._log.clear()

    def transcript(self, *, bot_name: str = "Bravo") -> str:
        """What each person would have seen, from the recorded calls."""
        with self._lock:
            names = {uid: u["name"] for uid, u in self._workspace.users.items()}
            channels = {cid: c["name"] for cid, c in self._workspace.channels.items()}
            return render_transcript(self._log.all(), names, channels, bot_name=bot_name)


class ControlAPI:
    """The JSON control API under /_sandbox/, for driving a FakeSlack from another process.

    GET calls[?method=], messages[?channel=], transcript, state, socket_acks. POST reset, users,
    channels, usergroups, messages, fail_next, rate_limit, workspace_rate_limit, latency,
    response_urls, trigger_ids, socket_drop or socket_envelopes (kind, payload) with a JSON
    object of the keyword arguments of the FakeSlack (or SocketModeServer) method.
    """

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.actions: dict[str, Callable[..., Any]] = {
            "reset": fake.reset,
            "users": fake.add_user,
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
        }
        # the key an action's result is answered under ({"ok": true, key: result})
        self.result_keys = {
            "users": "user",
            "channels": "channel",
            "messages": "message",
            "response_urls": "url",
            "trigger_ids": "trigger_id",
            "socket_envelopes": "envelope_id",
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
            return {"calls": [asdict(c) for c in self.fake.calls(params.get("method"))]}
        if command == "messages":
            return {"messages": self.fake.messages(params.get("channel"))}
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
        try:
            result = action(**data)
        except SlackError as err:
            raise ValueError(err.error) from err
        return {self.result_keys[command]: result} if command in self.result_keys else {}


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
