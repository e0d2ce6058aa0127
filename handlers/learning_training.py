"""``/learned course "<title>" ...``: training a person took, and its buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond
from slack_sdk.web import WebClient

from bot.deps import Deps
from bot.learning.parse import Course
from handlers.common import ephemeral


def on_course(
    deps: Deps, command: dict[str, Any], parsed: Course, respond: Respond, client: WebClient
) -> None:
    respond(ephemeral("Training is not ready yet."))  # FOUNDATION: helper C replaces


def register(app: App, deps: Deps) -> None:
    """Training's buttons and modals."""
