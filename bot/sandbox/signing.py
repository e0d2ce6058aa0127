"""Signed requests to the bot, built and sent the way Slack sends them.

`SlackRequester` posts slash commands, shortcuts, button clicks, view submissions and Events API
deliveries to the bot's ``/slack/events`` URL over real HTTP, signed with the app's signing secret
(``X-Slack-Signature: v0=HMAC-SHA256("v0:{timestamp}:{body}")``). Payloads follow the shapes in
Slack's documentation. With a `FakeSlack`, response_urls and trigger_ids are ones the fake knows,
so whatever the bot does with them is recorded there.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.sandbox.hosted import WorkspaceHandle

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Slack's request signature: v0= + hex HMAC-SHA256 of b"v0:{timestamp}:" + body."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackResult:
    """What the bot answered."""

    status: int
    body: str
    elapsed: float
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is empty or not JSON."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


def _find_element(blocks: Any, action_id: str) -> tuple[str | None, dict[str, Any] | None]:
    """(block_id, element) of the element with this action_id in a list of blocks."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        elements = list(block.get("elements") or [])
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id"), element
    return None, None


class SlackRequester:
    """Sends the bot signed requests shaped like Slack's; every method returns a SlackResult.

    Every sending method takes `bad_signature=True` (a forged signature) and `timestamp_offset`
    (seconds added to the signing timestamp, e.g. -600 for a stale request).
    """

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0SANDBOX",
        fake: WorkspaceHandle | None = None,
        clock: Callable[[], float] = time.time,
        api_app_id: str = "A0BRAVO",
        team_domain: str = "sandbox",
        verification_token: str = "sandbox-verification-token",
        timeout: float = 10.0,
        enterprise_id: str | None = None,
    ) -> None:
        """``enterprise_id``: requests from a workspace of an Enterprise Grid organisation whose
        install is org-wide (they carry the enterprise and ``is_enterprise_install``)."""
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.fake = fake
        self.clock = clock
        self.api_app_id = api_app_id
        self.team_domain = team_domain
        self.verification_token = verification_token
        self.timeout = timeout
        self.enterprise_id = enterprise_id
        self._seq: Iterator[int] = itertools.count(1)

    # ---- transport -------------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: Mapping[str, str] | None = None,
        bad_signature: bool = False,
        timestamp_offset: int = 0,
    ) -> SlackResult:
        """POST a raw body to the bot, signed as Slack signs it (or forged, or stale)."""
        timestamp = int(self.clock()) + timestamp_offset
        signature = sign(self.signing_secret, timestamp, body)
        if bad_signature:
            signature = sign(self.signing_secret + "-forged", timestamp, body)
        request = urllib.request.Request(
            self.bot_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Signature": signature,
                "X-Slack-Request-Timestamp": str(timestamp),
                "User-Agent": USER_AGENT,
                **(headers or {}),
            },
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
                reply_headers = dict(response.headers.items())
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
            reply_headers = dict(err.headers.items())
        elapsed = time.perf_counter() - started
        return SlackResult(status, raw.decode("utf-8", "replace"), elapsed, reply_headers)

    def post_form(self, fields: Mapping[str, Any], **options: Any) -> SlackResult:
        return self.post(urlencode(fields).encode(), FORM, **options)

    def post_payload(self, payload: Mapping[str, Any], **options: Any) -> SlackResult:
        """Interactivity: a form with one field, payload=<JSON>."""
        return self.post_form({"payload": json.dumps(payload)}, **options)

    def post_json(self, data: Mapping[str, Any], **options: Any) -> SlackResult:
        return self.post(json.dumps(data).encode(), JSON, **options)

    # ---- ids and lookups -------------------------------------------------------------------

    def trigger_id(self, user_id: str | None = None) -> str:
        if self.fake is not None:
            return self.fake.new_trigger_id(user_id)
        return f"{next(self._seq)}.1337.{secrets.token_hex(8)}"

    def response_url(
        self, user_id: str, channel_id: str | None, message_ts: str | None = None
    ) -> str:
        if self.fake is not None:
            return self.fake.new_response_url(
                user_id=user_id, channel_id=channel_id, message_ts=message_ts
            )
        hook = secrets.token_hex(12)
        return f"https://hooks.slack.com/actions/{self.team_id}/{next(self._seq)}/{hook}"

    def _action_ts(self) -> str:
        return f"{self.clock():.6f}"

    def _user_name(self, user_id: str) -> str:
        name = self.fake.user_name(user_id) if self.fake is not None else None
        return name or user_id.lower()

    def _channel_name(self, channel_id: str) -> str:
        if self.fake is not None:
            name = self.fake.channel_name(channel_id)
            if name:
                return name
        if channel_id.startswith("D"):
            return "directmessage"
        return channel_id.lower()

    def _team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": self.team_domain}

    def _user(self, user_id: str) -> dict[str, Any]:
        name = self._user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _interactive(self, kind: str, user_id: str) -> dict[str, Any]:
        return {
            "type": kind,
            "token": self.verification_token,
            "team": self._team(),
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "is_enterprise_install": self.enterprise_id is not None,
            "enterprise": {"id": self.enterprise_id} if self.enterprise_id else None,
        }

    # ---- what people do --------------------------------------------------------------------

    def slash_command(
        self, user_id: str, command: str, text: str, *, channel_id: str, **options: Any
    ) -> SlackResult:
        """A slash command, form-encoded as Slack sends it."""
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "true" if self.enterprise_id else "false",
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "response_url": self.response_url(user_id, channel_id),
            "trigger_id": self.trigger_id(user_id),
        }
        return self.post_form(fields, **options)

    def message_shortcut(
        self,
        user_id: str,
        callback_id: str,
        *,
        channel_id: str,
        message: dict[str, Any],
        **options: Any,
    ) -> SlackResult:
        """A message shortcut ("message_action") on `message` in `channel_id`."""
        payload = {
            **self._interactive("message_action", user_id),
            "action_ts": self._action_ts(),
            "callback_id": callback_id,
            "trigger_id": self.trigger_id(user_id),
            "response_url": self.response_url(user_id, channel_id, message.get("ts")),
            "message_ts": message.get("ts"),
            "message": message,
            "channel": {"id": channel_id, "name": self._channel_name(channel_id)},
        }
        return self.post_payload(payload, **options)

    def global_shortcut(self, user_id: str, callback_id: str, **options: Any) -> SlackResult:
        """A global shortcut ("shortcut"), started from the composer or search."""
        payload = {
            **self._interactive("shortcut", user_id),
            "action_ts": self._action_ts(),
            "callback_id": callback_id,
            "trigger_id": self.trigger_id(user_id),
        }
        return self.post_payload(payload, **options)

    def block_action(
        self,
        user_id: str,
        action_id: str,
        value: str | None,
        *,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        block_id: str = "b",
        action: dict[str, Any] | None = None,
        **options: Any,
    ) -> SlackResult:
        """A click on an interactive element ("block_actions").

        In a `view`: container type "view", no response_url. In a `message`: container type
        "message" with the message. Neither: a button in an ephemeral message in `channel_id`
        (Slack then sends no message). The element's text and block_id are looked up in the
        message or view blocks when present; `action` overrides fields of the action.
        """
        source = view if view is not None else message
        found_block, element = _find_element((source or {}).get("blocks"), action_id)
        element = element or {"type": "button", "text": {"type": "plain_text", "text": action_id}}
        act: dict[str, Any] = {
            "action_id": action_id,
            "block_id": found_block or block_id,
            "type": element.get("type", "button"),
            "action_ts": self._action_ts(),
        }
        if act["type"] == "button":
            act["text"] = element.get("text")
            if value is not None:
                act["value"] = value
        elif value is not None:
            act["selected_option"] = {"text": {"type": "plain_text", "text": value}, "value": value}
        act.update(action or {})
        payload = {
            **self._interactive("block_actions", user_id),
            "trigger_id": self.trigger_id(user_id),
            "actions": [act],
            "state": {"values": {}},
        }
        if view is not None:
            full = self._full_view(view, {})
            payload["container"] = {"type": "view", "view_id": full["id"]}
            payload["view"] = full
        else:
            ts = (message or {}).get("ts") or self._action_ts()
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": message is None,
            }
            payload["channel"] = {"id": channel_id, "name": self._channel_name(channel_id or "")}
            if message is not None:
                payload["message"] = message
            payload["response_url"] = self.response_url(user_id, channel_id, ts)
        return self.post_payload(payload, **options)

    def _full_view(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """The view as Slack echoes it back: ids, hash and state filled in."""
        full = {
            "id": None,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "hash": f"{int(self.clock())}.{secrets.token_hex(4)}",
            "title": None,
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": None,
            "app_id": self.api_app_id,
            "external_id": "",
            "app_installed_team_id": self.team_id,
            "bot_id": None,
            **view,
        }
        if not full["id"] and self.fake is not None:
            full["id"] = self.fake.find_view_id(view)
        full["id"] = full["id"] or f"V{secrets.token_hex(5).upper()}"
        full["root_view_id"] = full["root_view_id"] or full["id"]
        full["state"] = {"values": values}
        return full

    def view_submission(
        self, user_id: str, view: dict[str, Any], values: dict[str, Any], **options: Any
    ) -> SlackResult:
        """The user pressed Submit. `values` is state.values:
        {block_id: {action_id: {"type": ..., "value" | "selected_users" | ...}}}."""
        payload = {
            **self._interactive("view_submission", user_id),
            "trigger_id": self.trigger_id(user_id),
            "view": self._full_view(view, values),
            "response_urls": [],
        }
        return self.post_payload(payload, **options)

    def view_closed(self, user_id: str, view: dict[str, Any], **options: Any) -> SlackResult:
        """The user closed a modal opened with notify_on_close."""
        payload = {
            **self._interactive("view_closed", user_id),
            "view": self._full_view(view, {}),
            "is_cleared": False,
        }
        return self.post_payload(payload, **options)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        **options: Any,
    ) -> SlackResult:
        """An Events API delivery (event_callback), with retry headers when given."""
        now = self.clock()
        inner = {"event_ts": f"{now:.6f}", **event}
        bot_user = self.fake.bot_user_id if self.fake is not None else "UBRAVO"
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "context_enterprise_id": self.enterprise_id,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "api_app_id": self.api_app_id,
            "event": inner,
            "type": "event_callback",
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.enterprise_id else self.team_id,
                    "user_id": bot_user,
                    "is_bot": True,
                    "is_enterprise_install": self.enterprise_id is not None,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{secrets.token_hex(12)}",
        }
        headers = dict(options.pop("headers", None) or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
        if retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return self.post_json(envelope, headers=headers, **options)

    def url_verification(self, challenge: str, **options: Any) -> SlackResult:
        """The handshake Slack does when the Request URL is saved."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.post_json(body, **options)
