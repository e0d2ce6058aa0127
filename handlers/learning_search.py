"""``/learned search <words> [#skill]``: lessons the workspace shared, most helpful first."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond

from bot.deps import Deps
from bot.learning.parse import Search
from handlers.common import ephemeral


def on_search(deps: Deps, command: dict[str, Any], parsed: Search, respond: Respond) -> None:
    respond(ephemeral("Search is not ready yet."))  # FOUNDATION: helper B replaces


def register(app: App, deps: Deps) -> None:
    """Buttons of the search results (more, save), when there are any."""
