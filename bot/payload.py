"""Reading what Slack sends, without trusting its shape.

A signed request is Slack's, but what it carries can still be odd: a form from an older Bravo,
a value of the wrong type, ``private_metadata`` that Bravo did not write, an id too big for a
64-bit column. Readers here either return what was asked for, typed, or raise
``UnreadableError``, which the edge turns into a friendly answer (a form error, an ephemeral
message) instead of a crash. ``shape_problem`` checks a whole interactive payload up front.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.errors import BravoError, error_text

MAX_ID = 2**63 - 1  # the largest id a 64-bit column holds

# What each key of a submitted input element holds (view.state.values[block][action][key]).
TEXT_KEYS = (
    "value",
    "selected_user",
    "selected_conversation",
    "selected_channel",
    "selected_date",
    "selected_time",
    "selected_date_time",
    "type",
)
LIST_KEYS = ("selected_users", "selected_conversations", "selected_channels")
OPTION_KEYS = ("selected_option",)
OPTIONS_KEYS = ("selected_options",)


@dataclass
class UnreadableError(BravoError):
    """Part of a request is not what Bravo sent out (or not what Slack sends)."""

    what: str
    block: str | None = None  # the form's field it is in, when it is in one


@error_text.register
def _(err: UnreadableError) -> str:
    return (
        "I couldn't read that, so nothing was saved. It may come from an older message or form: "
        "please start again with the command."
    )


def an_id(value: object) -> int | None:
    """An id Bravo wrote in ``private_metadata`` (a JSON number): None when absent,
    UnreadableError when it is anything but a positive id a 64-bit column can hold."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    raise UnreadableError("an id")


def meta(view: dict[str, Any]) -> dict[str, Any]:
    """A modal's ``private_metadata``: the JSON object Bravo wrote ({} when empty)."""
    raw = view.get("private_metadata") or "{}"
    try:
        found = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise UnreadableError("the form's data")
    return found


def meta_text(found: dict[str, Any], key: str) -> str | None:
    """A text Bravo put in ``private_metadata`` (a channel, a message ts), or None."""
    value = found.get(key)
    if not isinstance(value, str | None):
        raise UnreadableError("the form's data")
    return value


