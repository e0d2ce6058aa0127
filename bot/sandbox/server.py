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
"""

from __future__ import annotations

import argparse
import base64
import copy
import itertools
import json
import secrets
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.args import decode_json_fields, flag, parse_multipart, parse_request_args
from bot.sandbox.blockkit import check_message, check_view
from bot.sandbox.calls import Call, CallContext, CallLog, SlackError, summarize
from bot.sandbox.faults import Faults
from bot.sandbox.http import HttpServer, Reply
from bot.sandbox.transcript import render_transcript

MAX_TEXT = 40_000
RESPONSE_URL_POSTS = 5
RESPONSE_URL_TTL = 30 * 60
READ_ONLY_LIMIT = 1000


def _encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _page(items: list[Any], args: dict[str, Any], default_limit: int) -> tuple[list[Any], str]:
    """Slack-style cursor pagination: (this page, next_cursor or "")."""
    try:
        limit = int(args.get("limit") or 0) or default_limit
    except ValueError as err:
        raise SlackError("invalid_limit") from err
    limit = max(1, min(limit, READ_ONLY_LIMIT))
    start = 0
    cursor = args.get("cursor")
    if cursor:
        try:
            kind, _, number = base64.b64decode(str(cursor), validate=True).decode().partition(":")
            start = int(number)
        except (ValueError, UnicodeDecodeError) as err:
            raise SlackError("invalid_cursor") from err
        if kind != "offset" or start < 0:
            raise SlackError("invalid_cursor")
    page = items[start : start + limit]
    more = start + limit < len(items)
    return page, _encode_cursor(start + limit) if more else ""


def _tz_offset(tz: str) -> tuple[int, str]:
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        return 0, tz
    offset = now.utcoffset()
    return int(offset.total_seconds()) if offset else 0, now.tzname() or tz


Handler = Callable[[dict[str, Any], CallContext], dict[str, Any]]


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
    ) -> None:
        self.token, self.team_id, self.bot_user_id = token, team_id, bot_user_id
        self.bot_id, self.app_id = bot_id, app_id
        self.team_name, self.team_domain = team_name, team_domain
        self.trigger_ttl = trigger_ttl
        self._ts_start = int(time.time()) if ts_start is None else ts_start
        self._lock = threading.RLock()
        self._log = CallLog()
        self._http = HttpServer(port, self.handle_http)
        self._ids = itertools.count(1)
        self._ts_seq = 0
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._usergroups: dict[str, dict[str, Any]] = {}
        self._dms: dict[str, str] = {}  # user id -> D channel id
        self._dm_users: dict[str, str] = {}  # D channel id -> user id
        self._faults = Faults()
        self._clear_activity()
        self._methods: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "team.info": self._team_info,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.scheduleMessage": self._chat_schedule_message,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "usergroups.users.list": self._usergroups_users_list,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.open": self._conversations_open,
            "conversations.list": self._conversations_list,
            "reactions.add": self._reactions_add,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }
        self.add_user(bot_user_id, "bravo", is_bot=True, real_name="Bravo")

    def _clear_activity(self) -> None:
        self._log.clear()
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._scheduled: list[dict[str, Any]] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._view_users: dict[str, str | None] = {}
        self._home: dict[str, dict[str, Any]] = {}
        self._triggers: dict[str, tuple[str | None, float]] = {}
        self._used_triggers: set[str] = set()
        self._response_urls: dict[str, dict[str, Any]] = {}
        self._files: dict[str, dict[str, Any]] = {}
        self._reactions: dict[tuple[str, str], list[str]] = {}
        self._faults.clear()

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._http.port

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What slack_sdk's WebClient(base_url=...) takes."""
        return f"{self.root_url}/api/"

    def start(self) -> FakeSlack:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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
            self._users[user_id] = {
                "id": user_id,
                "name": name,
                "real_name": real_name or name,
                "tz": tz,
                "is_bot": is_bot,
                "deleted": deleted,
                "is_admin": is_admin,
                "is_owner": is_owner,
            }
            return self._user_json(user_id)

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
            self._channels[channel_id] = {
                "id": channel_id,
                "name": name.lstrip("#"),
                "members": list(dict.fromkeys(members)),
                "is_archived": is_archived,
                "is_private": is_private,
                "created": self._ts_start,
                "creator": creator,
            }
            return self._channel_json(channel_id)

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        with self._lock:
            self._usergroups[group_id] = {
                "id": group_id,
                "handle": handle.lstrip("@"),
                "users": list(members),
            }

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
            channel = self._resolve_channel(channel_id, allow_user=True)
            message = {
                "type": "message",
                "user": user_id,
                "text": text,
                "ts": ts or self._next_ts(),
                "team": self.team_id,
                "channel": channel,
            }
            if thread_ts:
                message["thread_ts"] = thread_ts
            self._messages[(channel, message["ts"])] = message
            return copy.deepcopy(message)

    def user_name(self, user_id: str) -> str | None:
        with self._lock:
            user = self._users.get(user_id)
            return str(user["name"]) if user else None

    def channel_name(self, channel_id: str) -> str | None:
        """A channel's name; "directmessage" for a DM with the app, as slash commands say."""
        with self._lock:
            if channel_id in self._dm_users:
                return "directmessage"
            channel = self._channels.get(channel_id)
            return str(channel["name"]) if channel else None

    def find_view_id(self, view: dict[str, Any]) -> str | None:
        """The id of the latest stored view with this callback_id and private_metadata."""
        with self._lock:
            for stored in reversed(self._views.values()):
                if stored["callback_id"] == view.get("callback_id", "") and stored[
                    "private_metadata"
                ] == view.get("private_metadata", ""):
                    return str(stored["id"])
            return None

    def dm_channel(self, user_id: str) -> str:
        """The D... id of the app's DM with this user (stable per user)."""
        with self._lock:
            return self._dm_for(user_id)

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

    def archive_channel(self, channel_id: str) -> None:
        with self._lock:
            self._channels[channel_id]["is_archived"] = True

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
        url_id = secrets.token_hex(8)
        with self._lock:
            self._response_urls[url_id] = {
                "user": user_id,
                "channel": channel_id,
                "message_ts": message_ts,
                "posts": 0,
                "created": time.time(),
            }
        return f"{self.root_url}/_response/{url_id}"

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id the fake knows: good once, for `trigger_ttl` seconds."""
        with self._lock:
            trigger = f"{next(self._ids)}.{self._ts_start}.{secrets.token_hex(8)}"
            self._triggers[trigger] = (user_id, time.time())
            return trigger

    # ---- recording -------------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[Call]:
        """Copies of the recorded calls, oldest first; `ok=True` keeps only successful ones."""
        with self._lock:
            return self._log.select(method, ok=ok)

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The messages as they stand now (after updates and deletes), oldest first.
        `channel` may be a channel id, a D... id or a user id (their DM with the app)."""
        with self._lock:
            if channel is not None and channel in self._dms:
                channel = self._dms[channel]
            return [
                copy.deepcopy(m)
                for (cid, _), m in sorted(self._messages.items(), key=lambda kv: float(kv[0][1]))
                if channel is None or cid == channel
            ]

    def views(self) -> list[dict[str, Any]]:
        """Every modal opened or pushed (as last updated), oldest first."""
        with self._lock:
            return [copy.deepcopy(v) for v in self._views.values()]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view = self._home.get(user_id)
            return copy.deepcopy(view) if view else None

    def files(self) -> list[dict[str, Any]]:
        """Uploaded files: id, name, title, content (bytes), channels, initial_comment."""
        with self._lock:
            return [copy.deepcopy(f) for f in self._files.values()]

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
            self._clear_activity()

    def transcript(self, *, bot_name: str = "Bravo") -> str:
        """What each person would have seen, from the recorded calls."""
        with self._lock:
            names = {uid: u["name"] for uid, u in self._users.items()}
            channels = {cid: c["name"] for cid, c in self._channels.items()}
            calls = self._log.all()
            return render_transcript(calls, names, channels, bot_name=bot_name)

    # ---- HTTP entry point ------------------------------------------------------------------

    def handle_http(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (called from the server threads)."""
        parts = urlsplit(path)
        route = unquote(parts.path)
        with self._lock:
            latency = self._faults.latency
        if latency:
            time.sleep(latency)
        if route.startswith("/api/"):
            return self._web_api(route[len("/api/") :], headers, body, parts.query)
        if route.startswith("/_response/"):
            return self._response_url(route[len("/_response/") :], body)
        if route.startswith("/_upload/"):
            return self._upload(route[len("/_upload/") :], headers, body)
        if route.startswith("/_sandbox/"):
            return self._control(verb, route[len("/_sandbox/") :], parts.query, body)
        return Reply.text("not found", 404)

    def _web_api(self, method: str, headers: dict[str, str], body: bytes, query: str) -> Reply:
        parse_error: str | None = None
        try:
            args = parse_request_args(headers.get("content-type", ""), body, query)
        except SlackError as err:
            args, parse_error = {}, err.error
        supplied = args.pop("token", None)
        with self._lock:
            failure = self._faults.injected(method)
            if failure is not None:
                status, data, headers = failure.answer()
                self._log.record(method, args, data, status)
                return Reply.json(data, status, headers)
            ctx = CallContext()
            reply_headers: dict[str, str] = {}
            try:
                handler = self._methods.get(method)
                if handler is None:
                    raise SlackError("unknown_method")
                if parse_error:
                    raise SlackError(parse_error)
                self._authenticate(headers.get("authorization"), supplied)
                self._faults.check_scope(method)
                wait = self._faults.rate_limited(method, args, time.monotonic())
                if wait:
                    data = {"ok": False, "error": "ratelimited"}
                    self._log.record(method, args, data, 429, ctx)
                    return Reply.json(data, 429, {"Retry-After": str(wait)})
                data = {"ok": True, **handler(args, ctx)}
            except SlackError as err:
                data = {"ok": False, "error": err.error, **err.extra}
            if ctx.warnings:
                reply_headers["X-Sandbox-Warnings"] = ",".join(ctx.warnings)
            self._log.record(method, args, data, 200, ctx)
            return Reply.json(data, 200, reply_headers)

    def _authenticate(self, header: str | None, supplied: Any) -> None:
        token = None
        if header and header.lower().startswith("bearer "):
            token = header[len("bearer ") :].strip()
        elif supplied:
            token = str(supplied)
        if not token:
            raise SlackError("not_authed")
        if token != self.token:
            raise SlackError("invalid_auth")

    # ---- workspace helpers -----------------------------------------------------------------

    def _next_ts(self) -> str:
        self._ts_seq += 1
        seconds, fraction = divmod(self._ts_seq * 100, 1_000_000)
        return f"{self._ts_start + seconds}.{fraction:06d}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def _dm_for(self, user_id: str) -> str:
        if user_id not in self._dms:
            candidate = "D" + user_id[1:]
            while candidate in self._dm_users or candidate in self._channels:
                candidate = self._new_id("D")
            self._dms[user_id] = candidate
            self._dm_users[candidate] = user_id
        return self._dms[user_id]

    def _user(self, user_id: Any) -> dict[str, Any]:
        user = self._users.get(str(user_id or ""))
        if user is None:
            raise SlackError("user_not_found")
        return user

    def _dm_with(self, user_id: str) -> str:
        user = self._users.get(user_id)
        if user is None:
            raise SlackError("channel_not_found")
        if user["deleted"]:
            raise SlackError("user_disabled")
        if user["is_bot"]:
            raise SlackError("cannot_dm_bot")
        return self._dm_for(user_id)

    def _resolve_channel(self, value: Any, *, allow_user: bool) -> str:
        """A channel id from a C/G/D id, a user id (their DM, if allowed) or a channel name."""
        key = str(value or "").strip()
        if not key:
            raise SlackError("channel_not_found")
        if key in self._channels or key in self._dm_users:
            return key
        if key[:1] in ("U", "W") and key in self._users:
            if not allow_user:
                raise SlackError("channel_not_found")
            return self._dm_with(key)
        name = key.lstrip("#")
        for cid, channel in self._channels.items():
            if channel["name"] == name:
                return cid
        raise SlackError("channel_not_found")

    def _visible(self, channel_id: str) -> None:
        """Private channels the bot is not in don't exist, as far as the bot can tell."""
        channel = self._channels.get(channel_id)
        if channel and channel["is_private"] and self.bot_user_id not in channel["members"]:
            raise SlackError("channel_not_found")

    def _can_post(self, channel_id: str) -> None:
        channel = self._channels.get(channel_id)
        if channel is None:
            return  # a DM with the app
        self._visible(channel_id)
        if channel["is_archived"]:
            raise SlackError("is_archived")
        if self.bot_user_id not in channel["members"]:
            raise SlackError("not_in_channel")

    def _members(self, channel_id: str) -> list[str]:
        if channel_id in self._dm_users:
            return [self._dm_users[channel_id], self.bot_user_id]
        return list(self._channels[channel_id]["members"])

    def _check_content(
        self, args: dict[str, Any], ctx: CallContext, *, required: bool = True
    ) -> None:
        text, blocks = args.get("text"), args.get("blocks")
        has_blocks = isinstance(blocks, list) and len(blocks) > 0
        if required and not text and not has_blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if isinstance(text, str) and len(text) > MAX_TEXT:
            raise SlackError("msg_too_long")
        problems = check_message(args)
        if problems:
            raise SlackError(
                "invalid_blocks",
                errors=problems,
                response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
            )
        if has_blocks and not text:
            ctx.warnings.append("missing_text_fallback")

    def _bot_message(self, channel: str, args: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "text": args.get("text") or "",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": ts,
            "channel": channel,
        }
        for key in ("blocks", "attachments", "metadata", "thread_ts"):
            if args.get(key):
                message[key] = args[key]
        return message

    def _public(self, message: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}

    def _note_dm(self, channel: str, ctx: CallContext) -> None:
        if channel in self._dm_users:
            ctx.context["dm_user"] = self._dm_users[channel]

    def _user_json(self, user_id: str) -> dict[str, Any]:
        u = self._users[user_id]
        offset, label = _tz_offset(u["tz"])
        profile: dict[str, Any] = {
            "display_name": u["name"],
            "display_name_normalized": u["name"],
            "real_name": u["real_name"],
            "real_name_normalized": u["real_name"],
            "team": self.team_id,
        }
        if user_id == self.bot_user_id:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": u["name"],
            "deleted": u["deleted"],
            "real_name": u["real_name"],
            "tz": u["tz"],
            "tz_label": label,
            "tz_offset": offset,
            "is_admin": u["is_admin"] or u["is_owner"],
            "is_owner": u["is_owner"],
            "is_bot": u["is_bot"],
            "is_app_user": False,
            "updated": self._ts_start,
            "profile": profile,
        }

    def _channel_json(self, channel_id: str) -> dict[str, Any]:
        if channel_id in self._dm_users:
            return {
                "id": channel_id,
                "created": self._ts_start,
                "is_im": True,
                "is_org_shared": False,
                "user": self._dm_users[channel_id],
                "is_open": True,
                "is_user_deleted": self._users.get(self._dm_users[channel_id], {}).get("deleted"),
            }
        c = self._channels[channel_id]
        return {
            "id": channel_id,
            "name": c["name"],
            "name_normalized": c["name"],
            "is_channel": not c["is_private"],
            "is_group": c["is_private"],
            "is_im": False,
            "is_mpim": c.get("is_mpim", False),
            "is_private": c["is_private"],
            "is_archived": c["is_archived"],
            "is_general": False,
            "is_member": self.bot_user_id in c["members"],
            "created": c["created"],
            "creator": c.get("creator", ""),
            "num_members": len(c["members"]),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }

    # ---- Web API methods -------------------------------------------------------------------

    def _auth_test(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _team_info(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        return {
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "domain": self.team_domain,
                "email_domain": "",
                "icon": {"image_default": True},
            }
        }

    def _chat_post_message(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=True)
        self._can_post(channel)
        self._check_content(args, ctx)
        self._note_dm(channel, ctx)
        message = self._bot_message(channel, args, self._next_ts())
        self._messages[(channel, message["ts"])] = message
        return {"channel": channel, "ts": message["ts"], "message": self._public(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=True)
        self._visible(channel)
        if self._channels.get(channel, {}).get("is_archived"):
            raise SlackError("is_archived")
        user = self._user(args.get("user"))["id"]
        if user not in self._members(channel):
            raise SlackError("user_not_in_channel")
        self._check_content(args, ctx)
        ctx.context["user"] = user
        return {"message_ts": self._next_ts()}

    def _own_message(self, args: dict[str, Any], *, verb: str) -> tuple[str, dict[str, Any]]:
        channel = self._resolve_channel(args.get("channel"), allow_user=False)
        self._visible(channel)
        message = self._messages.get((channel, str(args.get("ts") or "")))
        if message is None:
            raise SlackError("message_not_found")
        if message.get("user") != self.bot_user_id:
            raise SlackError(f"cant_{verb}_message")
        return channel, message

    def _chat_update(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel, message = self._own_message(args, verb="update")
        if self._channels.get(channel, {}).get("is_archived"):
            raise SlackError("is_archived")
        self._check_content(args, ctx)
        self._note_dm(channel, ctx)
        message["text"] = args.get("text") or ""
        for key in ("blocks", "attachments", "metadata"):
            if key in args:  # Slack keeps the old blocks unless new ones (maybe []) are given
                if args[key]:
                    message[key] = args[key]
                else:
                    message.pop(key, None)
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": self._public(message),
        }

    def _chat_delete(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel, message = self._own_message(args, verb="delete")
        self._note_dm(channel, ctx)
        del self._messages[(channel, message["ts"])]
        return {"channel": channel, "ts": message["ts"]}

    def _chat_get_permalink(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=False)
        self._visible(channel)
        ts = str(args.get("message_ts") or "")
        if not ts:
            raise SlackError("message_not_found")
        permalink = (
            f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        )
        return {"channel": channel, "permalink": permalink}

    def _chat_schedule_message(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=True)
        self._can_post(channel)
        try:
            post_at = int(float(args.get("post_at") or 0))
        except ValueError as err:
            raise SlackError("invalid_time") from err
        now = time.time()
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at > now + 120 * 86400:
            raise SlackError("time_too_far")
        self._check_content(args, ctx)
        self._note_dm(channel, ctx)
        scheduled_id = self._new_id("Q")
        message = self._bot_message(channel, args, "")
        self._scheduled.append({"id": scheduled_id, "post_at": post_at, "message": message})
        return {
            "channel": channel,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": self._public(message),
        }

    # views

    def _view_arg(self, args: dict[str, Any], *, kind: str) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: view"]},
            )
        problems = check_view(view)
        if view.get("type") != kind and not any("/view/type" in p for p in problems):
            problems.insert(0, f"must be {kind} [json-pointer:/view/type]")
        if problems:
            raise SlackError(
                "invalid_blocks",
                errors=problems,
                response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
            )
        return view

    def _use_trigger(self, args: dict[str, Any], ctx: CallContext) -> None:
        trigger = str(args.get("trigger_id") or args.get("interactivity_pointer") or "")
        if not trigger:
            raise SlackError(
                "invalid_arguments",
                response_metadata={"messages": ["[ERROR] missing required field: trigger_id"]},
            )
        if trigger in self._used_triggers:
            raise SlackError("expired_trigger_id")
        user, issued = self._triggers.get(trigger, (None, time.time()))
        if time.time() - issued > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        self._used_triggers.add(trigger)
        if user:
            ctx.context["user"] = user

    def _store_view(
        self,
        view: dict[str, Any],
        *,
        view_id: str | None = None,
        previous: str | None = None,
        root: str | None = None,
    ) -> dict[str, Any]:
        view_id = view_id or self._new_id("V")
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": previous,
            "root_view_id": root or view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        return stored

    def _views_open(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        self._use_trigger(args, ctx)
        view = self._store_view(self._view_arg(args, kind="modal"))
        self._views[view["id"]] = view
        self._view_users[view["id"]] = ctx.context.get("user")
        return {"view": copy.deepcopy(view)}

    def _views_push(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        self._use_trigger(args, ctx)
        user = ctx.context.get("user")
        under = [vid for vid, u in self._view_users.items() if u == user and user]
        previous = under[-1] if under else None
        root = self._views[previous]["root_view_id"] if previous else None
        view = self._store_view(self._view_arg(args, kind="modal"), previous=previous, root=root)
        self._views[view["id"]] = view
        self._view_users[view["id"]] = user
        return {"view": copy.deepcopy(view)}

    def _views_update(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        view_id, external_id = args.get("view_id"), args.get("external_id")
        if not view_id and not external_id:
            raise SlackError("invalid_arguments")
        found = [
            v
            for v in self._views.values()
            if (view_id and v["id"] == view_id) or (external_id and v["external_id"] == external_id)
        ]
        if not found:
            raise SlackError("not_found")
        old = found[-1]
        if args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(
            self._view_arg(args, kind="modal"),
            view_id=old["id"],
            previous=old["previous_view_id"],
            root=old["root_view_id"],
        )
        self._views[view["id"]] = view
        user = self._view_users.get(view["id"])
        if user:
            ctx.context["user"] = user
        return {"view": copy.deepcopy(view)}

    def _views_publish(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        user = self._user(args.get("user_id"))["id"]
        old = self._home.get(user)
        if old and args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(
            self._view_arg(args, kind="home"), view_id=old["id"] if old else None
        )
        self._home[user] = view
        ctx.context["user"] = user
        return {"view": copy.deepcopy(view)}

    # people and conversations

    def _users_info(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        return {"user": self._user_json(self._user(args.get("user"))["id"])}

    def _users_list(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        page, cursor = _page(list(self._users), args, default_limit=READ_ONLY_LIMIT)
        return {
            "members": [self._user_json(uid) for uid in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": cursor},
        }

    def _usergroups_users_list(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        group = self._usergroups.get(str(args.get("usergroup") or ""))
        if group is None:
            raise SlackError("no_such_subteam")
        return {"users": list(group["users"])}

    def _conversations_info(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=False)
        self._visible(channel)
        return {"channel": self._channel_json(channel)}

    def _conversations_members(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"), allow_user=False)
        self._visible(channel)
        page, cursor = _page(self._members(channel), args, default_limit=100)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_list(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        types = set(str(args.get("types") or "public_channel").split(","))
        exclude_archived = flag(args.get("exclude_archived"))
        wanted = []
        for cid, c in self._channels.items():
            kind = "private_channel" if c["is_private"] else "public_channel"
            if c.get("is_mpim"):
                kind = "mpim"
            if kind not in types or (exclude_archived and c["is_archived"]):
                continue
            if c["is_private"] and self.bot_user_id not in c["members"]:
                continue
            wanted.append(cid)
        if "im" in types:
            wanted += list(self._dm_users)
        page, cursor = _page(wanted, args, default_limit=100)
        return {
            "channels": [self._channel_json(cid) for cid in page],
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_open(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        if args.get("channel"):
            channel = self._resolve_channel(args["channel"], allow_user=False)
            return {"channel": {"id": channel}, "no_op": True, "already_open": True}
        raw = args.get("users")
        users = raw if isinstance(raw, list) else [u for u in str(raw or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        for uid in users:
            if self._user(uid)["deleted"]:
                raise SlackError("user_disabled")
        if len(users) == 1:
            already = users[0] in self._dms
            channel = self._dm_for(users[0])
            ctx.context["dm_user"] = users[0]
            return {"channel": {"id": channel}, "no_op": already, "already_open": already}
        members = sorted({*users, self.bot_user_id})
        for cid, c in self._channels.items():
            if c.get("is_mpim") and sorted(c["members"]) == members:
                return {"channel": {"id": cid}, "no_op": True, "already_open": True}
        cid = self._new_id("G")
        names = "--".join(self._users[u]["name"] for u in members)
        self.add_channel(cid, f"mpdm-{names}-1", members=members, is_private=True)
        self._channels[cid]["is_mpim"] = True
        return {"channel": {"id": cid}}

    def _reactions_add(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        name = str(args.get("name") or "").strip(":")
        ts = str(args.get("timestamp") or "")
        if not ts:
            raise SlackError("no_item_specified")
        if not name:
            raise SlackError("invalid_name")
        channel = self._resolve_channel(args.get("channel"), allow_user=False)
        self._visible(channel)
        self._note_dm(channel, ctx)
        done = self._reactions.setdefault((channel, ts), [])
        if name in done:
            raise SlackError("already_reacted")
        done.append(name)
        message = self._messages.get((channel, ts))
        if message is not None:
            message.setdefault("reactions", []).append(
                {"name": name, "users": [self.bot_user_id], "count": 1}
            )
        return {}

    # files

    def _files_get_upload_url(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        filename = args.get("filename")
        try:
            length = int(args.get("length") or -1)
        except ValueError:
            length = -1
        if not filename or length < 0:
            raise SlackError("invalid_arguments")
        file_id = self._new_id("F")
        self._files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "length": length,
            "alt_txt": args.get("alt_txt"),
            "content": None,
            "completed": False,
            "channels": [],
            "initial_comment": None,
        }
        return {"upload_url": f"{self.root_url}/_upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any], ctx: CallContext) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        channel = None
        if args.get("channel_id"):
            channel = self._resolve_channel(args["channel_id"], allow_user=False)
            self._can_post(channel)
            self._note_dm(channel, ctx)
        done = []
        for entry in entries:
            stored = self._files.get(str(entry.get("id") if isinstance(entry, dict) else ""))
            if stored is None or stored["content"] is None:
                raise SlackError("file_not_found")
            done.append((stored, entry))
        shared = []
        for stored, entry in done:
            stored["completed"] = True
            stored["title"] = entry.get("title") or stored["name"]
            stored["initial_comment"] = args.get("initial_comment")
            if channel:
                stored["channels"].append(channel)
            shared.append(
                {
                    "id": stored["id"],
                    "name": stored["name"],
                    "title": stored["title"],
                    "size": len(stored["content"]),
                    "channels": list(stored["channels"]),
                    "permalink": f"https://{self.team_domain}.slack.com/files/{stored['id']}",
                }
            )
        if channel:
            ts = self._next_ts()
            message = self._bot_message(channel, {"text": args.get("initial_comment")}, ts)
            message["files"] = copy.deepcopy(shared)
            self._messages[(channel, ts)] = message
        return {"files": shared}

    def _upload(self, file_id: str, headers: dict[str, str], body: bytes) -> Reply:
        content_type = headers.get("content-type", "")
        if content_type.lower().startswith("multipart/form-data"):
            _, files = parse_multipart(content_type, body)
            body = next(iter(files.values()), b"")
        with self._lock:
            stored = self._files.get(file_id)
            if stored is None:
                self._log.record("file_upload", {"file_id": file_id}, {"ok": False}, 404)
                return Reply.text("file_not_found", 404)
            stored["content"] = body
            args = {"file_id": file_id, "length": len(body)}
            self._log.record("file_upload", args, {"ok": True}, 200)
        return Reply.text(f"OK - {len(body)}")

    # ---- response_url ----------------------------------------------------------------------

    def _response_url(self, url_id: str, body: bytes) -> Reply:
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            payload = None
        args: dict[str, Any] = {"url_id": url_id}
        if isinstance(payload, dict):
            args.update(decode_json_fields(dict(payload)))
        with self._lock:
            entry = self._response_urls.get(url_id)
            keys = ("user", "channel", "message_ts")
            ctx = CallContext(context={k: entry[k] for k in keys} if entry else {})
            failure = self._faults.injected("response_url")
            if failure is not None:
                status, data, headers = failure.answer()
                self._log.record("response_url", args, data, status, ctx)
                return Reply.json(data, status, headers)
            status, error = self._response_url_problem(entry, payload, args)
            if error:
                self._log.record("response_url", args, {"ok": False, "error": error}, status, ctx)
                return Reply.text(error, status)
            assert entry is not None
            entry["posts"] += 1
            if args.get("text") is None and args.get("blocks"):
                ctx.warnings.append("missing_text_fallback")
            self._apply_response(entry, args)
            self._log.record("response_url", args, {"ok": True}, 200, ctx)
        return Reply.text("ok")

    def _response_url_problem(
        self, entry: dict[str, Any] | None, payload: Any, args: dict[str, Any]
    ) -> tuple[int, str | None]:
        if entry is None:
            return 404, "no_service"
        if time.time() - entry["created"] > RESPONSE_URL_TTL:
            return 404, "expired_url"
        if entry["posts"] >= RESPONSE_URL_POSTS:
            return 404, "used_url"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        if check_message(args):
            return 400, "invalid_blocks"
        if not (args.get("text") or args.get("blocks") or args.get("delete_original")):
            return 400, "no_text"
        return 200, None

    def _apply_response(self, entry: dict[str, Any], args: dict[str, Any]) -> None:
        channel, ts = entry["channel"], entry["message_ts"]
        original = self._messages.get((channel, ts)) if channel and ts else None
        if flag(args.get("delete_original")):
            if original is not None:
                del self._messages[(channel, ts)]
        elif flag(args.get("replace_original")):
            if original is not None:
                original["text"] = args.get("text") or ""
                original["blocks"] = args.get("blocks") or []
                original["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        elif args.get("response_type") == "in_channel" and channel:
            ts = self._next_ts()
            self._messages[(channel, ts)] = self._bot_message(channel, args, ts)

    # ---- control API -----------------------------------------------------------------------

    def _control(self, verb: str, command: str, query: str, body: bytes) -> Reply:
        params = dict(parse_qsl(query))
        try:
            data = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return Reply.json({"ok": False, "error": "invalid_json"}, 400)
        if not isinstance(data, dict):
            return Reply.json({"ok": False, "error": "invalid_json"}, 400)
        try:
            result = self._control_command(verb, command, params, data)
        except (TypeError, KeyError, ValueError) as err:
            return Reply.json({"ok": False, "error": "invalid_arguments", "detail": str(err)}, 400)
        if result is None:
            return Reply.json({"ok": False, "error": "unknown_command"}, 404)
        if isinstance(result, str):
            return Reply.text(result)
        return Reply.json({"ok": True, **result})

    def _control_command(
        self, verb: str, command: str, params: dict[str, str], data: dict[str, Any]
    ) -> dict[str, Any] | str | None:
        if verb == "GET":
            if command == "calls":
                method = params.get("method")
                return {"calls": [asdict(c) for c in self.calls(method)]}
            if command == "messages":
                return {"messages": self.messages(params.get("channel"))}
            if command == "transcript":
                return self.transcript()
            if command == "state":
                with self._lock:
                    return {
                        "users": [self._user_json(u) for u in self._users],
                        "channels": [self._channel_json(c) for c in self._channels],
                        "usergroups": copy.deepcopy(list(self._usergroups.values())),
                        "base_url": self.base_url,
                    }
            return None
        actions: dict[str, Callable[..., Any]] = {
            "reset": self.reset,
            "users": self.add_user,
            "channels": self.add_channel,
            "usergroups": self.add_usergroup,
            "messages": self.add_message,
            "fail_next": self.fail_next,
            "rate_limit": self.set_rate_limit,
            "workspace_rate_limit": self.set_workspace_rate_limit,
            "latency": self.set_latency,
            "response_urls": self.new_response_url,
            "trigger_ids": self.new_trigger_id,
        }
        keys = {"users": "user", "channels": "channel", "messages": "message"}
        keys |= {"response_urls": "url", "trigger_ids": "trigger_id"}
        action = actions.get(command)
        if action is None:
            return None
        try:
            result = action(**data)
        except SlackError as err:
            raise ValueError(err.error) from err
        return {keys[command]: result} if command in keys else {}


def serve(port: int, *, token: str = "xoxb-sandbox", team_id: str = "T0SANDBOX") -> None:
    """Run the fake in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    fake = FakeSlack(port, token=token, team_id=team_id).start()
    stopped = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(
        f"Fake Slack Web API at {fake.base_url} (token {token}); "
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
