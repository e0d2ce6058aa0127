"""The workspace the fake pretends to be: who and what is in it, and what the bot has done there.

`Workspace` holds the team's identity, its members, channels, user groups and the app's DMs (the
workspace proper, seeded from Python or the control API), and the activity that `clear_activity`
forgets (messages, scheduled messages, modals and Home tabs, trigger_ids, response_urls, files,
reactions). It also holds the rules every Web API family shares: how a channel argument is
resolved, what the bot can see and post to, how ids and timestamps are made.

Not thread-safe on its own: `FakeSlack` calls it under its lock.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Iterable
from typing import Any

from bot.sandbox.calls import CallContext, SlackError


class Workspace:
    """One Slack workspace with the app installed, as the fake keeps it."""

    def __init__(
        self,
        *,
        root_url: str,
        token: str,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        team_name: str,
        team_domain: str,
        ts_start: int,
        trigger_ttl: float,
        wall_clock: bool = False,
        id_start: int = 1,
    ) -> None:
        self.root_url = root_url  # where the fake is served, for upload and response URLs
        # Enterprise Grid (``FakeSlack.make_org``): the organisation this workspace is in, the
        # org-wide install's bot token (it answers to it too) and the org's workspaces.
        self.enterprise_id: str | None = None
        self.org_token: str | None = None
        self.org_teams: list[dict[str, str]] = []
        self.token, self.team_id, self.bot_user_id = token, team_id, bot_user_id
        self.bot_id, self.app_id = bot_id, app_id
        self.team_name, self.team_domain = team_name, team_domain
        self.ts_start = ts_start
        # Timestamps follow the wall clock (as Slack's do: history is read by time), unless a
        # fixed ts_start was asked for (tests that want the same ts every run).
        self.wall_clock = wall_clock
        self.trigger_ttl = trigger_ttl
        self._ids = itertools.count(id_start)  # apart per workspace: ids are unique in the fake
        self._ts_seq = 0
        self._last_micros = 0
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}
        self.dms: dict[str, str] = {}  # user id -> D channel id
        self.dm_users: dict[str, str] = {}  # D channel id -> user id
        self.clear_activity()
        self.add_user(bot_user_id, "bravo", is_bot=True, real_name="Bravo")

    def clear_activity(self) -> None:
        """Forget what happened (messages, views, files...); keep the people and channels."""
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message
        self.scheduled: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}  # modals by view id
        self.view_users: dict[str, str | None] = {}  # view id -> the person who sees it
        self.home: dict[str, dict[str, Any]] = {}  # user id -> Home tab
        self.triggers: dict[str, tuple[str | None, float]] = {}  # -> (user, issued at)
        self.used_triggers: set[str] = set()
        self.response_urls: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.reactions: dict[tuple[str, str], list[str]] = {}

    # ---- seeding ---------------------------------------------------------------------------

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
    ) -> None:
        """Add or replace a member of the workspace. A person's email is ``email`` or, by
        default, their name at example.com (a bot has none)."""
        if email is None and not is_bot:
            email = "{}@example.com".format(".".join(name.lower().split()) or user_id.lower())
        self.users[user_id] = {
            "id": user_id,
            "name": name,
            "real_name": real_name or name,
            "tz": tz,
            "is_bot": is_bot,
            "deleted": deleted,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "email": email,
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
        }

    def set_status(
        self, user_id: str, text: str = "", emoji: str = "", expiration: int = 0
    ) -> None:
        """A member's Slack status, as they would set it (empty text and emoji: cleared;
        ``expiration``: Unix seconds when Slack clears it, 0 for never)."""
        user = self.user(user_id)
        user["status_text"], user["status_emoji"] = text, emoji
        user["status_expiration"] = int(expiration)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        is_archived: bool = False,
        is_private: bool = False,
        creator: str = "",
    ) -> None:
        """Add or replace a channel; the bot is in it when bot_user_id is among `members`."""
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name.lstrip("#"),
            "members": list(dict.fromkeys(members)),
            "is_archived": is_archived,
            "is_private": is_private,
            "created": self.ts_start,
            "creator": creator,
        }

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        self.usergroups[group_id] = {
            "id": group_id,
            "handle": handle.lstrip("@"),
            "users": list(members),
        }

    def add_message(
        self, channel_id: str, user_id: str, text: str, *, ts: str | None, thread_ts: str | None
    ) -> dict[str, Any]:
        """Store a message written by a person; returns it (not a copy)."""
        channel = self.resolve_channel(channel_id, allow_user=True)
        message = {
            "type": "message",
            "user": user_id,
            "text": text,
            "ts": ts or self.next_ts(),
            "team": self.team_id,
            "channel": channel,
        }
        if thread_ts:
            message["thread_ts"] = thread_ts
        self.messages[(channel, message["ts"])] = message
        return message

    def archive_channel(self, channel_id: str) -> None:
        self.channels[channel_id]["is_archived"] = True

    # ---- ids and timestamps ----------------------------------------------------------------

    def next_ts(self) -> str:
        """A message timestamp, later than every one before: 100 µs apart from ts_start, or
        the wall clock's time (at least 100 µs after the one before)."""
        self._ts_seq += 1
        micros = self.ts_start * 1_000_000 + self._ts_seq * 100
        if self.wall_clock:
            micros = max(self._last_micros + 100, time.time_ns() // 1000)
        self._last_micros = micros
        seconds, fraction = divmod(micros, 1_000_000)
        return f"{seconds}.{fraction:06d}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def next_number(self) -> int:
        """The next number of the sequence that new ids are numbered from."""
        return next(self._ids)

    # ---- people and conversations ----------------------------------------------------------

    def user(self, user_id: Any) -> dict[str, Any]:
        user = self.users.get(str(user_id or ""))
        if user is None:
            raise SlackError("user_not_found")
        return user

    def user_name(self, user_id: str) -> str | None:
        user = self.users.get(user_id)
        return str(user["name"]) if user else None

    def channel_name(self, channel_id: str) -> str | None:
        """A channel's name; "directmessage" for a DM with the app, as slash commands say."""
        if channel_id in self.dm_users:
            return "directmessage"
        channel = self.channels.get(channel_id)
        return str(channel["name"]) if channel else None

    def dm_for(self, user_id: str) -> str:
        """The D... id of the app's DM with this user (stable per user; opened on first use)."""
        if user_id not in self.dms:
            candidate = "D" + user_id[1:]
            while candidate in self.dm_users or candidate in self.channels:
                candidate = self.new_id("D")
            self.dms[user_id] = candidate
            self.dm_users[candidate] = user_id
        return self.dms[user_id]

    def dm_with(self, user_id: str) -> str:
        """The DM with a person the bot may write to."""
        user = self.users.get(user_id)
        if user is None:
            raise SlackError("channel_not_found")
        if user["deleted"]:
            raise SlackError("user_disabled")
        if user["is_bot"]:
            raise SlackError("cannot_dm_bot")
        return self.dm_for(user_id)

    def resolve_channel(self, value: Any, *, allow_user: bool) -> str:
        """A channel id from a C/G/D id, a user id (their DM, if allowed) or a channel name."""
        key = str(value or "").strip()
        if not key:
            raise SlackError("channel_not_found")
        if key in self.channels or key in self.dm_users:
            return key
        if key[:1] in ("U", "W") and key in self.users:
            if not allow_user:
                raise SlackError("channel_not_found")
            return self.dm_with(key)
        name = key.lstrip("#")
        for cid, channel in self.channels.items():
            if channel["name"] == name:
                return cid
        raise SlackError("channel_not_found")

    def visible(self, channel_id: str) -> None:
        """Private channels the bot is not in don't exist, as far as the bot can tell."""
        channel = self.channels.get(channel_id)
        if channel and channel["is_private"] and self.bot_user_id not in channel["members"]:
            raise SlackError("channel_not_found")

    def can_post(self, channel_id: str) -> None:
        """Raise the error Slack gives when the bot may not post in this channel."""
        channel = self.channels.get(channel_id)
        if channel is None:
            return  # a DM with the app
        self.visible(channel_id)
        if channel["is_archived"]:
            raise SlackError("is_archived")
        if self.bot_user_id not in channel["members"]:
            raise SlackError("not_in_channel")

    def is_archived(self, channel_id: str) -> bool:
        return bool(self.channels.get(channel_id, {}).get("is_archived"))

    def members(self, channel_id: str) -> list[str]:
        if channel_id in self.dm_users:
            return [self.dm_users[channel_id], self.bot_user_id]
        return list(self.channels[channel_id]["members"])

    def note_dm(self, channel: str, ctx: CallContext) -> None:
        """Record in the call's context whose DM `channel` is, if it is one."""
        if channel in self.dm_users:
            ctx.context["dm_user"] = self.dm_users[channel]

    # ---- messages and views ----------------------------------------------------------------

    def bot_message(self, channel: str, args: dict[str, Any], ts: str) -> dict[str, Any]:
        """A message from the bot, as stored, from the arguments of the call that posts it."""
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

    def messages_in(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Copies of the messages as they stand now, oldest first. `channel` may be a channel
        id, a D... id or a user id (their DM with the app); None: every channel."""
        if channel is not None and channel in self.dms:
            channel = self.dms[channel]
        return [
            copy.deepcopy(m)
            for (cid, _), m in sorted(self.messages.items(), key=lambda kv: float(kv[0][1]))
            if channel is None or cid == channel
        ]

    def find_view_id(self, view: dict[str, Any]) -> str | None:
        """The id of the latest stored view with this callback_id and private_metadata."""
        for stored in reversed(self.views.values()):
            if stored["callback_id"] == view.get("callback_id", "") and stored[
                "private_metadata"
            ] == view.get("private_metadata", ""):
                return str(stored["id"])
        return None
