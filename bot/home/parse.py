"""The Home tab's payloads -> typed values (pure)."""

from __future__ import annotations

from typing import Any

from bot.home.ids import Toggle


def goal_id(value: object) -> int | None:
    """The goal a home button names, if it names one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 12 else None


def toggle(value: object) -> Toggle | None:
    try:
        return Toggle(str(value or ""))
    except ValueError:
        return None


def actor(body: dict[str, Any]) -> tuple[str, str] | None:
    """(team id, user id) of whoever sent a request: a click, a form, a command or an event."""
    user = body.get("user")
    team = body.get("team")
    user_id = user.get("id") if isinstance(user, dict) else body.get("user_id")
    team_id = team.get("id") if isinstance(team, dict) else body.get("team_id")
    event = body.get("event")
    if user_id is None and isinstance(event, dict):
        user_id = event.get("user")
    if isinstance(user_id, str) and isinstance(team_id, str) and user_id and team_id:
        return team_id, user_id
    return None


def changes_nothing(body: dict[str, Any]) -> bool:
    """Requests that change nothing in anyone's home: opening it (it is published then anyway),
    a menu asking for its options as someone types, a modal closed."""
    event = body.get("event")
    if isinstance(event, dict) and event.get("type") == "app_home_opened":
        return True
    return body.get("type") in ("block_suggestion", "view_closed")
