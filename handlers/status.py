"""The Slack edge for people's Slack statuses: ``user_status_changed``, so check-ins and other
prompts hold back for someone whose status says they are away (``bot.status``)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot import status
from bot.deps import Deps
from handlers.common import deps_of, later_or_now


def on_status_changed(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Remember the new status after the ack (Bolt acks events itself); nothing is sent."""
    deps = deps_of(context)
    team, user = body.get("team_id"), event.get("user")
    later_or_now(deps, lambda: _remember(deps, team, user))


def _remember(deps: Deps, team: object, user: object) -> None:
    status.status_changed(deps.db, team_id=team, user=user, now=deps.clock())


def register(app: App, deps: Deps) -> None:
    app.event(status.USER_STATUS_CHANGED)(on_status_changed)
