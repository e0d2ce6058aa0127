"""The Slack edge for customer ratings by webhook: ``/bravo ratings [unmatched]`` (admins).

The webhook itself is served by ``bot.web`` (``POST /hooks/customer-feedback/<hook id>``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps
from handlers.common import ephemeral


def on_ratings(
    deps: Deps, command: dict[str, Any], words: tuple[str, ...], respond: Respond, client: WebClient
) -> None:
    respond(ephemeral("The customer-rating webhook is not available in this version yet."))


BRAVO_WORDS: dict[str, Callable[..., None]] = {"ratings": on_ratings}


def register(app: App, deps: Deps) -> None:
    """Nothing of its own yet: ``/bravo ratings`` comes through ``handlers.shoutouts``."""
