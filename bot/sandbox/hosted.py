"""One workspace of the fake, as tests and the control API see it: seed its people and
channels, read what the bot did there. `FakeSlack` is the handle of its first workspace (so the
single-workspace API is this one); `FakeSlack.add_workspace` returns a handle for each other one.

Each workspace has its own token, people, channels, messages and views; the calls answered for it
are recorded with its team id (`Call.team_id`), so `calls` here lists only its own.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.sandbox.api.conversations import channel_json
from bot.sandbox.api.response_url import new_response_url
from bot.sandbox.api.users import user_json
from bot.sandbox.api.views import new_trigger_id
from bot.sandbox.calls import Call, CallContext, CallLog, summarize
from bot.sandbox.state import Workspace
from bot.sandbox.transcript import render_transcript


class TeamLog(CallLog):
    """Records into the fake's one log, with the team the call was answered for."""

    def __init__(self, shared: CallLog, team_id: str) -> None:
        super().__init__()
        self.shared, self.team_id = shared, team_id

    def record(
        self,
        method: str,
        args: dict[str, Any],
        response: dict[str, Any],
        status: int,
        ctx: CallContext | None = None,
        *,
        team_id: str = "",
    ) -> None:
        self.shared.record(method, args, response, status, ctx, team_id=team_id or self.team_id)


class WorkspaceHandle:
    """One hosted workspace: seeding, its handles (trigger ids, response URLs) and what the bot
    did there. Thread-safe: everything happens under the fake's one lock."""

    def __init__(self, workspace: Workspace, lock: threading.RLock, log: CallLog) -> None:
        self._workspace, self._lock, self._log = workspace, lock, log
        self.revoked = False  # the token was revoked: every call answers token_revoked

    # ---- who the workspace is -------------------------------------------------------------------

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

    @property
    def root_url(self) -> str:
        return self._workspace.root_url

    @property
    def base_url(self) -> str:
        """What slack_sdk's WebClient(base_url=...) takes."""
        return f"{self.root_url}/api/"

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
        email: str | None = None,
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
                email=email,
            )
            return user_json(self._workspace, user_id)

    def set_status(
        self, user_id: str, text: str = "", emoji: str = "", expiration: int = 0
    ) -> dict[str, Any]:
        """Set (or, with no text and emoji, clear) a member's Slack status; returns the
        users.info shape. Slack would also send ``user_status_changed``: a test sends that event
        itself when it wants Bravo told."""
        with self._lock:
            self._workspace.set_status(user_id, text, emoji, expiration)
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

    # ---- recording -------------------------------------------------------------------------

    def calls(self, method: str | None = None, *, ok: bool | None = None) -> list[Call]:
        """Copies of the calls answered for this workspace, oldest first; `ok=True` keeps only
        successful ones."""
        with self._lock:
            return [c for c in self._log.select(method, ok=ok) if c.team_id == self.team_id]

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

    def revoke(self) -> None:
        """Revoke the workspace's bot token (an uninstall): every call with it answers
        ``token_revoked`` from now on."""
        with self._lock:
            self.revoked = True

    def clear_activity(self) -> None:
        """Forget this workspace's messages, views and files; keep its people and channels."""
        with self._lock:
            self._workspace.clear_activity()

    def transcript(self, *, bot_name: str = "Bravo") -> str:
        """What each person would have seen, from the recorded calls."""
        with self._lock:
            names = {uid: u["name"] for uid, u in self._workspace.users.items()}
            channels = {cid: c["name"] for cid, c in self._workspace.channels.items()}
            return render_transcript(
                [c for c in self._log.all() if c.team_id == self.team_id],
                names,
                channels,
                bot_name=bot_name,
            )