def _element(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    values = (view.get("state") or {}).get("values") or {}
    found = (values.get(block) or {}).get(action) if isinstance(values, dict) else None
    return found if isinstance(found, dict) else {}


def text_at(view: dict[str, Any], block: str, action: str, key: str = "value") -> str:
    """A submitted text (or user, date, time...): "" when empty or absent."""
    found = _element(view, block, action).get(key)
    if found is None:
        return ""
    if not isinstance(found, str):
        raise UnreadableError("a field", block)
    return found


def option_at(view: dict[str, Any], block: str, action: str) -> str:
    """The value of a submitted select's chosen option: "" when none was chosen."""
    found = _element(view, block, action).get("selected_option")
    if found is None:
        return ""
    value = found.get("value") if isinstance(found, dict) else None
    if not isinstance(value, str):
        raise UnreadableError("a choice", block)
    return value


def action_value(action: dict[str, Any]) -> str:
    """A pressed button's value, or a chosen menu option's: "" when there is none."""
    option = action.get("selected_option")
    found = option.get("value") if isinstance(option, dict) else action.get("value")
    if found is None:
        return ""
    if not isinstance(found, str):
        raise UnreadableError("a button")
    return found


def team_of(body: dict[str, Any]) -> str:
    """The workspace a request is from: a command's ``team_id``, an action's or form's team."""
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def user_of(body: dict[str, Any]) -> str:
    """Who sent a request: a command's ``user_id``, an action's or form's user."""
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


def view_key(view: dict[str, Any], body: dict[str, Any]) -> str:
    """A form submission's key: its modal (a modal that turns into the next keeps its view id,
    so the callback is part of it)."""
    return f"{view.get('callback_id')}:{view.get('id') or body.get('trigger_id')}"[:64]


def request_key(body: dict[str, Any]) -> str | None:
    """The one key a request carries for its effect to be recorded once (``bot.events.once``):
    an event's ``event_id``, or a command's, button's or form's ``trigger_id`` (Slack makes one
    per action). None when it has neither."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return event_id[:64]
    trigger = body.get("trigger_id")
    if isinstance(trigger, str) and trigger:
        kind = "command" if "command" in body else "action"
        return f"{kind}:{trigger}"[:64]
    return None


# What Slack always sends, by kind of request: top-level texts, and objects with a text "id".
COMMAND_TEXTS = ("command", "team_id", "user_id", "channel_id", "trigger_id", "response_url")
INTERACTIVE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (texts, objects with an id)
    "block_actions": (("trigger_id",), ("team", "user")),
    "view_submission": (("trigger_id",), ("team", "user")),
    "view_closed": ((), ("team", "user")),
    "shortcut": (("callback_id", "trigger_id"), ("team", "user")),
    "message_action": (
        ("callback_id", "trigger_id", "response_url"),
        ("team", "user", "channel"),
    ),
    "block_suggestion": (("action_id", "block_id", "value"), ("team", "user")),
}
EVENT_TEXTS = ("type", "user", "reaction", "item_user", "channel", "ts", "text", "event_ts")
USER_OBJECT_EVENTS = ("user_change", "team_join", "user_status_changed")


def envelope_problem(body: dict[str, Any]) -> str | None:
    """What makes a request not shaped as Slack shapes it (a missing id, a number where Slack
    sends text), or None. Checked before Bolt or any listener reads the request."""
    if "command" in body:
        missing = [k for k in COMMAND_TEXTS if not isinstance(body.get(k), str)]
        return f"a command without {', '.join(missing)}" if missing else None
    kind = body.get("type")
    if not isinstance(kind, str):
        return "no type"
    if kind == "event_callback":
        return _event_problem(body)
    if kind not in INTERACTIVE:
        return None
    texts, objects = INTERACTIVE[kind]
    for key in texts:
        if not isinstance(body.get(key), str):
            return f"a {kind} without {key}"
    for key in objects:
        if not (isinstance(body.get(key), dict) and isinstance(body[key].get("id"), str)):
            return f"a {kind} without {key}"
    return _parts_problem(kind, body)


def _parts_problem(kind: str, body: dict[str, Any]) -> str | None:
    channel = body.get("channel")
    if channel is not None and not (isinstance(channel, dict) and _texts_only(channel, ("id",))):
        return f"a {kind} with an unreadable channel"
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not (isinstance(view, dict) and isinstance(view.get("callback_id"), str)):
            return f"a {kind} without a view"
        state = view.get("state")
        if kind == "view_submission" and not (
            isinstance(state, dict) and isinstance(state.get("values"), dict)
        ):
            return "a view_submission without its state"
    if kind == "block_actions":
        actions = body.get("actions")
        if not (isinstance(actions, list) and actions):
            return "block_actions without actions"
        if not all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions):
            return "an action without an action_id"
    if kind == "message_action" and not _texts_only(body.get("message"), ("text", "user", "ts")):
        return "a message_action without a message"
    return None


def _event_problem(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(body.get("team_id"), str) or not isinstance(body.get("event_id"), str):
        return "an event without team_id or event_id"
    if not (isinstance(event, dict) and isinstance(event.get("type"), str)):
        return "an event without a type"
    if event["type"] in USER_OBJECT_EVENTS:  # ``user`` is the whole profile, not an id
        if not _texts_only(event.get("user"), ("id",)):
            return "an event with an unreadable user"
        event = {k: v for k, v in event.items() if k != "user"}
    if not _texts_only(event, EVENT_TEXTS):
        return "an event with a number where Slack sends text"
    item = event.get("item")
    if item is not None and not _texts_only(item, ("type", "channel", "ts")):
        return "an event with an unreadable item"
    return None


def _texts_only(found: object, keys: tuple[str, ...]) -> bool:
    """Whether ``found`` is an object whose ``keys``, where present, hold text."""
    return isinstance(found, dict) and all(isinstance(found.get(k), str | None) for k in keys)


def shape_problem(body: dict[str, Any]) -> UnreadableError | None:
    """What in an interactive payload's values is not shaped as Slack shapes it, or None."""
    if "view" in body:
        return _view_problem(body["view"])
    if "actions" in body:
        actions = body["actions"]
        if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
            return UnreadableError("actions")
        for action in actions:
            if _value_problem(action):
                return UnreadableError("a button")
    return None


def _view_problem(view: object) -> UnreadableError | None:
    if not isinstance(view, dict):
        return UnreadableError("view")
    if not isinstance(view.get("private_metadata"), str | None):
        return UnreadableError("the form's data")
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else state
    if values is None:
        return None
    if not isinstance(values, dict):
        return UnreadableError("the form")
    for block, actions in values.items():
        if not isinstance(actions, dict):
            return UnreadableError("a field", block)
        for element in actions.values():
            if not isinstance(element, dict) or _value_problem(element):
                return UnreadableError("a field", block)
    return None


def _value_problem(element: dict[str, Any]) -> bool:
    """Whether any known key of a submitted element (or an action) has the wrong type."""
    for key in TEXT_KEYS:
        if not isinstance(element.get(key), str | None):
            return True
    for key in LIST_KEYS:
        found = element.get(key)
        if found is not None and not (
            isinstance(found, list) and all(isinstance(x, str) for x in found)
        ):
            return True
    for key in OPTION_KEYS:
        if key in element and not _is_option(element[key], allow_none=True):
            return True
    for key in OPTIONS_KEYS:
        found = element.get(key)
        if found is not None and not (
            isinstance(found, list) and all(_is_option(x, allow_none=False) for x in found)
        ):
            return True
    return False


def _is_option(option: object, *, allow_none: bool) -> bool:
    if option is None:
        return allow_none
    return isinstance(option, dict) and isinstance(option.get("value"), str)
